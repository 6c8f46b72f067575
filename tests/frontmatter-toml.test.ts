/**
 * TOML front matter (`+++` fences), as Hugo and Zola write it: read like
 * YAML front matter (title, description, tags, date, slug, lang), never
 * shown as text on the page, converted in place in the Markdown outputs
 * (only the converted fields). Fixture: tests/fixtures/frontmatter-toml
 * (source/ and the expected Markdown outputs side by side).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select} from 'hast-util-select'
import {toString as hastToString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {parseToml, readFrontmatterValues, tomlValueRanges} from '../scripts/frontmatter.ts'
import {locales} from '../scripts/locales.ts'
import {scanSlug} from '../scripts/pages.ts'
import {fixtures, hashFolder, runCli, temporaryFolder} from './helpers.ts'

const fixture = path.join(fixtures, 'frontmatter-toml')

describe('a site whose articles have TOML front matter', async () => {
  const folder = await temporaryFolder()
  await fs.cp(path.join(fixture, 'source'), path.join(folder, 'source'), {recursive: true})
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
  const dist = path.join(folder, 'dist')

  it('builds; the slug, read before any article is built, names the page and the link to it', async () => {
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('[broken-link]')
    const index = fromHtml(await fs.readFile(path.join(dist, 'html', 'zh-TW', 'index.html'), 'utf8'))
    expect(select('main a[href^="dev-guide"]', index)?.properties.href).toBe('dev-guide.html#開始之前')
  })

  it('converts title, description and tags in the Markdown outputs and keeps every other key as written', async () => {
    for (const locale of ['zh-Hans', 'zh-HK'] as const) {
      const expected = await fs.readFile(path.join(fixture, 'expected', `${locale}.dev-guide.md`), 'utf8')
      expect(await fs.readFile(path.join(dist, 'markdown', locale, 'dev-guide.md'), 'utf8')).toBe(expected)
    }
  })

  it('gives the JSON documents the fields, converted, and the date as written', async () => {
    const document = JSON.parse(await fs.readFile(path.join(dist, 'json', 'zh-Hans', 'dev-guide.json'), 'utf8'))
    expect({title: document.title, description: document.description, tags: document.tags, date: document.date, sourceLocale: document.sourceLocale}).toEqual({
      title: '软件开发指南',
      description: '关于软件与网络的说明',
      tags: ['信息', '网络'],
      date: '2024-03-15T07:30:00+08:00',
      sourceLocale: 'zh-TW'
    })
  })

  it('never shows the front matter on the page', async () => {
    for (const locale of locales) {
      const page = fromHtml(await fs.readFile(path.join(dist, 'html', locale, 'dev-guide.html'), 'utf8'))
      const text = hastToString(select('main', page)!)
      expect(text).not.toContain('+++')
      expect(text).not.toContain('draft')
      // Taiwan's word (軟體) in zh-TW only; zh-Hant and zh-HK have OpenCC's standard word.
      expect(hastToString(select('title', page)!)).toContain({'zh-Hans': '软件开发指南', 'zh-Hant': '軟件開發指南', 'zh-TW': '軟體開發指南', 'zh-HK': '軟件開發指南'}[locale])
    }
  })
})

describe('converted TOML strings stay TOML', () => {
  it('keeps `: ` and `#` inside strings as they are, and a `T` rule writes its title as a basic string', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), "+++\ntitle = '電腦: 入門 # 一'\ntags = [\"網路: 基礎\"]\n+++\n\n內容。\n")
    await fs.writeFile(path.join(folder, 'source', 'b.md'), '+++\ntitle = "電腦: 入門"\n+++\n\n-{T|zh-cn:计算机入门;zh-tw:電腦入門;zh-hk:電腦入門}-內容。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    const a = await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-Hans', 'a.md'), 'utf8')
    expect(a.split('\n').slice(0, 4)).toEqual(['+++', "title = '电脑: 入门 # 一'", 'tags = ["网路: 基础"]', '+++'])
    const b = await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-Hans', 'b.md'), 'utf8')
    expect(b.split('\n')[1]).toBe('title = "计算机入门"')
    for (const [name, text] of [['a', a], ['b', b]] as const) {
      const parsed = parseToml(/^\+\+\+\n([\s\S]*?)\n\+\+\+/.exec(text)![1]!)
      expect('data' in parsed, name).toBe(true)
    }
  })
})

describe('`categories` in front matter', () => {
  it('are converted in the Markdown outputs, YAML and TOML, and the first is the JSON category', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '---\ntitle: 網路\nlang: zh-TW\ncategories:\n  - 網路設定\n  - 進階\n---\n\n內容。\n')
    await fs.writeFile(path.join(folder, 'source', 'b.md'), '+++\ntitle = "軟體"\nlang = "zh-TW"\ncategories = ["網路設定", "進階"]\n+++\n\n內容。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-Hans', 'a.md'), 'utf8')).toContain('categories:\n  - 网络设置\n  - 高级\n')
    expect(await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-Hans', 'b.md'), 'utf8')).toContain('categories = ["网络设置", "高级"]\n')
    for (const name of ['a', 'b']) {
      expect(JSON.parse(await fs.readFile(path.join(folder, 'dist', 'json', 'zh-Hans', `${name}.json`), 'utf8')).category).toBe('网络设置')
    }
  })
})

describe('broken TOML front matter', () => {
  it('is an error at its line and column, and dist/ is left as it was', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '+++\ntitle = "標題"\ntags = ["一"]\n+++\n\n內容。\n')
    expect((await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})).code).toBe(0)
    const before = await hashFolder(path.join(folder, 'dist'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '+++\ntitle = "標題"\ntags = ["一", \n+++\n\n內容。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^source\/a\.md:3:14 error broken front matter: .+ \[broken-frontmatter\]$/m)
    expect(await hashFolder(path.join(folder, 'dist'))).toEqual(before)
  })

  it('reports a date that is no date, and a title that is no text, where the value is', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '+++\ntitle = "標題"\nupdated = "2024-13-01"\n+++\n\n內容。\n')
    await fs.writeFile(path.join(folder, 'source', 'b.md'), '+++\n# 說明\ntitle = [1, 2]\n+++\n\n內容。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/a.md:3:11 error invalid `updated`')
    expect(result.stderr).toContain('source/b.md:3:9 error broken front matter: `title` must be text')
  })
})

describe('reading TOML front matter', () => {
  it('reads the fields; dates become the text they were written as', () => {
    expect(readFrontmatterValues('title = "標題"\ndate = 2024-03-15\ntags = ["甲", "乙"]\nslug = "a-b"\n[extra]\ntitle = "不是這個"\n', 'toml')).toEqual({
      title: '標題',
      date: '2024-03-15',
      tags: ['甲', '乙'],
      slug: 'a-b'
    })
    expect(parseToml('date = 1979-05-27T07:32:00Z')).toEqual({data: {date: '1979-05-27T07:32:00Z'}})
  })

  it('finds one-line strings of top-level keys only, and marks escapes', () => {
    const toml = 'title = "說\\"明"\ntags = [ "甲",\n  \'乙\' ]\nnote = """多行"""\n[params]\ndescription = "表裡"\n'
    expect(tomlValueRanges(toml, 'title')).toEqual({start: 8, strings: [{start: 9, end: 13, escaped: true}]})
    const tags = tomlValueRanges(toml, 'tags')!
    expect(tags.strings.map((string) => toml.slice(string.start, string.end))).toEqual(['甲', '乙'])
    expect(tomlValueRanges(toml, 'note')!.strings).toEqual([])
    expect(tomlValueRanges(toml, 'description')).toBeUndefined()
  })

  it('takes the first of `categories` (Hexo, Hugo, Jekyll) as the category when there is no `category`', () => {
    expect(readFrontmatterValues('categories:\n  - 網路\n  - 進階\n').category).toBe('網路')
    expect(readFrontmatterValues('categories = ["程式", "語言"]', 'toml').category).toBe('程式')
    expect(readFrontmatterValues('category: 主要\ncategories: [次要]\n').category).toBe('主要')
    expect(readFrontmatterValues('categories: [[巢狀, 分類]]\n').category).toBeUndefined()
  })

  it('gives a slug to the pre-scan of page paths', () => {
    expect(scanSlug('+++\nslug = "about-us"\n+++\n\n內容\n')).toBe('about-us')
    expect(scanSlug('+++\ntitle = "沒有"\n+++\n')).toBeUndefined()
  })
})
