/**
 * The HTML site as files: every page valid HTML, the head a search engine
 * and a link preview read, the sitemap, and UI text only through i18next.
 * (The browser tests in tests/browser/ click through it.)
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {HtmlValidate} from 'html-validate'
import type {Element as XmlElement} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {beforeAll, describe, expect, it} from 'vitest'
import {htmlLang, locales} from '../scripts/locales.ts'
import {parseBaseUrl, UsageError} from '../scripts/commands/args.ts'
import {buildSite, listFiles, root, runCli} from './helpers.ts'

let out: string
let absolute: string
const read = (folder: string, name: string) => fs.readFile(path.join(folder, name), 'utf8')
const page = async (folder: string, name: string): Promise<Root> => fromHtml(await read(folder, name))
const attribute = (tree: Root, selector: string, name: string) => select(selector, tree)?.properties[name]
const all = (tree: Root, selector: string, name: string) => selectAll(selector, tree).map((node) => node.properties[name])

beforeAll(async () => {
  ;[out, absolute] = await Promise.all([buildSite(), buildSite(['--base-url', 'https://example.org/articles'])])
})

describe('HTML site', () => {
  it('passes html-validate (.htmlvalidate.json) with no errors, on every page', async () => {
    // The project's config, found next to package.json like the CLI would.
    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    const pages = (await listFiles(path.join(out, 'html'))).filter((name) => name.endsWith('.html'))
    // The front page and the root 404 page; per locale, the list, two articles and the 404 page.
    expect(pages).toHaveLength(2 + locales.length * 4)
    for (const name of pages) {
      const report = await validator.validateString(await read(out, 'html/' + name), name)
      const problems = report.results.flatMap((result) => result.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))
      expect(problems).toEqual([])
    }
  })

  it('gives article pages lang, title, description, canonical, alternates and Open Graph', async () => {
    for (const locale of locales) {
      const tree = await page(out, `html/${locale}/mouse-guide.html`)
      const document = JSON.parse(await read(out, `json/${locale}/mouse-guide.json`))
      expect(attribute(tree, 'html', 'lang')).toBe(htmlLang[locale])
      // The page, then the site (no `site.title` in the seed's settings: the default name).
      expect(select('title', tree)?.children).toEqual([expect.objectContaining({value: `${document.title}｜文章`})])
      expect(attribute(tree, 'meta[name=description]', 'content')).toBe(document.description)
      // Without a base URL, no canonical link: a relative one is rejected by search engines.
      expect(select('link[rel=canonical]', tree)).toBeUndefined()
      expect(all(tree, 'link[rel=alternate]', 'hrefLang')).toEqual([...locales.map((other) => htmlLang[other]), 'x-default'])
      // x-default: the article as written (mouse-guide is Simplified), never a page without it.
      expect(all(tree, 'link[rel=alternate]', 'href')).toEqual([...locales.map((other) => `../${other}/mouse-guide.html`), `../${document.sourceLocale}/mouse-guide.html`])
      expect(document.sourceLocale).toBe('zh-Hans')
      expect(attribute(tree, 'meta[property="og:title"]', 'content')).toBe(document.title)
      expect(attribute(tree, 'meta[property="og:type"]', 'content')).toBe('article')
      expect(attribute(tree, 'meta[property="og:description"]', 'content')).toBe(document.description)
      expect(all(tree, 'meta[property="article:tag"]', 'content')).toEqual(document.tags)
      // Without --base-url there is no absolute URL to give.
      expect(select('meta[property="og:url"]', tree)).toBeUndefined()
      // Every TOC link has its heading.
      for (const href of all(tree, '.toc a', 'href')) expect(select(`[id="${String(href).slice(1)}"]`, tree), String(href)).toBeDefined()
    }

    const zhHK = await page(out, 'html/zh-HK/mouse-guide.html')
    expect(attribute(zhHK, 'meta[property="og:locale"]', 'content')).toBe('zh_HK')
    expect(all(zhHK, 'meta[property="og:locale:alternate"]', 'content')).toEqual(['zh_CN', 'zh_TW'])
  })

  it('formats dates per locale through i18next and says where the page was converted from', async () => {
    const text = async (locale: string, selector: string) => {
      const node = select(selector, await page(out, `html/${locale}/mouse-guide.html`))
      return node ? toText(node) : undefined
    }

    expect(await text('zh-Hans', 'time')).toBe('发布于2026年3月15日')
    expect(await text('zh-TW', 'time')).toBe('發布於2026年3月15日')
    expect(await text('zh-HK', 'time')).toBe('發佈於2026年3月15日')
    expect(attribute(await page(out, 'html/zh-TW/mouse-guide.html'), 'time', 'dateTime')).toBe('2026-03-15')
    expect(await text('zh-Hans', 'footer')).toBe('本页为原文（简体中文）。')
    expect(await text('zh-TW', 'footer')).toBe('本頁由簡體中文原文自動轉換而成。')
    expect(await text('zh-Hans', '.meta')).toBe('发布于2026年3月15日 · 分类：数码')
  })

  it('links the entry page to each variant in its own name, and lists articles per locale', async () => {
    const entry = await page(out, 'html/index.html')
    const links = selectAll('.variants a', entry)
    // Each variant in its own script, with what sets it apart and sample words converted by OpenCC.
    expect(links.map((link) => toText(selectAll('.name', link)[0]!))).toEqual(['简体中文', '繁體中文（通用）', '台灣正體', '香港繁體'])
    expect(links.map((link) => toText(selectAll('.sample', link)[0]!))).toEqual(['因为、里面、软件、鼠标', '因爲、裏面、軟件、鼠標', '因為、裡面、軟體、滑鼠', '因為、裏面、軟件、鼠標'])
    expect(links.map((link) => link.properties.href)).toEqual(locales.map((locale) => `${locale}/index.html`))
    expect(links.map((link) => link.properties.lang)).toEqual(locales.map((locale) => htmlLang[locale]))
    expect(all(entry, 'link[rel=alternate]', 'hrefLang')).toContain('x-default')

    const list = await page(out, 'html/zh-TW/index.html')
    expect(selectAll('.articles > li > a', list).map((link) => [link.properties.href, toText(link)])).toEqual([
      ['mouse-guide.html', '滑鼠和軟體的選購指南'],
      ['lexin-overdue.html', '樂信逾期會爆通訊錄嗎']
    ])
    expect(toText(selectAll('.articles time', list)[0]!)).toBe('發布於2026年3月15日')
    expect(toText(selectAll('.articles > li > p', list).at(-1)!)).toMatch(/^在當今社會/)
  })

  it('makes canonical, alternates and og:url absolute with --base-url', async () => {
    const tree = await page(absolute, 'html/zh-TW/mouse-guide.html')
    expect(attribute(tree, 'link[rel=canonical]', 'href')).toBe('https://example.org/articles/zh-TW/mouse-guide.html')
    expect(attribute(tree, 'meta[property="og:url"]', 'content')).toBe('https://example.org/articles/zh-TW/mouse-guide.html')
    expect(attribute(tree, 'link[hreflang=x-default]', 'href')).toBe('https://example.org/articles/zh-Hans/mouse-guide.html')
    // In-page navigation stays relative: the folder still works from file://.
    expect(all(tree, '.switcher a', 'href')).toEqual(locales.map((locale) => `../${locale}/mouse-guide.html`))
  })

  it('writes sitemap.xml with xhtml:link alternates for every page', async () => {
    const sitemap = fromXml(await read(absolute, 'html/sitemap.xml'))
    const urlset = sitemap.children.find((node): node is XmlElement => node.type === 'element')!
    expect(urlset.attributes).toEqual({
      xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9',
      'xmlns:xhtml': 'http://www.w3.org/1999/xhtml'
    })
    const urls = urlset.children.filter((node): node is XmlElement => node.type === 'element')
    const entries = urls.map((url) => {
      const children = url.children.filter((node): node is XmlElement => node.type === 'element')
      const text = (name: string) => children.find((child) => child.name === name)?.children.map((node) => ('value' in node ? node.value : '')).join('')
      return {
        loc: text('loc'),
        lastmod: text('lastmod'),
        alternates: children.filter((child) => child.name === 'xhtml:link').map((link) => `${link.attributes.hreflang} ${link.attributes.href}`)
      }
    })
    const base = 'https://example.org/articles/'
    // 4 locale indexes, the entry page, 2 articles × 4 locales.
    expect(entries.map((entry) => entry.loc)).toHaveLength(4 + 1 + 8)
    const zhTW = entries.find((entry) => entry.loc === base + 'zh-TW/mouse-guide.html')
    expect(zhTW).toEqual({
      loc: base + 'zh-TW/mouse-guide.html',
      lastmod: '2026-03-15',
      alternates: [...locales.map((locale) => `${htmlLang[locale]} ${base}${locale}/mouse-guide.html`), `x-default ${base}zh-Hans/mouse-guide.html`]
    })
    for (const entry of entries) await expect(fs.access(path.join(absolute, 'html', entry.loc!.slice(base.length)))).resolves.toBeUndefined()

    // Without a base URL there is no sitemap: its URLs must be absolute.
    await expect(fs.access(path.join(out, 'html/sitemap.xml'))).rejects.toThrow()
  })

  it('refuses a --base-url that is not an absolute http(s) URL (exit 2)', async () => {
    expect(parseBaseUrl('https://example.org/articles')).toBe('https://example.org/articles/')
    expect(parseBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/')
    for (const bad of ['articles/', '/articles/', 'ftp://example.org/', 'javascript:alert(1)', 'https://example.org/?a=1', 'https://example.org/?', 'https://example.org/#top']) {
      expect(() => parseBaseUrl(bad), bad).toThrow(UsageError)
    }

    // A page, not the folder: every link would be built on the wrong path.
    expect(() => parseBaseUrl('https://example.org/articles/index.html')).toThrow(/ends in a file name \(`index.html`\); give the folder that holds the site: https:\/\/example.org\/articles\//)
    // Credentials would be written into every page.
    expect(() => parseBaseUrl('https://editor:secret@example.org/')).toThrow(/user name or password/)
    expect(() => parseBaseUrl('https://token@example.org/')).toThrow(/user name or password/)

    // Said once by a build without one.
    const note = (await runCli(['build', '--out', path.join(out, 'again')])).stderr
    expect(note.match(/no base URL/g)).toHaveLength(1)
    expect(note).toMatch(/set `baseUrl: https:\/\/example.org\/docs\/` in source\/zhpress.yaml or pass --base-url/)
    expect((await runCli(['build', '--out', path.join(out, 'with'), '--base-url', 'https://example.org/'])).stderr).not.toMatch(/no base URL/)

    const result = await runCli(['build', '--base-url', 'example.org', '--out', path.join(out, 'never')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--base-url takes the absolute http\(s\) URL of the published html\/ folder: `example.org` is not an absolute URL/)
  })

  it('has no Chinese UI text in the page templates: it all comes from i18n.ts', async () => {
    const template = await fs.readFile(path.join(root, 'scripts/render-html.ts'), 'utf8')
    expect(template.match(/\p{Script=Han}+/gu)).toBeNull()
  })
})

function toText(node: Element): string {
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? toText(child) : '')).join('')
}
