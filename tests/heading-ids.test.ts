/**
 * Heading ids as site generators write them. A VitePress site's links name headings by VitePress's ids (`vi-fn` for
 * `## vi.fn`, where GitHub's slug is `vifn`): in a tree with a `.vitepress/`
 * folder, each heading whose VitePress id differs carries it as well, so
 * those links pass the link check and land in the browser. Fixture:
 * tests/fixtures/docs-vitepress (source and the expected ids side by side).
 * react.dev's `## 标题 {/*custom-id*\/}` is a custom id like `{#custom-id}`.
 * A Traditional source's non-standard forms (`註冊后`) are published in
 * standard forms, ids included: fixture tests/fixtures/docs-standard-ids.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {selectAll} from 'hast-util-select'
import {toString as hastToString} from 'hast-util-to-string'
import {HtmlValidate} from 'html-validate'
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {standardFragment} from '../scripts/convert/index.ts'
import {fixedHeadingText, headingIds, vitepressHeadingIds} from '../scripts/links.ts'
import {locales} from '../scripts/locales.ts'
import {checkLinks} from './link-check.ts'
import {fixtures, root, runCli, temporaryFolder} from './helpers.ts'

const fixture = path.join(fixtures, 'docs-vitepress')

/** Build the fixture as a VitePress site, as a VuePress site (`.vuepress/`, the same slug rule), or outside either. */
async function build(withConfig: boolean | 'vuepress') {
  const folder = await temporaryFolder()
  await fs.cp(path.join(fixture, 'source'), path.join(folder, 'source'), {recursive: true})
  if (withConfig === 'vuepress') await fs.rename(path.join(folder, 'source', '.vitepress'), path.join(folder, 'source', '.vuepress'))
  if (!withConfig) await fs.rm(path.join(folder, 'source', '.vitepress'), {recursive: true})
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
  return {...result, html: path.join(folder, 'dist', 'html')}
}

const brokenLines = (stderr: string) => stderr.split('\n').filter((line) => line.includes('[broken-link]'))

describe('heading ids of a VitePress site', async () => {
  const site = await build(true)

  it('builds, and only the link to a heading that does not exist is broken', () => {
    expect(site.code, site.stderr).toBe(0)
    const broken = brokenLines(site.stderr)
    expect(broken).toHaveLength(1)
    expect(broken[0]).toContain('vi-spyon')
  })

  it('gives each heading its own id and VitePress’s, in every locale', async () => {
    const expected = JSON.parse(await fs.readFile(path.join(fixture, 'expected-ids.json'), 'utf8')) as Record<string, Array<[string, string]>>
    for (const locale of locales) {
      for (const [page, pairs] of Object.entries(expected)) {
        const tree = fromHtml(await fs.readFile(path.join(site.html, locale, page), 'utf8'))
        const headings = selectAll('main h2', tree) as Array<Element>
        const found = headings.map((heading) => [heading.properties.id, (selectAll('a[id]', heading)[0] as Element | undefined)?.properties.id])
        expect(found, `${locale}/${page}`).toEqual(pairs)
      }
    }
  })

  it('lets every VitePress-style link land (independent link checker over the pages)', async () => {
    const {checked, broken} = await checkLinks(site.html)
    expect(checked).toBeGreaterThan(20)
    expect(broken.map((link) => link.href)).toEqual(locales.map(() => 'api/vi.html#vi-spyon'))
  })

  it('passes html-validate with the second ids', async () => {
    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    for (const locale of locales) {
      for (const name of ['api/vi.html', 'guide.html']) {
        const report = await validator.validateString(await fs.readFile(path.join(site.html, locale, name), 'utf8'), name)
        expect(report.results.flatMap((result) => result.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
      }
    }
  })

  it('keeps the table of contents and its text on the headings’ own ids', async () => {
    const document = JSON.parse(await fs.readFile(path.join(site.html, '..', 'json', 'zh-TW', 'guide.json'), 'utf8'))
    expect(document.toc).toEqual([
      {depth: 2, id: '安装配置', text: '安裝，配置'},
      {depth: 2, id: '1-第一步', text: '1. 第一步'}
    ])
  })

  it('is on in a VuePress site too: the same pages, byte for byte', async () => {
    const vuepress = await build('vuepress')
    expect(vuepress.code, vuepress.stderr).toBe(0)
    expect(brokenLines(vuepress.stderr)).toEqual(brokenLines(site.stderr))
    for (const locale of locales) {
      for (const name of ['api/vi.html', 'guide.html']) {
        expect(await fs.readFile(path.join(vuepress.html, locale, name), 'utf8')).toBe(await fs.readFile(path.join(site.html, locale, name), 'utf8'))
      }
    }
  })

  it('is off outside a VitePress site: the same links are broken there', async () => {
    const plain = await build(false)
    expect(plain.code, plain.stderr).toBe(0)
    expect(brokenLines(plain.stderr).length).toBeGreaterThanOrEqual(6)
    const tree = fromHtml(await fs.readFile(path.join(plain.html, 'zh-Hans', 'api', 'vi.html'), 'utf8'))
    expect(selectAll('main h2 a[id]', tree)).toEqual([])
  })
})

describe('vitepressHeadingIds', () => {
  const ids = (markdown: string) => {
    const tree = unified().use(remarkParse).parse(markdown) as Root
    const own = headingIds(tree)
    return {own, vitepress: vitepressHeadingIds(tree, own)}
  }

  it('differs where VitePress turns punctuation into hyphens, and leaves out what is equal', () => {
    expect(ids('## 安装指南\n\n## 配置 (可选)\n\n## config.ts 文件\n')).toEqual({
      own: ['安装指南', '配置-可选', 'configts-文件'],
      vitepress: [undefined, undefined, 'config-ts-文件']
    })
  })

  it('numbers duplicates as VitePress does, and skips a custom id', () => {
    expect(ids('## a.b\n\n## a.b\n\n## 标题 {#a-b}\n')).toEqual({own: ['ab', 'ab-1', 'a-b'], vitepress: [undefined, 'a-b-1', undefined]})
    expect(ids('## x.y\n\n## x.y\n')).toEqual({own: ['xy', 'xy-1'], vitepress: ['x-y', 'x-y-1']})
  })

  it('never takes an id another heading has (VitePress numbers the second `a-b`)', () => {
    expect(ids('## a.b\n\n## a-b\n')).toEqual({own: ['ab', 'a-b'], vitepress: [undefined, 'a-b-1']})
  })
})

describe('react.dev\'s custom ids, {/*id*/}', async () => {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  await fs.writeFile(path.join(folder, 'source', 'a.md'), '# 指南\n\n## 建立元件 {/*creating-components*/}\n\n先寫一個元件。\n\n## 第二節 {/* second-part */}\n\n再把它匯出。\n')
  await fs.writeFile(path.join(folder, 'source', 'b.md'), '# 索引\n\n請看[建立元件](a.md#creating-components)與[第二節](/a#second-part)。\n')
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})

  it('are the headings\' ids, taken out of the heading text in pages and toc, kept in the Markdown outputs', async () => {
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('[broken-link]')
    for (const locale of locales) {
      const tree = fromHtml(await fs.readFile(path.join(folder, 'dist', 'html', locale, 'a.html'), 'utf8'))
      const headings = selectAll('main h2', tree) as Array<Element>
      expect(headings.map((heading) => heading.properties.id)).toEqual(['creating-components', 'second-part'])
      for (const heading of headings) {
        expect(hastToString(heading)).not.toMatch(/[{}/*]/)
        expect(selectAll('em', heading)).toEqual([])
      }
      const document = JSON.parse(await fs.readFile(path.join(folder, 'dist', 'json', locale, 'a.json'), 'utf8'))
      expect(document.toc.map((entry: {id: string; text: string}) => [entry.id, /[{}/*]/.test(entry.text)])).toEqual([
        ['creating-components', false],
        ['second-part', false]
      ])
      expect(await fs.readFile(path.join(folder, 'dist', 'markdown', locale, 'a.md'), 'utf8')).toContain('{/*creating-components*/}')
    }
  })
})

describe('anchors written in raw HTML in a heading, `## <a name="id"></a>標題`', async () => {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  await fs.writeFile(
    path.join(folder, 'source', 'a.md'),
    '# <a name="setup-guide"></a>安裝指南\n\n## <a name="install-tools"></a>安裝工具\n\n先安裝。\n\n## <span id="first-run"></span>第一次執行\n\n再執行。\n\n## <a name="toc-title"></a>頁面自己的編號\n\n見[安裝工具](#install-tools)。\n'
  )
  await fs.writeFile(
    path.join(folder, 'source', 'b.md'),
    '# 索引\n\n- [安裝工具](a.md#install-tools)\n- [第一次執行](./a.md#first-run)\n- [標題本身](a.md#安裝工具)\n- [不存在](a.md#no-such-anchor)\n'
  )
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
  const html = path.join(folder, 'dist', 'html')

  it('are ids a link from another article lands on; only the missing one is broken', async () => {
    expect(result.code, result.stderr).toBe(0)
    expect(brokenLines(result.stderr)).toEqual([
      'source/b.md:6:3 warning broken link `a.md#no-such-anchor`: the article `a` has no heading with the id `no-such-anchor`; ids come from the source heading text or a `{#id}` [broken-link]'
    ])
    const {checked, broken} = await checkLinks(html)
    expect(checked).toBeGreaterThan(8)
    expect(broken.map((link) => link.href)).toEqual(locales.map(() => 'a.html#no-such-anchor'))
  })

  it('give the heading an empty anchor with the id, beside its own id, in every locale; never one of the page’s own ids', async () => {
    for (const locale of locales) {
      const tree = fromHtml(await fs.readFile(path.join(html, locale, 'a.html'), 'utf8'))
      const headings = selectAll('main h2', tree) as Array<Element>
      expect(headings.map((heading) => (selectAll('a[id]', heading) as Array<Element>).map((anchor) => anchor.properties.id))).toEqual([
        // Ours first; the author's anchor keeps its prefixed id (`name` is obsolete in HTML, so it becomes `id`).
        ['install-tools', 'user-content-install-tools'],
        ['first-run'],
        ['user-content-toc-title']
      ])
      // The page's own `toc-title` is not given to an author's anchor.
      expect(selectAll('[id="toc-title"]', tree).length).toBeLessThanOrEqual(1)
    }

    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    const report = await validator.validateString(await fs.readFile(path.join(html, 'zh-TW', 'a.html'), 'utf8'), 'a.html')
    expect(report.results.flatMap((entry) => entry.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
  })
})

describe('ids of a Traditional source written with non-standard forms (`## 註冊后的第一步`)', async () => {
  const fixture = path.join(fixtures, 'docs-standard-ids')
  const expected = JSON.parse(await fs.readFile(path.join(fixture, 'expected-ids.json'), 'utf8')) as Record<string, Record<string, Array<string>>>
  const build = async (...flags: Array<string>) => {
    const folder = await temporaryFolder()
    await fs.cp(path.join(fixture, 'source'), path.join(folder, 'source'), {recursive: true})
    const result = await runCli(['build', '--jobs', '1', '--no-cache', ...flags], {cwd: folder})
    return {...result, html: path.join(folder, 'dist', 'html'), json: path.join(folder, 'dist', 'json')}
  }
  const [standard, kept] = await Promise.all([build(), build('--keep-source-forms')])

  /** Every id and every fragment of a link on a page, decoded. */
  const attributes = (tree: ReturnType<typeof fromHtml>) =>
    (selectAll('[id], a[href*="#"]', tree) as Array<Element>).map((node) =>
      typeof node.properties.href === 'string' ? decodeURIComponent(node.properties.href.slice(node.properties.href.indexOf('#') + 1)) : String(node.properties.id)
    )

  it('gives the headings ids in the standard forms the pages show, in every locale; links written against the source land', async () => {
    expect(standard.code, standard.stderr).toBe(0)
    expect(brokenLines(standard.stderr)).toEqual([])
    for (const locale of locales) {
      for (const [page, ids] of Object.entries(expected.standard!)) {
        const tree = fromHtml(await fs.readFile(path.join(standard.html, locale, page), 'utf8'))
        expect((selectAll('main h2', tree) as Array<Element>).map((heading) => heading.properties.id), `${locale}/${page}`).toEqual(ids)
        // No attribute keeps a Traditional source's form: ids, the table of contents, links in and across
        // articles. (The Simplified article's heading is `之后的步骤` as its source writes it.)
        if (page !== 'simp.html') expect(attributes(tree).filter((value) => value.includes('后') && value !== '之后的步骤'), `${locale}/${page}`).toEqual([])
      }
      const document = JSON.parse(await fs.readFile(path.join(standard.json, locale, 'guide.json'), 'utf8'))
      expect(document.toc.map((entry: {id: string}) => entry.id)).toEqual(expected.standard!['guide.html'])
    }
    const {checked, broken} = await checkLinks(standard.html)
    // Among them a Traditional article's link to the Simplified article's `#之后的步骤`, kept as written.
    expect(checked).toBeGreaterThan(16)
    expect(broken).toEqual([])
  })

  it('keeps the source forms with --keep-source-forms, ids and links alike', async () => {
    expect(kept.code, kept.stderr).toBe(0)
    // Only the Simplified article's link, written to the standard-form id, finds nothing there: reported, with its place.
    expect(brokenLines(kept.stderr)).toEqual([expect.stringMatching(/^source\/simp\.md:10:10 warning broken link `guide\.md#註冊後的第一步`/)])
    for (const [page, ids] of Object.entries(expected['keep-source-forms']!)) {
      const tree = fromHtml(await fs.readFile(path.join(kept.html, 'zh-TW', page), 'utf8'))
      expect((selectAll('main h2', tree) as Array<Element>).map((heading) => heading.properties.id), page).toEqual(ids)
    }
    expect((await checkLinks(kept.html)).broken.map((link) => link.page).sort()).toEqual(locales.map((locale) => `${locale}/simp.html`).sort())
  })

  it('keeps the links landing after `check --fix` (it fixes the headings, not the link destinations)', async () => {
    const folder = await temporaryFolder()
    await fs.cp(path.join(fixture, 'source'), path.join(folder, 'source'), {recursive: true})
    const fixed = await runCli(['check', '--fix'], {cwd: folder})
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(await fs.readFile(path.join(folder, 'source', 'guide.md'), 'utf8')).toContain('## 註冊後的第一步')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(brokenLines(result.stderr)).toEqual([])
    expect((await checkLinks(path.join(folder, 'dist', 'html'))).broken).toEqual([])
  })

  it('puts a fragment into standard forms, unless its other characters are Simplified (a Simplified article’s heading)', () => {
    const file = new VFile({path: 'a.md', value: ''})
    file.data.sourceLocale = 'zh-TW'
    expect(standardFragment(file, '註冊后的第一步')).toBe('註冊後的第一步')
    expect(standardFragment(file, '逾期后果與處理')).toBe('逾期後果與處理')
    expect(standardFragment(file, '之后的步骤')).toBe('之后的步骤')
    expect(standardFragment(file, 'install-tools')).toBe('install-tools')
    file.data.keepSourceForms = true
    expect(standardFragment(file, '註冊后的第一步')).toBe('註冊后的第一步')
  })

  it('fixes the heading text only: code in a heading keeps what is written', () => {
    const source = '## **註冊后**的 `后台` 設定\n'
    const tree = unified().use(remarkParse).parse(source)
    const at = (text: string) => ({start: source.indexOf(text), end: source.indexOf(text) + 1, fix: '後'})
    // A fix offered inside the code is not made (conversion never touches code).
    expect(headingIds(tree, fixedHeadingText(source, [at('后**'), at('后台')]))).toEqual(['註冊後的-后台-設定'])
    expect(headingIds(tree)).toEqual(['註冊后的-后台-設定'])
  })
})
