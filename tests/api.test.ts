/**
 * zhpress as a library (scripts/index.ts): the export list, and each entry
 * point returning data — messages as vfile messages, the manifest — while
 * printing nothing and writing only what it was asked to.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import * as zhpress from '../scripts/index.ts'
import {buildSite, checkSite, convertMarkdown, convertText, mergeShards, parseGlossary} from '../scripts/index.ts'
import {listFiles, temporaryFolder} from './helpers.ts'

/** A project folder with `source/` holding the given articles. */
async function project(files: Record<string, string>): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(cwd, 'source', name), content)
  return cwd
}

const articles = {
  'a.md': '---\ntitle: 鼠标\nlang: zh-Hans\n---\n\n鼠标和软件。\n',
  'b.md': '---\ntitle: 程式\nlang: zh-Hant\n---\n\n請聯系我們。\n'
}

describe('exports', () => {
  it('are exactly the documented API', () => {
    expect(Object.keys(zhpress).sort()).toEqual([
      'buildSite',
      'checkSite',
      'convertMarkdown',
      'convertText',
      'excerptLength',
      'formatMessage',
      'formatReport',
      'indexEntry',
      'locales',
      'mergeShards',
      'parseGlossary',
      'readingSpeed',
      'reportEntries',
      'resolveLocale',
      'rules',
      'schemaFiles',
      'schemaOf',
      'schemaVersion'
    ])
  })
})

describe('convertText', () => {
  it('converts, and reports the review on the file it returns', () => {
    const {value, file} = convertText('鼠标和软件，头发', {to: 'zh-TW'})
    expect(value).toBe('滑鼠和軟體，頭髮')
    expect(file.messages).toEqual([])
  })

  it('takes aliases, a glossary and a VFile (whose path names the messages)', () => {
    const glossary = parseGlossary(new VFile({path: 'glossary.yaml', value: 'protect: [于先生]\n'}))
    const {value} = convertText('于先生说', {to: 'zh-CN', from: 'zh-TW', glossary})
    expect(value).toBe('于先生说')
    const input = new VFile({path: 'in.txt', value: '他干'})
    const result = convertText(input, {to: 'zh-Hant', from: 'zh-Hans'})
    expect(result.file).toBe(input)
    expect(result.file.messages.map(String)).toEqual(['in.txt:1:2: 干 → 幹 (zh-Hant) has no phrase match; check it'])
    expect(result.file.messages[0]!.ruleId).toBe('ambiguous-conversion')
  })

  it('an error is a fatal message and no value, never a throw', () => {
    const {value, file} = convertText('甲-{乙', {to: 'zh-TW', from: 'zh-Hans'})
    expect(value).toBeUndefined()
    expect(file.messages.map((message) => [message.ruleId, message.fatal])).toEqual([['unterminated-rule', true]])
  })

  it('refuses an unknown locale by throwing (a programmer error)', () => {
    expect(() => convertText('甲', {to: 'zh-XX'})).toThrow('unknown locale `zh-XX` in `to`')
  })
})

describe('convertMarkdown', () => {
  it('is source-preserving, front matter optional', () => {
    const {value, file} = convertMarkdown('# 软件\n\n`代码` 理**发**店 [链接](http://例子.com/软件)\n', {to: 'zh-Hant'})
    expect(value).toBe('# 軟件\n\n`代码` 理**髮**店 [鏈接](http://例子.com/软件)\n')
    expect(file.messages.filter((message) => message.fatal)).toEqual([])
  })

  it('converts front matter title and rewrites lang', () => {
    const {value} = convertMarkdown('---\ntitle: 软件\nlang: zh-Hans\n---\n\n软件\n', {to: 'zh-TW'})
    expect(value).toBe('---\ntitle: 軟體\nlang: zh-TW\n---\n\n軟體\n')
  })
})

describe('checkSite', () => {
  it('returns every diagnostic as data and writes nothing', async () => {
    const cwd = await project(articles)
    const before = await listFiles(cwd)
    const {files, articles: count} = await checkSite({cwd, jobs: 1})
    expect(count).toBe(2)
    const b = files.find((file) => file.path === 'source/b.md')!
    expect(b.messages.map((message) => [message.line, message.column, message.ruleId, message.fatal])).toContainEqual([6, 3, 'standard-form', undefined])
    expect(await listFiles(cwd)).toEqual(before)
  })
})

describe('buildSite', () => {
  it('publishes the out folder and returns its manifest; no cache unless asked', async () => {
    const cwd = await project(articles)
    const result = await buildSite({cwd, out: 'site', locales: ['zh-TW', 'zh-Hans'], formats: ['md', 'json'], jobs: 1})
    expect(result.ok).toBe(true)
    expect(result.articles).toBe(2)
    const outputs = result.manifest!.outputs.map((entry) => entry.path)
    expect(outputs).toContain('markdown/zh-TW/a.md')
    expect(await fs.readFile(path.join(cwd, 'site', 'markdown', 'zh-TW', 'a.md'), 'utf8')).toContain('滑鼠和軟體。')
    // Nothing but the sources and the site: no .cache/, no lock left behind.
    expect((await fs.readdir(cwd)).sort()).toEqual(['site', 'source'])
  })

  it('writes the typed bundle: an index per locale that the exported schema accepts, entries as indexEntry makes them', async () => {
    const cwd = await project(articles)
    const result = await buildSite({cwd, out: 'site', locales: ['zh-TW'], formats: ['json'], jobs: 1, baseUrl: 'https://example.org/'})
    expect(result.ok).toBe(true)
    const read = async <T>(name: string) => JSON.parse(await fs.readFile(path.join(cwd, 'site', name), 'utf8')) as T
    const index = await read<zhpress.ArticleIndex>('json/zh-TW/index.json')
    const ajv = new Ajv2020({strict: true})
    addFormats.default(ajv)
    expect(ajv.validate(zhpress.schemaOf('index.schema.json'), index), JSON.stringify(ajv.errors)).toBe(true)
    expect(index.schemaVersion).toBe(zhpress.schemaVersion)
    const document = await read<zhpress.ArticleDocument>('json/zh-TW/a.json')
    const entry: zhpress.IndexEntry = zhpress.indexEntry(document, {baseUrl: 'https://example.org/'})
    expect(index.articles).toEqual([entry, zhpress.indexEntry(await read<zhpress.ArticleDocument>('json/zh-TW/b.json'), {baseUrl: 'https://example.org/'})])
    expect(entry).toMatchObject({slug: 'a', path: 'a.md', title: '滑鼠', readingMinutes: 1, excerpt: '滑鼠和軟體。', url: 'https://example.org/zh-TW/a.html'})
    const titles = await read<zhpress.TitlesResource>('json/resources/zh-TW/titles.json')
    const resources: zhpress.Resources = {'zh-TW': {titles, a: await read<zhpress.ArticleResource>('json/resources/zh-TW/a.json')}}
    expect(resources['zh-TW']!.titles).toEqual({a: '滑鼠', b: '程式'})
    const manifest: zhpress.Manifest = result.manifest!
    expect(manifest.outputs.filter((output) => output.format === 'index').map((output) => output.path)).toEqual(['json/zh-TW/index.json'])
  })

  it('with a cacheDir: articles are cached there, and a rebuild takes them', async () => {
    const cwd = await project(articles)
    const cacheDir = path.join(cwd, 'cache')
    const first = await buildSite({cwd, out: 'site', locales: ['zh-TW'], formats: ['md'], jobs: 1, cacheDir})
    expect([first.ok, first.cacheHits]).toEqual([true, 0])
    // (Compiled dictionaries go to cacheDir/dictionaries too; this process has them in memory already.)
    expect(await fs.readdir(cacheDir)).toContain('articles')
    const again = await buildSite({cwd, out: 'site', locales: ['zh-TW'], formats: ['md'], jobs: 1, cacheDir})
    expect([again.ok, again.cacheHits]).toEqual([true, 2])
  })

  it('an article with an error: not published, the error as a fatal vfile message', async () => {
    const cwd = await project({...articles, 'c.md': '---\ntitle: 丙\nlang: zh-XX\n---\n\n丙\n'})
    const result = await buildSite({cwd, out: 'site', jobs: 1})
    expect(result.ok).toBe(false)
    expect(result.manifest).toBeUndefined()
    const c = result.files.find((file) => file.path === 'source/c.md')!
    expect(c.messages.map((message) => [message.ruleId, message.fatal, message.line, message.column])).toEqual([['unknown-locale', true, 3, 7]])
    expect(await fs.readdir(cwd)).toEqual(['source'])
  })
})

describe('mergeShards', () => {
  it('merges shard builds into the site a full build gives', async () => {
    const cwd = await project(articles)
    const options = {cwd, locales: ['zh-HK' as const], formats: ['md' as const, 'html' as const], jobs: 1}
    const full = await buildSite({...options, out: 'full'})
    for (const index of [1, 2]) expect((await buildSite({...options, out: `shard-${index}`, shard: {index, count: 2}})).ok).toBe(true)
    const merged = await mergeShards({cwd, shards: ['shard-1', 'shard-2'], out: 'merged'})
    expect(merged.ok).toBe(true)
    expect(merged.manifest!.outputs).toEqual(full.manifest!.outputs)
  })

  it('says why shards do not make one site', async () => {
    const cwd = await project(articles)
    await buildSite({cwd, out: 'shard-1', shard: {index: 1, count: 2}, jobs: 1, formats: ['md']})
    const result = await mergeShards({cwd, shards: ['shard-1'], out: 'merged'})
    expect(result.ok).toBe(false)
    expect(result.refused).toMatch(/missing 2\/2/)
  })
})
