/**
 * The pages around the articles, as files: the site's name from
 * zhpress.yaml in every header and `<title>`, the front page, the grouped
 * lists, the 404 pages, `og:image`, and zhpress's one script with the
 * Content-Security-Policy that allows it alone. The rich fixture
 * (tests/fixtures/rich-site) is built with and without a base URL.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {beforeAll, describe, expect, it} from 'vitest'
import {htmlLang, locales} from '../scripts/locales.ts'
import {fixtures, hashFolder, listFiles, runCli, temporaryFolder} from './helpers.ts'

const source = path.join(fixtures, 'rich-site/source')
const base = 'https://example.org/library/'
let plain: string
let absolute: string

async function build(extra: Array<string> = []): Promise<string> {
  const out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--source', source, '--out', out, ...extra])
  expect(result.code, result.stderr).toBe(0)
  return out
}

const page = async (out: string, name: string): Promise<Root> => fromHtml(await fs.readFile(path.join(out, 'html', name), 'utf8'))
const texts = (tree: Root | Element, selector: string) => selectAll(selector, tree).map((node) => toString(node).trim())
const hrefs = (tree: Root | Element, selector: string) => selectAll(selector, tree).map((node) => String(node.properties.href))

beforeAll(async () => {
  ;[plain, absolute] = await Promise.all([build(), build(['--base-url', base])])
})

describe('the site name (zhpress.yaml `site`)', () => {
  const names = {
    // Written once in Simplified: converted by OpenCC for the others, Taiwan phrasing included (社区 → 社群).
    title: {'zh-Hans': '社区图书馆手记', 'zh-Hant': '社區圖書館手記', 'zh-TW': '社群圖書館手記', 'zh-HK': '社區圖書館手記'},
    // Written for zh-Hans and zh-Hant: zh-TW and zh-HK follow the fallback chain to zh-Hant's, converted (閱 → 閲 in Hong Kong).
    description: {'zh-Hans': '整修、借阅与活动的记录', 'zh-Hant': '整修、借閱與活動的記錄', 'zh-TW': '整修、借閱與活動的記錄', 'zh-HK': '整修、借閲與活動的記錄'}
  }

  it('heads every page of every locale and ends every <title>', async () => {
    for (const locale of locales) {
      for (const name of ['reading-aids.html', 'guide/borrowing.html', 'index.html', '404.html']) {
        const tree = await page(plain, `${locale}/${name}`)
        expect(texts(tree, 'header .site'), `${locale}/${name}`).toEqual([names.title[locale]])
        expect(texts(tree, 'header .tagline'), `${locale}/${name}`).toEqual([names.description[locale]])
        const title = toString(select('title', tree)!)
        expect(title.endsWith(names.title[locale]), `${locale}/${name}: ${title}`).toBe(true)
      }

      const article = await page(plain, `${locale}/guide/borrowing.html`)
      const heading = toString(select('h1', article)!)
      expect(toString(select('title', article)!)).toBe(`${heading}｜${names.title[locale]}`)
      // From a sub-folder, the site's name leads home.
      expect(hrefs(article, 'header .site')).toEqual(['../index.html'])
      expect(select('meta[property="og:site_name"]', article)?.properties.content).toBe(names.title[locale])
      // The locale's home is the list: its title is the site's, its lead the description.
      const home = await page(plain, `${locale}/index.html`)
      expect(toString(select('title', home)!)).toBe(names.title[locale])
      expect(texts(home, 'main > h1')).toEqual([names.title[locale]])
      expect(texts(home, 'main > .lead')).toEqual([names.description[locale]])
    }
  })
})

describe('the list of articles of a locale', () => {
  it('groups by category, newest group first, each article with its date, description and tags', async () => {
    const list = await page(plain, 'zh-TW/index.html')
    expect(texts(list, 'main > h2')).toEqual(['公告', '社區', '借閱指南'])
    // The list of groups on top jumps to them.
    expect(hrefs(list, '.groups a')).toEqual(['#group-1', '#group-2', '#group-3'])
    expect(selectAll('main > h2', list).map((node) => node.properties.id)).toEqual(['group-1', 'group-2', 'group-3'])
    expect(texts(list, '.groups a')).toEqual(['公告 2 篇', '社區 1 篇', '借閱指南 1 篇'])
    const items = selectAll('.articles > li', list)
    expect(items.map((item) => String(select('a', item)!.properties.href))).toEqual([
      'events/spring-fair.html',
      'short-note.html',
      'reading-aids.html',
      'guide/borrowing.html'
    ])
    const first = items[0]!
    expect(toString(select('a', first)!)).toBe('春季二手書市集')
    // The list takes the index entry's date, in the JSON bundle's normalized form (seconds added).
    expect(select('time', first)?.properties.dateTime).toBe('2026-04-02T19:00:00+08:00')
    expect(toString(select('time', first)!)).toBe('發布於2026年4月2日')
    expect(toString(select('.summary', first)!)).toBe('四月第一個週末，喺圖書館前面嘅廣場舉行。')
    expect(texts(first, '.tag')).toEqual(['活動', '二手書'])
    // The tags are named for a screen reader too.
    expect(texts(first, '.tags .visually-hidden')).toEqual(['標籤：'])
  })

  it('groups by folder when no article has a category, articles outside folders last', async () => {
    const cwd = await temporaryFolder()
    const write = async (name: string, text: string) => {
      await fs.mkdir(path.dirname(path.join(cwd, 'source', name)), {recursive: true})
      await fs.writeFile(path.join(cwd, 'source', name), text)
    }

    await write('about.md', '---\ntitle: 关于本站\nlang: zh-Hans\n---\n\n正文\n')
    await write('guide/index.md', '---\ntitle: 使用指南\nlang: zh-Hans\ndate: 2026-01-02\n---\n\n正文\n')
    await write('guide/start.md', '---\ntitle: 开始使用\nlang: zh-Hans\ndate: 2026-01-03\n---\n\n正文\n')
    await write('faq/money.md', '---\ntitle: 费用问题\nlang: zh-Hans\ndate: 2026-01-01\n---\n\n正文\n')
    const out = path.join(cwd, 'dist')
    expect((await runCli(['build', '--out', out, '--locales', 'zh-Hans,zh-TW'], {cwd})).code).toBe(0)
    const list = await page(out, 'zh-TW/index.html')
    // A folder's group is named by its index article; folders by their newest article.
    expect(texts(list, 'main > h2')).toEqual(['使用指南', 'faq', '其他文章'])
    expect(hrefs(list, '.articles > li > a')).toEqual(['guide/start.html', 'guide/index.html', 'faq/money.html', 'about.html'])
  })

  it('stays one list when grouping would give each article its own heading', async () => {
    const cwd = await temporaryFolder()
    await fs.mkdir(path.join(cwd, 'source'))
    await fs.writeFile(path.join(cwd, 'source/a.md'), '---\ntitle: 甲\nlang: zh-Hans\ncategory: 新闻\ndate: 2026-01-02\n---\n\n正文\n')
    await fs.writeFile(path.join(cwd, 'source/b.md'), '---\ntitle: 乙\nlang: zh-Hans\ncategory: 评论\ndate: 2026-01-03\n---\n\n正文\n')
    const out = path.join(cwd, 'dist')
    expect((await runCli(['build', '--out', out, '--locales', 'zh-Hans'], {cwd})).code).toBe(0)
    const list = await page(out, 'zh-Hans/index.html')
    expect(selectAll('main > h2, .groups', list)).toEqual([])
    // Each article says its category instead (and its reading time, from the index entry).
    expect(texts(list, '.articles .meta')).toEqual(['发布于2026年1月3日 · 分类：评论 · 约 1 分钟', '发布于2026年1月2日 · 分类：新闻 · 约 1 分钟'])
  })
})

describe('the front page', () => {
  it('shows the site and the latest articles of the main variant, every other variant in the page and one click away', async () => {
    const front = await page(plain, 'index.html')
    // Most articles are written in Simplified: its part shows without a script.
    expect(select('html', front)?.properties.lang).toBe('zh-Hans')
    expect(toString(select('title', front)!)).toBe('社区图书馆手记')
    const sections = selectAll('section.front', front)
    expect(sections.map((section) => [section.properties.dataFront, section.properties.lang, section.properties.hidden ?? false])).toEqual([
      ['zh-Hans', 'zh-Hans', false],
      ['zh-Hant', 'zh-Hant', true],
      ['zh-TW', 'zh-Hant-TW', true],
      ['zh-HK', 'zh-Hant-HK', true]
    ])
    const tw = sections[2]!
    expect(tw.properties.dataTitle).toBe('社群圖書館手記')
    expect(texts(tw, 'h1')).toEqual(['社群圖書館手記'])
    expect(texts(tw, 'h2')).toEqual(['最新文章'])
    expect(hrefs(tw, '.articles > li > a')).toEqual(['zh-TW/events/spring-fair.html', 'zh-TW/short-note.html', 'zh-TW/reading-aids.html', 'zh-TW/guide/borrowing.html'])
    expect(hrefs(tw, '.more a')).toEqual(['zh-TW/index.html'])
    // The variants, each named in its own script, lead to each variant's home.
    expect(hrefs(front, '.variants a')).toEqual(locales.map((locale) => `${locale}/index.html`))
    expect(selectAll('.variants a', front).map((link) => link.properties.dataVariant)).toEqual([...locales])
  })

  it('is the x-default of the lists; an article\'s x-default is the article as written', async () => {
    const list = await page(absolute, 'zh-HK/index.html')
    expect(select('link[hreflang=x-default]', list)?.properties.href).toBe(base + 'index.html')
    for (const [name, written] of [['reading-aids', 'zh-TW'], ['guide/borrowing', 'zh-Hans'], ['events/spring-fair', 'zh-HK']]) {
      for (const locale of locales) {
        const article = await page(absolute, `${locale}/${name}.html`)
        expect(select('link[hreflang=x-default]', article)?.properties.href, `${locale}/${name}`).toBe(`${base}${written}/${name}.html`)
      }
    }
  })
})

describe('404 pages', () => {
  it('one per locale and one at the root, in the site style, unindexed, linking home', async () => {
    const files = await listFiles(path.join(plain, 'html'))
    expect(files.filter((name) => name.endsWith('404.html'))).toEqual(['404.html', ...locales.map((locale) => `${locale}/404.html`)].sort())
    for (const locale of locales) {
      const tree = await page(plain, `${locale}/404.html`)
      expect(select('html', tree)?.properties.lang).toBe(htmlLang[locale])
      expect(select('meta[name=robots]', tree)?.properties.content).toBe('noindex')
      expect(select('style', tree)).toBeDefined()
      expect(hrefs(tree, 'main a')).toEqual(['index.html', 'index.html'])
      // With a base URL, absolute: hosts serve the page for a missing address at any depth.
      const served = await page(absolute, `${locale}/404.html`)
      expect(hrefs(served, 'main a')).toEqual([`${base}${locale}/index.html`, `${base}${locale}/index.html`])
      expect(hrefs(served, '.switcher a')).toEqual(locales.map((other) => `${base}${other}/index.html`))
    }

    expect(texts(await page(plain, 'zh-TW/404.html'), 'main h1')).toEqual(['找不到這個頁面'])
    const root = await page(plain, '404.html')
    expect(texts(root, 'main h1')).toEqual(['找不到这个页面 / 找不到這個頁面'])
    expect(hrefs(root, '.variants a')).toEqual(locales.map((locale) => `${locale}/index.html`))
    expect(hrefs(await page(absolute, '404.html'), '.variants a')).toEqual(locales.map((locale) => `${base}${locale}/index.html`))
  })

  it('keeps the path for itself: an article 404.md is a reserved-path error', async () => {
    const cwd = await temporaryFolder()
    await fs.mkdir(path.join(cwd, 'source'))
    await fs.writeFile(path.join(cwd, 'source/404.md'), '---\ntitle: 四〇四\nlang: zh-Hans\n---\n\n正文\n')
    const result = await runCli(['build', '--out', path.join(cwd, 'dist')], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/source\/404\.md:1:1 error .*the page for missing addresses \(`404\.html`\).*\[reserved-path\]/)
  })
})

describe('og:image (front matter `image`)', () => {
  it('is the copied image, absolute with a base URL; none without (previews need absolute URLs)', async () => {
    for (const locale of locales) {
      const with_ = await page(absolute, `${locale}/guide/borrowing.html`)
      expect(select('meta[property="og:image"]', with_)?.properties.content).toBe(`${base}${locale}/guide/images/shelves.png`)
      expect(select('meta[name="twitter:card"]', with_)?.properties.content).toBe('summary_large_image')
      expect(select('meta[property="og:image"]', await page(plain, `${locale}/guide/borrowing.html`))).toBeUndefined()
      expect(await fs.readFile(path.join(plain, `html/${locale}/guide/images/shelves.png`))).toEqual(await fs.readFile(path.join(source, 'guide/images/shelves.png')))
    }
  })

  it('copies an image only the front matter names, keeps a remote one as it is, and warns of a missing one', async () => {
    const cwd = await temporaryFolder()
    await fs.mkdir(path.join(cwd, 'source/pics'), {recursive: true})
    await fs.copyFile(path.join(source, 'guide/images/shelves.png'), path.join(cwd, 'source/pics/cover.png'))
    await fs.writeFile(path.join(cwd, 'source/a.md'), '---\ntitle: 甲\nlang: zh-Hans\nimage: pics/cover.png\n---\n\n正文\n')
    await fs.writeFile(path.join(cwd, 'source/b.md'), '---\ntitle: 乙\nlang: zh-Hans\nimage: https://cdn.example.org/b.png\n---\n\n正文\n')
    await fs.writeFile(path.join(cwd, 'source/c.md'), '---\ntitle: 丙\nlang: zh-Hans\nimage: pics/none.png\n---\n\n正文\n')
    const out = path.join(cwd, 'dist')
    const result = await runCli(['build', '--out', out, '--base-url', 'https://example.org/'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/source\/c\.md:4:8 warning missing image `pics\/none\.png`.*\[missing-image\]/)
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as {outputs: Array<{path: string; format: string}>}
    expect(manifest.outputs).toContainEqual(expect.objectContaining({path: 'html/zh-TW/pics/cover.png', format: 'asset'}))
    const og = async (name: string) => select('meta[property="og:image"]', await page(out, name))?.properties.content
    expect(await og('zh-TW/a.html')).toBe('https://example.org/zh-TW/pics/cover.png')
    expect(await og('zh-TW/b.html')).toBe('https://cdn.example.org/b.png')
    expect(await og('zh-TW/c.html')).toBeUndefined()
  })
})

describe("zhpress's script", () => {
  it('is the one script of every page, allowed by its sha256 in the page\'s Content-Security-Policy', async () => {
    const pages = (await listFiles(path.join(plain, 'html'))).filter((name) => name.endsWith('.html'))
    for (const name of pages) {
      const tree = await page(plain, name)
      const scripts = selectAll('script', tree)
      expect(scripts, name).toHaveLength(1)
      expect(scripts[0]!.properties, name).toEqual({})
      const text = toString(scripts[0] as Element)
      const policy = String(select('meta[http-equiv="Content-Security-Policy"]', tree)?.properties.content)
      expect(policy, name).toBe(`script-src 'sha256-${createHash('sha256').update(text).digest('base64')}'; object-src 'none'; base-uri 'none'; form-action 'none'`)
      // Before anything in the head but the charset.
      const head = select('head', tree)!.children.filter((node): node is Element => node.type === 'element')
      expect(head[1]?.properties.httpEquiv, name).toEqual(['Content-Security-Policy'])
    }
  })
})

describe('shards', () => {
  it('merge writes the same site as one build: articles in folders, their images, the site name, the list page and the 404 pages travel in shard.json', async () => {
    const cwd = await temporaryFolder()
    // The whole rich site: articles in folders and an image their pages use travel through the shards too.
    await fs.cp(source, path.join(cwd, 'source'), {recursive: true})
    // A home page of its own: the list moves to articles.html, in the merged site too.
    await fs.writeFile(path.join(cwd, 'source/index.md'), '---\ntitle: 首页\nlang: zh-Hans\n---\n\n欢迎。\n')
    for (const argv of [['--out', 'full'], ['--out', 'shard-1', '--shard', '1/2'], ['--out', 'shard-2', '--shard', '2/2']]) {
      const result = await runCli(['build', '--no-cache', ...argv], {cwd})
      expect(result.code, result.stderr).toBe(0)
    }

    const merged = await runCli(['merge', '--out', 'merged', 'shard-1', 'shard-2'], {cwd})
    expect(merged.code, merged.stderr).toBe(0)
    const full = await hashFolder(path.join(cwd, 'full'))
    expect(full.has('html/zh-TW/articles.html')).toBe(true)
    expect(full.has('html/zh-TW/events/spring-fair.html')).toBe(true)
    expect([...full.keys()].filter((file) => file.endsWith('.png')).length).toBeGreaterThan(0)
    // The front page leads to each variant's home (the source's index.md) and, one link further, to the list.
    const front = await page(path.join(cwd, 'full'), 'index.html')
    expect(hrefs(front, '.variants a')).toEqual(locales.map((locale) => `${locale}/index.html`))
    expect(hrefs(front, '.more a')).toEqual(locales.map((locale) => `${locale}/articles.html`))
    expect(await hashFolder(path.join(cwd, 'merged'))).toEqual(full)
  })
})
