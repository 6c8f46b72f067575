/**
 * `merge` trusts nothing it reads: shard folders are built once, then each
 * case tampers with a copy and the merge must refuse it (exit 1), writing nothing.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {isSafeRelativePath} from '../scripts/commands/shard-check.ts'
import {fixtures, runCli, temporaryFolder} from './helpers.ts'

const article = (slug: string, title: string) => `---\ntitle: ${title}\nslug: ${slug}\nlang: zh-Hant\ndate: 2026-11-28\n---\n\n用戶通過網絡貸款，頭髮和軟體都在互聯網上。\n`

let built: string

async function writeSource(folder: string, articles: Array<[string, string]>): Promise<void> {
  await fs.mkdir(folder, {recursive: true})
  for (const [slug, title] of articles) await fs.writeFile(path.join(folder, `${slug}.md`), article(slug, title))
}

async function shards(cwd: string, source = 'source', prefix = 's'): Promise<void> {
  for (const index of [1, 2]) {
    const result = await runCli(['build', '--source', source, '--shard', `${index}/2`, '--out', `${prefix}${index}`, '--jobs', '1', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
  }
}

beforeAll(async () => {
  built = await temporaryFolder()
  await writeSource(path.join(built, 'source'), [
    ['alpha', '甲篇'],
    ['beta', '乙篇'],
    ['gamma', '丙篇']
  ])
  // An image one article uses: an asset merge copies and checks like the articles' files.
  await fs.copyFile(path.join(fixtures, 'rich-site/source/guide/images/shelves.png'), path.join(built, 'source/shelves.png'))
  await fs.appendFile(path.join(built, 'source/gamma.md'), '\n![書架](shelves.png)\n')
  await shards(built)
})

/** A copy of the built shards, tampered with, then merged. */
async function mergeTampered(tamper: (cwd: string) => Promise<void>): Promise<{code: number; stderr: string; cwd: string}> {
  const cwd = await temporaryFolder()
  for (const name of ['source', 's1', 's2']) await fs.cp(path.join(built, name), path.join(cwd, name), {recursive: true})
  await tamper(cwd)
  const result = await runCli(['merge', '--out', 'merged', 's1', 's2'], {cwd})
  return {...result, cwd}
}

async function editJson(file: string, edit: (value: any) => void): Promise<void> {
  const value = JSON.parse(await fs.readFile(file, 'utf8'))
  edit(value)
  await fs.writeFile(file, JSON.stringify(value, null, 2))
}

describe('merge refuses tampered shards', () => {
  const cases: Array<[string, (cwd: string) => Promise<void>, RegExp]> = [
    [
      'a javascript: slug (it would become an href on every index page)',
      (cwd) =>
        editJson(path.join(cwd, 's1/shard.json'), (info) => {
          info.articles[0].slug = 'javascript:alert(1)'
          for (const entry of info.index) entry.slug = 'javascript:alert(1)'
        }),
      // The index entries' schema refuses it before the slug rule does.
      /s1\/shard\.json does not match its schema: \/index\/0\/slug must match pattern/
    ],
    [
      'a javascript: slug in the article list only',
      (cwd) =>
        editJson(path.join(cwd, 's1/shard.json'), (info) => {
          info.articles[0].slug = 'javascript:alert(1)'
        }),
      /unsafe slug `javascript:alert\(1\)`/
    ],
    [
      'a folder slug that climbs out of the site',
      (cwd) =>
        editJson(path.join(cwd, 's1/shard.json'), (info) => {
          info.articles[0].slug = 'guide/../../alpha'
        }),
      /unsafe slug `guide\/\.\.\/\.\.\/alpha`/
    ],
    [
      'an image changed after the build',
      async (cwd) => {
        const [image] = (await fs.readdir(cwd, {recursive: true})).filter((file) => /^s\d\/html\/zh-TW\/shelves\.png$/.test(file))
        expect(image).toBeDefined()
        await fs.appendFile(path.join(cwd, image!), 'x')
      },
      /`html\/zh-TW\/shelves\.png` has \d+ bytes, manifest\.json says \d+/
    ],
    [
      'an i18next namespace changed after the build',
      async (cwd) => {
        const file = path.join(cwd, 's1/json/resources/zh-TW/alpha.json')
        await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('"title": "', '"title": "<script>'))
      },
      /`json\/resources\/zh-TW\/alpha\.json` has \d+ bytes, manifest\.json says \d+/
    ],
    [
      'shard.json with an index date that is not one',
      (cwd) =>
        editJson(path.join(cwd, 's1/shard.json'), (info) => {
          info.index[0].date = '2026-02-30'
        }),
      /s1\/shard\.json does not match its schema: \/index\/0\/date must match format "date"/
    ],
    [
      'a manifest path out of the shard',
      (cwd) =>
        editJson(path.join(cwd, 's2/manifest.json'), (manifest) => {
          manifest.outputs[0].path = '../source/alpha.md'
        }),
      /unsafe path `\.\.\/source\/alpha\.md` in manifest\.json/
    ],
    [
      'a page changed after the build',
      async (cwd) => {
        const page = path.join(cwd, 's1/html/zh-TW/alpha.html')
        const html = await fs.readFile(page, 'utf8')
        await fs.writeFile(page, html.replace('<p>', '<p><script>alert(1)</script>'))
      },
      /`html\/zh-TW\/alpha\.html` has \d+ bytes, manifest\.json says \d+/
    ],
    [
      'a page changed after the build, same size',
      async (cwd) => {
        const page = path.join(cwd, 's2/html/zh-TW/beta.html')
        const html = await fs.readFile(page, 'utf8')
        expect(html).toContain('lang="zh-Hant-TW"')
        await fs.writeFile(page, html.replace('lang="zh-Hant-TW"', 'lang="zh-Hant-XX"'))
      },
      /`html\/zh-TW\/beta\.html` does not match its sha256 in manifest\.json/
    ],
    [
      'a page replaced by a symbolic link',
      async (cwd) => {
        const page = path.join(cwd, 's1/html/zh-TW/alpha.html')
        await fs.rm(page)
        await fs.symlink('/etc/hostname', page)
      },
      /`html\/zh-TW\/alpha\.html` is not a regular file/
    ],
    [
      'shard.json with a field of the wrong type',
      (cwd) =>
        editJson(path.join(cwd, 's2/shard.json'), (info) => {
          info.index[0].title = {toString: 'x'}
        }),
      /s2\/shard\.json does not match its schema: \/index\/0\/title must be string/
    ],
    [
      'shard.json with an unknown field',
      (cwd) =>
        editJson(path.join(cwd, 's2/shard.json'), (info) => {
          info.extra = 1
        }),
      /s2\/shard\.json does not match its schema/
    ]
  ]

  for (const [name, tamper, message] of cases) {
    it(name, async () => {
      const result = await mergeTampered(tamper)
      expect(result.code, result.stderr).toBe(1)
      expect(result.stderr).toMatch(message)
      await expect(fs.access(path.join(result.cwd, 'merged'))).rejects.toThrow()
    })
  }

  it('the untampered copy merges', async () => {
    const result = await mergeTampered(async () => {})
    expect(result.code, result.stderr).toBe(0)
    // The image its page uses was copied from its shard, once per locale.
    const merged = await fs.readdir(path.join(result.cwd, 'merged/html'), {recursive: true})
    expect(merged.filter((file) => file.endsWith('shelves.png')).sort()).toEqual(['zh-HK/shelves.png', 'zh-Hans/shelves.png', 'zh-Hant/shelves.png', 'zh-TW/shelves.png'])
  })
})

describe('merge takes shards of one source folder only', () => {
  it('shards of two source folders with the same article names are refused', async () => {
    const cwd = await temporaryFolder()
    await writeSource(path.join(cwd, 'one'), [
      ['alpha', '甲篇'],
      ['beta', '乙篇']
    ])
    await writeSource(path.join(cwd, 'two'), [
      ['alpha', '另一個甲篇'],
      ['beta', '另一個乙篇']
    ])
    await shards(cwd, 'one', 'one-')
    await shards(cwd, 'two', 'two-')
    const result = await runCli(['merge', '--out', 'merged', 'one-1', 'two-2'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('two-2 was built from another source folder (or other sources) than one-1')
  })
})

describe('slugs that are one file name on macOS and Windows', () => {
  it('ΑΣ and ασ collide in a build', async () => {
    const cwd = await temporaryFolder()
    await writeSource(path.join(cwd, 'source'), [
      ['ΑΣ', '甲篇'],
      ['ασ', '乙篇']
    ])
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('duplicate output path `ασ`: source/ΑΣ.md is published at `ΑΣ`, the same file on Windows and macOS')
  })

  it('ΑΣ and ασ collide in a merge', async () => {
    const cwd = await temporaryFolder()
    await writeSource(path.join(cwd, 'source'), [
      ['ΑΣ', '甲篇'],
      ['ασ', '乙篇']
    ])
    // Sorted by path, ΑΣ (U+0391) goes to shard 1 and ασ (U+03B1) to shard 2.
    await shards(cwd)
    const result = await runCli(['merge', '--out', 'merged', 's1', 's2'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error duplicate output path `ασ`: source/ΑΣ.md is published at `ΑΣ`, the same file on Windows and macOS')
  })
})

describe('isSafeRelativePath', () => {
  it.each([
    ['html/zh-TW/a.html', true],
    ['../secret.json', false],
    ['html/../../x', false],
    ['/etc/passwd', false],
    ['html\\x', false],
    ['html//x', false],
    ['./x', false],
    ['C:x', false],
    ['html/\u0007.html', false]
  ])('%s → %s', (file, safe) => {
    expect(isSafeRelativePath(file)).toBe(safe)
  })
})
