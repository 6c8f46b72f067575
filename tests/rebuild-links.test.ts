/**
 * An article's cache entry depends on the rest of the site only through
 * what its links asked of it (the page path of a linked article, whether a
 * file exists): adding an article nobody links to rebuilds that article
 * alone; renaming or removing one rebuilds exactly the articles linking to
 * it. Every rebuild equals a cold build of the same source, byte for byte,
 * with the same diagnostics.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {resolveLinks, siteAsker, siteLookupsHold} from '../scripts/links.ts'
import {parseMarkdown} from '../scripts/parse.ts'
import type {SiteContext} from '../scripts/pages.ts'
import {listFiles, runCli, temporaryFolder} from './helpers.ts'

let project: string

async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of await listFiles(folder)) files.set(name, await fs.readFile(path.join(folder, name), 'utf8'))
  return files
}

/** The diagnostics a build printed (without its summary lines). */
function diagnostics(stderr: string): Array<string> {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('built ') && !line.startsWith('note: no base URL') && !line.startsWith('nothing changed'))
}

/** A build with the project's cache: its diagnostics, how many articles it built and how many came from the cache. */
async function build(...args: Array<string>): Promise<{lines: Array<string>; built: number; hits: number}> {
  const result = await runCli(['build', '--jobs', '1', ...args], {cwd: project, env: {ZHPRESS_CACHE_DIR: path.join(project, '.cache', 'zhpress')}})
  expect(result.code, result.stderr).toBe(0)
  const summary = /^built (\d+) articles? .*\(([\d.]+)s, (\d+) cache hits?[,)]/m.exec(result.stderr)
  expect(summary, result.stderr).not.toBeNull()
  return {lines: diagnostics(result.stderr), built: Number(summary![1]), hits: Number(summary![3])}
}

/** The rebuild's dist/ and diagnostics equal a cold build's of the same source (no cache, a fresh folder). */
async function expectCold(rebuilt: {lines: Array<string>}): Promise<void> {
  await fs.rm(path.join(project, 'cold'), {recursive: true, force: true})
  const cold = await runCli(['build', '--jobs', '1', '--no-cache', '--out', 'cold'], {cwd: project})
  expect(cold.code, cold.stderr).toBe(0)
  expect(rebuilt.lines).toEqual(diagnostics(cold.stderr))
  expect(await snapshot(path.join(project, 'dist'))).toEqual(await snapshot(path.join(project, 'cold')))
}

const write = (name: string, text: string) => fs.writeFile(path.join(project, 'source', name), text)
const article = (title: string, body: string, extra = '') => `---\ntitle: ${title}\nlang: zh-Hans\n${extra}---\n\n${body}\n`

beforeAll(async () => {
  project = await temporaryFolder()
  await fs.mkdir(path.join(project, 'source'))
  // a links to b (a page) and into a heading of c; e links to f, which does not exist yet; d links nowhere.
  await write('a.md', article('甲篇', '先读[乙篇](b.md)，再看[丙篇的第二节](c.md#第二节)。软件和鼠标。'))
  await write('b.md', article('乙篇', '乙篇的正文：网络和内存。'))
  await write('c.md', article('丙篇', '## 第一节\n\n第一节的内容。\n\n## 第二节\n\n第二节的内容：信息。'))
  await write('d.md', article('丁篇', '丁篇不链接任何文章。'))
  await write('e.md', article('戊篇', '见[己篇](f.md)。'))
})

describe('what invalidates a cached article: the answers its links got', () => {
  it('a cold build, then nothing changed', async () => {
    const first = await build()
    expect(first.hits).toBe(0)
    expect(first.lines.some((line) => line.includes('e.md') && line.includes('[broken-link]'))).toBe(true)
    const again = await build()
    expect(again.hits).toBe(5)
    await expectCold(again)
  })

  it('an article nobody links to, added: only it is built', async () => {
    await write('g.md', article('庚篇', '新加的一篇，没有人链接它。'))
    const result = await build()
    expect(result).toMatchObject({built: 6, hits: 5})
    await expectCold(result)
  })

  it('the article a broken link wanted, added: it and the article linking to it are built, and the warning is gone', async () => {
    await write('f.md', article('己篇', '己篇终于写好了。'))
    const result = await build()
    expect(result).toMatchObject({built: 7, hits: 5})
    expect(result.lines.some((line) => line.includes('[broken-link]'))).toBe(false)
    await expectCold(result)
  })

  it('a linked article’s title changed: only it is built (no other output shows the title)', async () => {
    await write('b.md', article('乙篇（修订）', '乙篇的正文：网络和内存。'))
    const result = await build()
    expect(result).toMatchObject({built: 7, hits: 6})
    await expectCold(result)
  })

  it('a linked heading renamed: only its article is built, and the link into it is reported on the linking article', async () => {
    await write('c.md', article('丙篇', '## 第一节\n\n第一节的内容。\n\n## 第三节\n\n第三节的内容：信息。'))
    const result = await build()
    expect(result).toMatchObject({built: 7, hits: 6})
    expect(result.lines.filter((line) => line.includes('[broken-link]'))).toEqual([expect.stringMatching(/^source\/a\.md:\d+:\d+ warning .*第二节/)])
    await expectCold(result)
    // Nothing changed: the messages come back from the build record, the site-wide check's included.
    const same = await build()
    expect(same).toEqual({...result, hits: 7})
    // Put back: the warning goes, again with one article built.
    await write('c.md', article('丙篇', '## 第一节\n\n第一节的内容。\n\n## 第二节\n\n第二节的内容：信息。'))
    const back = await build()
    expect(back).toMatchObject({built: 7, hits: 6})
    expect(back.lines.some((line) => line.includes('[broken-link]'))).toBe(false)
    await expectCold(back)
  })

  it('a linked article renamed (its slug): it and the article linking to it are built', async () => {
    await write('b.md', article('乙篇（修订）', '乙篇的正文：网络和内存。', 'slug: bee\n'))
    const result = await build()
    expect(result).toMatchObject({built: 7, hits: 5})
    const page = await fs.readFile(path.join(project, 'dist', 'html', 'zh-TW', 'a.html'), 'utf8')
    expect(page).toContain('href="bee.html"')
    await expectCold(result)
  })

  it('a linked article removed: the article linking to it is built (on worker threads too) and reports the broken link', async () => {
    await fs.rm(path.join(project, 'source', 'b.md'))
    const result = await build('--jobs', '2')
    expect(result).toMatchObject({built: 6, hits: 5})
    expect(result.lines.filter((line) => line.includes('[broken-link]'))).toEqual([expect.stringMatching(/^source\/a\.md:\d+:\d+ warning .*b\.md/)])
    await expectCold(result)
  })

  it('with --in-place, an article linking to one added again is built; the others stay', async () => {
    await write('b.md', article('乙篇', '乙篇的正文：网络和内存。'))
    const result = await build('--in-place')
    expect(result).toMatchObject({built: 7, hits: 5})
    await expectCold(result)
    const again = await build()
    expect(again).toMatchObject({built: 7, hits: 7})
    await expectCold(again)
  })
})

describe('site lookups', () => {
  // A small universe, so that random sites share and miss names often.
  const sources = ['a.md', 'b.md', 'c.md', 'dir/index.md', 'dir/c.md', 'dir/README.md', 'x/readme.md', 'x.md']
  const files = ['img.png', 'dir/pic.png', 'x/doc.pdf']
  const urls = ['b.md', 'b', 'b.html', 'c.md#节', 'dir/', '/dir/', 'dir/c', 'dir/c.html#一', 'x/', 'x', 'bee', 'bee.html', 'img.png', '/img.png', 'dir/pic.png', 'x/doc.pdf', 'logo.png', '/logo.png', 'missing.md', '#own']
  const site = fc.record({
    pages: fc.dictionary(fc.constantFrom(...sources), fc.constantFrom('a', 'b', 'bee', 'c', 'dir/index', 'dir/c', 'x', 'x/index'), {maxKeys: 8}),
    files: fc.subarray(files),
    served: fc.dictionary(fc.constantFrom('logo.png', 'img.png'), fc.constant('public/logo.png'), {maxKeys: 2})
  })

  const resolve = (links: ReadonlyArray<string>, context: SiteContext) => {
    const text = links.map((url, index) => `[链接${index}](${url})`).join('\n\n') + '\n'
    const file = new VFile({path: 'source/a.md', value: text})
    const asker = siteAsker(context)
    const result = resolveLinks(parseMarkdown(text), file, 'a.md', 'a', context, ['own'], [], asker)
    return {result, messages: file.messages.map(String), lookups: asker.lookups}
  }

  it('a site that answers an article’s recorded lookups alike resolves its links alike', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...urls), {minLength: 1, maxLength: 6}), site, site, (links, one, two) => {
        const first: SiteContext = {...one, listPage: 'index'}
        const second: SiteContext = {...two, listPage: 'index'}
        const before = resolve(links, first)
        expect(siteLookupsHold(before.lookups, first)).toBe(true)
        if (!siteLookupsHold(before.lookups, second)) return
        const after = resolve(links, second)
        expect(after.result).toEqual(before.result)
        expect(after.messages).toEqual(before.messages)
      }),
      {numRuns: 400}
    )
  })

  it('records each question once, with its answer', () => {
    const context: SiteContext = {pages: {'b.md': 'bee'}, files: ['img.png'], listPage: 'index'}
    const {lookups} = resolve(['b.md', 'b.md#节', 'img.png', 'missing.md'], context)
    const asked = lookups.map(([kind, key]) => `${kind} ${key}`)
    // Each question once, though `b.md` is linked twice.
    expect(new Set(asked).size).toBe(asked.length)
    expect(lookups[0]).toEqual(['page', 'b.md', 'bee'])
    // A file is asked for after the article candidates, and found: the served files are not asked.
    expect(lookups).toContainEqual(['file', 'img.png', true])
    expect(asked).not.toContain('served img.png')
    // A missing target is every question the resolution tried, answered no.
    expect(lookups.filter(([, key]) => key.startsWith('missing'))).toEqual([
      ['page', 'missing.md', null],
      ['isPage', 'missing.md', false],
      ['file', 'missing.md', false],
      ['served', 'missing.md', false]
    ])
    expect(siteLookupsHold(lookups, context)).toBe(true)
    expect(siteLookupsHold(lookups, {...context, pages: {'b.md': 'bee', 'missing.md': 'missing'}})).toBe(false)
    expect(siteLookupsHold(lookups, {...context, pages: {'b.md': 'b'}})).toBe(false)
    expect(siteLookupsHold(lookups, {...context, pages: {'b.md': 'bee', 'other.md': 'other'}, files: ['img.png', 'new.png']})).toBe(true)
  })
})
