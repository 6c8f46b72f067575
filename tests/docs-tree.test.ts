/**
 * Documentation trees: folders, index pages, optional front matter, links
 * between articles, heading ids, assets, raw HTML, containers, collisions.
 * The fixture trees are in tests/fixtures/docs-*\/source; every built page of
 * every locale goes through a link checker (parse5, via hast-util-from-html).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {visit} from 'unist-util-visit'
import {HtmlValidate} from 'html-validate'
import {describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {expectFile, fixtures, hashFolder, listFiles, root, runCli, temporaryFolder} from './helpers.ts'
import {checkLinks} from './link-check.ts'

/** Copy a fixture tree into a temporary folder and build it there (its cache stays there too). */
async function buildFixture(name: string, extra: Array<string> = []) {
  const folder = await temporaryFolder()
  await fs.cp(path.join(fixtures, name, 'source'), path.join(folder, 'source'), {recursive: true})
  const result = await runCli(['build', '--jobs', '1', ...extra], {cwd: folder})
  return {...result, folder, out: path.join(folder, 'dist')}
}

const read = (folder: string, name: string) => fs.readFile(path.join(folder, name), 'utf8')

/** Write `files` (path → content) into a new folder and build its `source` folder: `--jobs 1 --no-cache`. */
async function buildTree(files: Record<string, string | Buffer>, source: string): Promise<{folder: string; result: Awaited<ReturnType<typeof runCli>>}> {
  const folder = await temporaryFolder()
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(folder, name)), {recursive: true})
    await fs.writeFile(path.join(folder, name), content)
  }

  return {folder, result: await runCli(['build', '--source', source, '--jobs', '1', '--no-cache'], {cwd: folder})}
}

describe('a documentation tree', async () => {
  const build = await buildFixture('docs-site')

  it('builds with exit 0 and the documented messages', async () => {
    expect(build.code, build.stderr).toBe(0)
    const lines = build.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('built '))
    expect(lines.join('\n') + '\n').toBe(await expectFile(path.join(fixtures, 'docs-site', 'messages.txt'), lines.join('\n') + '\n'))
  })

  it('mirrors source paths: folders, index.md and README.md as folder index, slug renames the last segment', async () => {
    const files = (await listFiles(build.out)).filter((name) => !/^json\/[^/]+\.(?:schema\.json|d\.ts)$/.test(name) && name !== 'report.json' && !name.startsWith('.'))
    expect(files.join('\n') + '\n').toBe(await expectFile(path.join(fixtures, 'docs-site', 'files.txt'), files.join('\n') + '\n'))
    // Ignored, hidden: never read.
    expect(files.some((name) => name.includes('wip') || name.includes('secret'))).toBe(false)
  })

  it('links between articles and to headings work in every locale (link checker)', async () => {
    const {checked, broken} = await checkLinks(path.join(build.out, 'html'))
    expect(broken).toEqual([])
    expect(checked).toBeGreaterThan(100)
  })

  it('rewrites links to .md in the Markdown outputs, relative, root-absolute ones too', async () => {
    for (const locale of locales) {
      const home = await read(build.out, `markdown/${locale}/index.md`)
      expect(home).toContain('](guide/index.md)')
      expect(home).toContain('](guide/intro.md)')
      expect(home).toContain('](guide/intro.md#安装步骤)')
      expect(home).toContain('](guide/advanced/settings.md#custom-anchor)')
      const config = await read(build.out, `markdown/${locale}/guide/advanced/settings.md`)
      expect(config).toContain('](../intro.md#安装步骤)')
      expect(config).toContain('](../index.md)')
    }

    // Source-preserving otherwise: the zh-Hans output of a Simplified article is the source but for its links.
    const source = await read(build.folder, 'source/guide/intro.md')
    expect(await read(build.out, 'markdown/zh-Hans/guide/intro.md')).toBe(source.replace('(/guide/advanced/config.html#custom-anchor)', '(advanced/settings.md#custom-anchor)'))
  })

  it('takes heading ids from the source text, equal in every locale; custom ids honoured and removed', async () => {
    const ids = await Promise.all(
      locales.map(async (locale) => selectAll('article h2[id]', fromHtml(await read(build.out, `html/${locale}/guide/intro.html`))).map((node) => node.properties.id))
    )
    for (const list of ids) expect(list.filter((id) => id !== 'toc-title')).toEqual(['安装步骤', 'custom-setup'])
    const tw = fromHtml(await read(build.out, 'html/zh-TW/guide/intro.html'))
    expect(toString(select('h2#custom-setup', tw)!)).toBe('軟體配置')
    const document = JSON.parse(await read(build.out, 'json/zh-TW/guide/intro.json'))
    expect(document.toc).toEqual([
      {depth: 2, id: '安装步骤', text: '安裝步驟'},
      {depth: 2, id: 'custom-setup', text: '軟體配置'}
    ])
  })

  it('takes the title from the first level-1 heading (shown once), or front matter `title: 1984`', async () => {
    const tw = fromHtml(await read(build.out, 'html/zh-TW/guide/intro.html'))
    expect(selectAll('h1', tw).map((node) => toString(node))).toEqual(['快速入門'])
    // The page's title, then the site's (zhpress.yaml's `site.title`, converted).
    expect(toString(select('title', tw)!)).toBe('快速入門｜示例文件')
    const config = JSON.parse(await read(build.out, 'json/zh-Hant/guide/advanced/settings.json'))
    expect(config.title).toBe('1984')
    expect(config.slug).toBe('guide/advanced/settings')
  })

  it('converts text inside raw HTML, not code, tags or other attributes', async () => {
    const markdown = await read(build.out, 'markdown/zh-TW/guide/intro.md')
    expect(markdown).toContain('<summary>原版翻譯說明</summary>')
    expect(markdown).toContain('<p title="滑鼠提示">把滑鼠移到圖示上會顯示說明。<code>代码不转换</code></p>')
    expect(markdown).toContain('<kbd>Ctrl</kbd>')
    const page = fromHtml(await read(build.out, 'html/zh-TW/guide/intro.html'))
    expect(toString(select('details summary', page)!)).toBe('原版翻譯說明')
  })

  it('renders containers as labelled boxes, converted', async () => {
    const page = fromHtml(await read(build.out, 'html/zh-TW/guide/intro.html'))
    const boxes = selectAll('div.zh-container', page)
    expect(boxes.map((node) => [node.properties.className, toString(select('.zh-container-title', node)!)])).toEqual([
      [['zh-container', 'zh-container-tip'], '提示'],
      [['zh-container', 'zh-container-warning'], '注意']
    ])
    expect(toString(boxes[1]!)).toContain('舊版本的資料檔案需要先備份。')
    const hans = fromHtml(await read(build.out, 'html/zh-Hans/guide/advanced/settings.html'))
    expect(selectAll('.zh-container-title', hans).map((node) => toString(node))).toEqual(['提示', '信息'])
    // The unknown component passes through the sanitizer; the text after it is still there.
    expect(toString(select('main', hans)!)).toContain('回到快速入门的安装步骤')
  })

  it('copies images beside the pages, into the manifest', async () => {
    const manifest = JSON.parse(await read(build.out, 'manifest.json'))
    for (const locale of locales) {
      expect(await fs.readFile(path.join(build.out, `html/${locale}/guide/images/diagram.png`))).toEqual(
        await fs.readFile(path.join(build.folder, 'source/guide/images/diagram.png'))
      )
      expect(manifest.outputs).toContainEqual(expect.objectContaining({path: `html/${locale}/guide/images/diagram.png`, format: 'asset'}))
    }
  })

  it('keeps the id of a level-1 heading shown as the title on the page h1 (custom or slug), so links to it land', async () => {
    for (const locale of locales) {
      const reference = fromHtml(await read(build.out, `html/${locale}/reference/index.html`))
      expect(selectAll('h1', reference).map((node) => node.properties.id)).toEqual(['reference-top'])
      const intro = fromHtml(await read(build.out, `html/${locale}/guide/intro.html`))
      expect(selectAll('h1', intro).map((node) => node.properties.id)).toEqual(['快速入门'])
      const guide = fromHtml(await read(build.out, `html/${locale}/guide/index.html`))
      expect(selectAll('main a', guide).map((node) => node.properties.href)).toEqual(
        expect.arrayContaining(['../reference/index.html#reference-top', 'intro.html#快速入门'])
      )
    }
  })

  it('serves public/ at the site root: /img/logo.png is copied to each locale root and linked relatively', async () => {
    for (const locale of locales) {
      expect(await fs.readFile(path.join(build.out, `html/${locale}/img/logo.png`))).toEqual(await fs.readFile(path.join(build.folder, 'source/public/img/logo.png')))
      const home = fromHtml(await read(build.out, `html/${locale}/index.html`))
      expect(selectAll('main img', home).map((node) => node.properties.src)).toEqual(['img/logo.png'])
    }
  })

  it('publishes a README.md beside an index.md under its own name (the folder index is index.md)', async () => {
    for (const locale of locales) {
      expect(toString(select('h1', fromHtml(await read(build.out, `html/${locale}/reference/index.html`)))!)).toMatch(/^參考資料|^参考资料/)
      expect(await read(build.out, `markdown/${locale}/reference/README.md`)).toContain('index.md')
    }
  })

  it('skips VitePress dynamic routes with one info line, and publishes nothing for them', async () => {
    expect(build.stderr.split('\n').filter((line) => line.includes('[dynamic-route]'))).toHaveLength(1)
    expect((await listFiles(build.out)).some((name) => name.includes('partner'))).toBe(false)
  })

  it('makes the root index.md the home page and puts the list of articles at articles.html', async () => {
    const home = fromHtml(await read(build.out, 'html/zh-TW/index.html'))
    expect(toString(select('h1', home)!)).toBe('文件首頁')
    const list = fromHtml(await read(build.out, 'html/zh-TW/articles.html'))
    expect(selectAll('.articles a', list).map((node) => node.properties.href)).toEqual([
      'guide/advanced/settings.html',
      'guide/index.html',
      'guide/intro.html',
      // Grouped by folder (no article has a category); articles outside folders come last.
      'reference/README.html',
      'reference/index.html',
      'index.html'
    ])
  })

  it('check reports what build reports', async () => {
    const checked = await runCli(['check'], {cwd: build.folder})
    const lines = (text: string) => text.split('\n').filter((line) => line.includes(' warning ') || line.includes(' error ') || line.includes(' info '))
    expect(lines(checked.stderr)).toEqual(lines(build.stderr))
  })
})

describe('asset folders served at the site root', () => {
  const png = (byte: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, byte])

  it.each([
    {
      site: 'the static/ folder of the Docusaurus site enclosing the source folder',
      source: 'website/i18n/zh-Hans/docusaurus-plugin-content-docs/current',
      files: {
        'website/docusaurus.config.js': 'module.exports = {}\n',
        'website/static/img/arch.png': png(1),
        'website/i18n/zh-Hans/docusaurus-plugin-content-docs/current/guide/overview.md':
          '# 架构概览\n\n整体架构见下图。\n\n![架构图](/img/arch.png)\n\n没有的图片：![缺图](/img/none.png)\n'
      },
      served: ['img/arch.png', png(1)],
      page: 'guide/overview.html',
      sources: ['../img/arch.png', '/img/none.png'],
      missing: '/img/none.png'
    },
    {
      site: 'the .vuepress/public/ folder of a VuePress site (the source folder being its docs/ or a locale in it)',
      source: 'docs/zh',
      files: {
        'docs/.vuepress/config.js': "module.exports = {title: '文档'}\n",
        'docs/.vuepress/public/assets/flow.png': png(3),
        'docs/zh/guide/start.md': '# 开始\n\n![流程](/assets/flow.png)\n'
      },
      served: ['assets/flow.png', png(3)],
      page: 'guide/start.html',
      sources: ['../assets/flow.png']
    },
    {
      site: 'the public/ folder of the Next.js site enclosing the source folder, by root-absolute and relative URLs',
      source: 'site/src/content',
      files: {
        'site/next.config.js': 'module.exports = {}\n',
        'site/public/images/tree.png': png(2),
        'site/src/content/learn/tree.md': '# 畫面是一棵樹\n\n![元件樹](/images/tree.png)\n\n![同一張圖](../images/tree.png)\n'
      },
      served: ['images/tree.png', png(2)],
      page: 'learn/tree.html',
      sources: ['../images/tree.png', '../images/tree.png']
    }
  ] as Array<{site: string; source: string; files: Record<string, string | Buffer>; served: [string, Buffer]; page: string; sources: string[]; missing?: string}>)(
    'finds $site',
    async ({source, files, served, page, sources, missing}) => {
      const {folder, result} = await buildTree(files, source)
      expect(result.code, result.stderr).toBe(0)
      const missingImages = result.stderr.split('\n').filter((line) => line.includes('[missing-image]'))
      expect(missingImages.map((line) => /`([^`]+)`/.exec(line)?.[1])).toEqual(missing === undefined ? [] : [missing])
      for (const locale of locales) {
        expect(await fs.readFile(path.join(folder, `dist/html/${locale}`, served[0]))).toEqual(served[1])
        const html = fromHtml(await read(folder, `dist/html/${locale}/${page}`))
        expect(selectAll('main img', html).map((image) => image.properties.src)).toEqual(sources)
      }
    }
  )

  it('finds a doc named as its folder (Docusaurus: `linux/linux.md` is `/linux/`) and a doc linked with a trailing slash', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source/linux/router'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/linux/linux.md'), '# 命令列版本\n\n在終端機裡使用。\n')
    await fs.writeFile(path.join(folder, 'source/linux/router/router.md'), '# 在路由器上設定\n\n支援幾種路由器。\n')
    await fs.writeFile(path.join(folder, 'source/linux/router/mikrotik.md'), '# MikroTik\n\n先登入路由器。\n')
    await fs.writeFile(
      path.join(folder, 'source/intro.md'),
      '# 簡介\n\n- [命令列](/linux/)\n- [路由器](/linux/router)\n- [MikroTik](/linux/router/mikrotik/)\n- [相對連結](./linux/router/)\n- [不存在](/linux/nothing/)\n'
    )
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes('[broken-link]'))).toEqual([
      'source/intro.md:7:3 warning broken link `/linux/nothing/`: no article or file `linux/nothing/index.md` in the source folder [broken-link]'
    ])
    const page = fromHtml(await read(folder, 'dist/html/zh-TW/intro.html'))
    expect(selectAll('main li a', page).map((link) => link.properties.href)).toEqual([
      'linux/linux.html',
      'linux/router/router.html',
      'linux/router/mikrotik.html',
      'linux/router/router.html',
      '/linux/nothing/'
    ])
  })

  it('names the page of a file name with spaces or `&`, `?`, `#`, `%` with `-` for each run of them; two that meet are a duplicate-slug', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/Spring Boot 入门.md'), '# Spring Boot 入门\n\n先建立一个项目。\n')
    await fs.writeFile(path.join(folder, 'source/index.md'), '# 博客\n\n[入门](Spring%20Boot%20入门.md)与[另一篇](<Spring Boot 入门.md>)。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('[broken-link]')
    const page = fromHtml(await read(folder, 'dist/html/zh-TW/index.html'))
    expect(selectAll('main p a', page).map((link) => link.properties.href)).toEqual(['Spring-Boot-入门.html', 'Spring-Boot-入门.html'])
    expect(JSON.parse(await read(folder, 'dist/json/zh-Hans/Spring-Boot-入门.json')).slug).toBe('Spring-Boot-入门')

    await fs.writeFile(path.join(folder, 'source/Spring-Boot-入门.md'), '# 另一篇\n\n同名的页面。\n')
    const clash = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(clash.code).toBe(1)
    expect(clash.stderr).toContain('[duplicate-slug]')
    expect(clash.stderr).toContain('Spring Boot 入门.md')
  })

  it('reads front matter indented with tabs, as Hexo does, and keeps the tabs in the Markdown outputs', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/post.md'), '---\ntitle: 第一篇\ndate: 2019-12-19 14:48\ntags:\n\t- 设计\n\t- 杂谈\n---\n\n欢迎来到这里。\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(await read(folder, 'dist/json/zh-TW/post.json')).tags).toEqual(['設計', '雜談'])
    expect(await read(folder, 'dist/markdown/zh-TW/post.md')).toContain('tags:\n\t- 設計\n\t- 雜談\n')
  })

  it('takes the folders of the `assets` setting, the first folder holding a path winning', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    await fs.mkdir(path.join(folder, 'shared/img'), {recursive: true})
    await fs.mkdir(path.join(folder, 'source/public/img'), {recursive: true})
    await fs.writeFile(path.join(folder, 'shared/img/a.png'), png(2))
    await fs.writeFile(path.join(folder, 'source/public/img/a.png'), png(3))
    await fs.writeFile(path.join(folder, 'source/zhpress.yaml'), 'assets: [../shared, public]\n')
    await fs.writeFile(path.join(folder, 'source/a.md'), '# 图片\n\n![图](/img/a.png)\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    for (const locale of locales) expect(await fs.readFile(path.join(folder, `dist/html/${locale}/img/a.png`))).toEqual(png(2))
    const {broken} = await checkLinks(path.join(folder, 'dist/html'))
    expect(broken).toEqual([])
  })

  it('refuses an `assets` value that is not a list of relative folders', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/zhpress.yaml'), 'assets: [/var/www]\n')
    await fs.writeFile(path.join(folder, 'source/a.md'), '# 图片\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/zhpress.yaml:1:10 error `assets` takes a list of folders relative to the source folder')
  })
})

describe('alerts (`> [!NOTE]`, as GitHub, VitePress and DocFX write them)', async () => {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  await fs.writeFile(
    path.join(folder, 'source', 'a.md'),
    [
      '# 提醒',
      '',
      '> [!NOTE]\n> 設定檔放在使用者資料夾。',
      '> [!TIP]\n> 可以用快捷鍵開啟。',
      '> [!IMPORTANT]\n> 升級前先閱讀說明。',
      '> [!WARNING]\n> 這會刪除資料。\n>\n> 第二段也在框裡。',
      '> [!caution]\n> 無法復原。',
      '> [!NOTE] 同一行還有字，不是提醒。',
      '> 普通的引文。',
      '',
      '- 清單裡的提醒：\n\n  > [!TIP]\n  > 也可以。\n'
    ].join('\n\n')
  )
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})

  it('become labelled boxes of their kind, in the page’s locale; a quote with more on the `[!NOTE]` line stays a quote', async () => {
    expect(result.code, result.stderr).toBe(0)
    const page = fromHtml(await read(folder, 'dist/html/zh-Hans/a.html'))
    expect(selectAll('div.zh-container', page).map((node) => [(node.properties.className as Array<string>)[1], toString(select('.zh-container-title', node)!)])).toEqual([
      ['zh-container-note', '注意'],
      ['zh-container-tip', '提示'],
      ['zh-container-note', '重要'],
      ['zh-container-warning', '警告'],
      ['zh-container-danger', '小心'],
      ['zh-container-tip', '提示']
    ])
    const warning = selectAll('div.zh-container', page)[3]!
    expect(selectAll('p', warning).map((node) => toString(node))).toEqual(['警告', '这会删除数据。', '第二段也在框里。'])
    expect(selectAll('main blockquote', page).map((node) => toString(node).trim())).toEqual(['[!NOTE] 同一行还有字，不是提醒。', '普通的引文。'])
    expect(toString(select('main', page)!)).not.toMatch(/\[!(?:NOTE|TIP|IMPORTANT|WARNING|caution)\]\n/)
  })

  it('stay as written in the Markdown outputs, and the pages pass html-validate', async () => {
    expect(await read(folder, 'dist/markdown/zh-TW/a.md')).toContain('> [!WARNING]\n> 這會刪除資料。')
    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    const report = await validator.validateString(await read(folder, 'dist/html/zh-TW/a.html'), 'a.html')
    expect(report.results.flatMap((entry) => entry.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
  })
})

describe('Hugo shortcodes alone in a paragraph', async () => {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  await fs.writeFile(
    path.join(folder, 'source', 'a.md'),
    [
      '# 查询',
      '{{< copyable "sql" >}}',
      '```sql\nSELECT 1;\n```',
      '{{% notice tip %}}\n{{< tab "一" >}}',
      '先备份数据。',
      '{{< /tab >}}',
      '文中的 {{< glossary_tooltip text="节点" >}} 留在句子里。'
    ].join('\n\n') + '\n'
  )
  const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})

  it('are left out of the pages, what they enclose and shortcodes inside a sentence stay', async () => {
    expect(result.code, result.stderr).toBe(0)
    const page = fromHtml(await read(folder, 'dist/html/zh-TW/a.html'))
    expect(selectAll('main p', page).map((node) => toString(node))).toEqual(['先備份資料。', '文中的 {{< glossary_tooltip text="節點" >}} 留在句子裡。'])
    expect(toString(select('main pre', page)!)).toContain('SELECT 1;')
  })

  it('stay as written in the Markdown outputs', async () => {
    const markdown = await read(folder, 'dist/markdown/zh-TW/a.md')
    expect(markdown).toContain('{{< copyable "sql" >}}\n\n```sql')
    expect(markdown).toContain('{{% notice tip %}}\n{{< tab "一" >}}')
  })
})

describe('a site published under a sub-path', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7])
  // Each generator's own setting for the sub-path, and where its source folder sits.
  const sites: Array<{name: string; source: string; files: Record<string, string>}> = [
    {name: 'Hexo `root`', source: 'source', files: {'_config.yml': 'title: 部落格\nurl: https://example.org/sub\nroot: /sub/\n'}},
    {name: 'Jekyll `baseurl`', source: 'source', files: {'_config.yml': 'baseurl: "/sub" # the repository\n'}},
    {name: 'VitePress `base`', source: 'docs', files: {'docs/.vitepress/config.ts': "export default {\n  base: '/sub/',\n  title: '文件'\n}\n"}},
    {name: 'VuePress `base`', source: 'docs', files: {'docs/.vuepress/config.js': "module.exports = {\n  base: '/sub/',\n  title: '文件'\n}\n"}},
    {name: 'Docusaurus `baseUrl`', source: 'docs', files: {'docusaurus.config.js': "module.exports = {url: 'https://example.org', baseUrl: '/sub/'}\n"}},
    {name: 'mdBook `site-url`', source: 'src', files: {'book.toml': '[book]\ntitle = "書"\n\n[output.html]\nsite-url = "/sub/"\n'}}
  ]

  for (const site of sites) {
    it(`resolves root-absolute URLs that start with the sub-path (${site.name})`, async () => {
      const folder = await temporaryFolder()
      const source = path.join(folder, site.source)
      await fs.mkdir(path.join(source, 'assets'), {recursive: true})
      await fs.mkdir(path.join(source, 'guide'), {recursive: true})
      for (const [name, text] of Object.entries(site.files)) {
        await fs.mkdir(path.dirname(path.join(folder, name)), {recursive: true})
        await fs.writeFile(path.join(folder, name), text)
      }

      await fs.writeFile(path.join(source, 'assets/pic.png'), png)
      await fs.writeFile(path.join(source, 'guide/start.md'), '# 開始\n\n先安裝。\n')
      await fs.writeFile(
        path.join(source, 'intro.md'),
        '# 簡介\n\n![流程圖](/sub/assets/pic.png)\n\n- [開始](/sub/guide/start)\n- [不帶子路徑](/guide/start)\n- [不存在](/sub/nothing.png)\n'
      )
      const result = await runCli(['build', '--source', site.source, '--jobs', '1', '--no-cache'], {cwd: folder})
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr.split('\n').filter((line) => /\[(?:broken-link|missing-image)\]/.test(line))).toEqual([
        `${site.source}/intro.md:7:3 warning broken link \`/sub/nothing.png\`: no article or file \`nothing.png\` in the source folder [broken-link]`
      ])
      for (const locale of locales) {
        expect(await fs.readFile(path.join(folder, `dist/html/${locale}/assets/pic.png`))).toEqual(png)
        const page = fromHtml(await read(folder, `dist/html/${locale}/intro.html`))
        expect(select('main img', page)!.properties.src).toBe('assets/pic.png')
        expect(selectAll('main li a', page).map((link) => link.properties.href)).toEqual(['guide/start.html', 'guide/start.html', '/sub/nothing.png'])
      }
    })
  }

  it('leaves such URLs broken when no setting names the sub-path', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source/assets'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/assets/pic.png'), png)
    await fs.writeFile(path.join(folder, 'source/intro.md'), '# 簡介\n\n![流程圖](/sub/assets/pic.png)\n')
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('source/intro.md:3:1 warning missing image `/sub/assets/pic.png`: no file `sub/assets/pic.png` in the source folder [missing-image]')
  })
})

describe('a tree with collisions', () => {
  it('refuses two articles on one path, and an article on the list page, naming both; dist/ untouched', async () => {
    const folder = await temporaryFolder()
    const source = path.join(folder, 'source')
    await fs.cp(path.join(fixtures, 'docs-collision', 'source'), source, {recursive: true})
    // A previous build, without the two colliding files.
    const aside = await temporaryFolder()
    for (const name of ['articles.md', 'guide/other.md']) await fs.rename(path.join(source, name), path.join(aside, path.basename(name)))
    expect((await runCli(['build', '--formats', 'md'], {cwd: folder})).code).toBe(0)
    await fs.rename(path.join(aside, 'articles.md'), path.join(source, 'articles.md'))
    await fs.rename(path.join(aside, 'other.md'), path.join(source, 'guide/other.md'))
    const before = await hashFolder(path.join(folder, 'dist'))
    const result = await runCli(['build', '--formats', 'md'], {cwd: folder})
    expect(result.code).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => line.includes(' error '))
    expect(errors).toContain(
      'source/guide/other.md:2:7 error duplicate output path `guide/index`: source/guide/index.md is published there too; give one of them another `slug` [duplicate-slug]'
    )
    expect(errors).toContain(
      'source/articles.md:1:1 error output path `articles` is taken by the list of articles (`articles.html`); give the article another `slug` or file name [reserved-path]'
    )
    expect(await hashFolder(path.join(folder, 'dist'))).toEqual(before)
  })
})

describe('links written as hash routes (ditto, Docsify)', () => {
  it('point at the article the route names, in the pages and the Markdown outputs; a route to nothing is a broken link', async () => {
    const {folder, result} = await buildTree(
      {
        'book/sidebar.md': '# 目录\n\n- [let 命令](#docs/let)\n- [下载](#/docs/install?id=下载安装包)\n- [没有](#docs/none)\n- [本页](#目录)\n',
        'book/docs/let.md': '# let 命令\n\n块级作用域。\n',
        'book/docs/install.md': '# 安装\n\n## 下载安装包\n\n从镜像下载。\n'
      },
      'book'
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes('[broken-link]'))).toEqual([
      'book/sidebar.md:5:3 warning broken link `#docs/none`: no heading with the id `docs/none` in this article; ids come from the source heading text or a `{#id}` [broken-link]'
    ])
    for (const locale of locales) {
      const page = fromHtml(await read(folder, `dist/html/${locale}/sidebar.html`))
      expect(selectAll('main li a', page).map((link) => link.properties.href)).toEqual(['docs/let.html', 'docs/install.html#%E4%B8%8B%E8%BD%BD%E5%AE%89%E8%A3%85%E5%8C%85', '#docs/none', '#%E7%9B%AE%E5%BD%95'])
      const markdown = await read(folder, `dist/markdown/${locale}/sidebar.md`)
      expect(markdown).toContain('](docs/let.md)')
      expect(markdown).toContain('](docs/install.md#%E4%B8%8B%E8%BD%BD%E5%AE%89%E8%A3%85%E5%8C%85)')
    }
  })
})

describe('stubs: empty files of a documentation tree', () => {
  it('are published as empty pages titled by their file names, with a warning each, so links to them land', async () => {
    const {folder, result} = await buildTree(
      {
        'docs/index.md': '# 算法笔记\n\n先读[最短路](graph/shortest.md)，再读[网络流](graph/flow.md)。\n',
        'docs/graph/shortest.md': '',
        'docs/graph/flow.md': ' \n\n\t\n'
      },
      'docs'
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes('[empty-file]')).map((line) => line.split(' ')[0])).toEqual(['docs/graph/flow.md:1:1', 'docs/graph/shortest.md:1:1'])
    for (const locale of locales) {
      for (const stub of ['shortest', 'flow']) {
        const page = fromHtml(await read(folder, `dist/html/${locale}/graph/${stub}.html`))
        expect(toString(select('main h1', page)!)).toBe(stub)
      }
    }
    expect((await checkLinks(path.join(folder, 'dist/html'))).broken).toEqual([])
    // `check` says the same, and `--strict` refuses stubs.
    expect((await runCli(['check', '--source', 'docs'], {cwd: folder})).stderr).toContain('docs/graph/shortest.md:1:1 warning empty file')
    expect((await runCli(['build', '--source', 'docs', '--strict', '--no-cache'], {cwd: folder})).code).toBe(1)
  })
})

describe('an HTML file of the source on an article\'s path', () => {
  it('publishes the article, not the shell or template, with one warning naming both (Docsify, MkDocs theme)', async () => {
    const {folder, result} = await buildTree(
      {
        // Docsify: the app shell beside the home page's README.md.
        'docs/index.html': '<!DOCTYPE html><html><body><div id="app"></div><script src="//cdn.jsdelivr.net/npm/docsify"></script></body></html>\n',
        'docs/README.md': '# 入门教程\n\n请先阅读[安装说明](guide/install.md)。\n',
        // A theme's fragment beside the page it decorates, and a page it links to.
        'docs/guide/install.html': '<section class="hero"><h1>安装</h1></section>\n',
        'docs/guide/install.md': '# 安装说明\n\n回到[首页](../README.md)，或看[横幅](install.html)。\n'
      },
      'docs'
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes('[shadowed-file]'))).toEqual([
      'docs/README.md:1:1 warning the file `docs/index.html` is not published: this article\'s page `index.html` takes its path; rename one of them to publish both [shadowed-file]',
      'docs/guide/install.md:1:1 warning the file `docs/guide/install.html` is not published: this article\'s page `guide/install.html` takes its path; rename one of them to publish both [shadowed-file]'
    ])
    for (const locale of locales) {
      const home = fromHtml(await read(folder, `dist/html/${locale}/index.html`))
      expect(select('script[src*="docsify"]', home)).toBeUndefined()
      expect(toString(select('main h1', home)!)).toMatch(/^入[门門]教程$/)
      const install = fromHtml(await read(folder, `dist/html/${locale}/guide/install.html`))
      expect(select('section.hero', install)).toBeUndefined()
      expect(selectAll('main a', install).map((link) => link.properties.href)).toEqual(['../index.html', 'install.html'])
    }
    expect((await checkLinks(path.join(folder, 'dist/html'))).broken).toEqual([])
  })
})

describe('a tree with broken links', () => {
  it('warns with positions about missing articles, headings and images', async () => {
    const build = await buildFixture('docs-broken')
    expect(build.code).toBe(0)
    const warnings = build.stderr.split('\n').filter((line) => line.includes(' warning '))
    expect(warnings).toEqual([
      'source/a.md:3:6 warning broken link `b.md#不存在`: the article `b` has no heading with the id `不存在`; ids come from the source heading text or a `{#id}` [broken-link]',
      'source/a.md:3:30 warning broken link `missing.md`: no article or file `missing.md` in the source folder [broken-link]',
      'source/a.md:5:1 warning missing image `images/none.png`: no file `images/none.png` in the source folder [missing-image]',
      'source/a.md:7:4 warning broken link `#没有这一节`: no heading with the id `没有这一节` in this article; ids come from the source heading text or a `{#id}` [broken-link]'
    ])
    // The summary splits the source's broken links from any zhpress broke (none).
    expect(build.stderr).toContain('broken links: 4 in the source (their targets are missing from the source tree), 0 broken by zhpress\n')
    const checked = await runCli(['check'], {cwd: build.folder})
    expect(checked.stderr).toContain('broken links: 4 in the source (their targets are missing from the source tree)\n')
    const json = JSON.parse((await runCli(['check', '--format', 'json'], {cwd: build.folder})).stdout)
    expect(json.brokenLinks).toEqual({source: 4, zhpress: null})
    // The link checker finds exactly these, in every locale, and nothing else.
    const {broken} = await checkLinks(path.join(build.out, 'html'))
    expect(broken.map(({page, problem}) => `${page} ${problem}`).sort()).toEqual(
      locales.flatMap((locale) => [
        `${locale}/a.html no element with id 不存在`,
        `${locale}/a.html no element with id 没有这一节`,
        `${locale}/a.html no such file`,
        `${locale}/a.html no such file`
      ]).sort()
    )
  })
})

describe('the link check of the published pages', () => {
  it('finds links that find no file or element, and blames zhpress only where the source link resolved', async () => {
    const {VFile} = await import('vfile')
    const {report} = await import('../scripts/diagnostics.ts')
    const {checkPublishedLinks} = await import('../scripts/commands/site-tree.ts')
    const {findBrokenLinks} = await import('../scripts/site-links.ts')
    const staging = await temporaryFolder()
    const page = (body: string) => `<!doctype html><html lang="zh-TW"><head><title>頁</title></head><body><main><h1 id="頂部">頁</h1>${body}</main></body></html>`
    const pages: Record<string, string> = {
      'zh-TW/a.html': page('<a href="b.html#第二節">好</a><a href="b.html#沒有">壞</a><a href="#頂部">頂</a><img src="img/x.png" alt="圖"><a href="https://example.org/">外</a>'),
      'zh-TW/b.html': page('<h2 id="第二節">二</h2><a href="missing.html">源頭就壞</a><a href="../../outside.html">外面</a><a href="../std/x.html">源資料夾外</a><a href="../zh-HK/b.html">切換</a>')
    }
    for (const [name, html] of Object.entries(pages)) {
      await fs.mkdir(path.dirname(path.join(staging, 'html', name)), {recursive: true})
      await fs.writeFile(path.join(staging, 'html', name), html)
    }

    // zh-HK is a locale folder of the site (its pages are not checked here): a link into it is checked.
    expect(findBrokenLinks(new Map(Object.entries(pages)), new Set([...Object.keys(pages), 'zh-HK/index.html']))).toEqual([
      {page: 'zh-TW/a.html', href: 'b.html#沒有', problem: 'no element with the id `沒有` in `zh-TW/b.html`'},
      {page: 'zh-TW/a.html', href: 'img/x.png', problem: 'no file `zh-TW/img/x.png`'},
      {page: 'zh-TW/b.html', href: 'missing.html', problem: 'no file `zh-TW/missing.html`'},
      {page: 'zh-TW/b.html', href: '../zh-HK/b.html', problem: 'no file `zh-HK/b.html`'}
    ])
    const a = new VFile({path: 'source/a.md'})
    const b = new VFile({path: 'source/b.md'})
    // b's broken link is the source's own: reported on the source, not again.
    report(b, 'broken-link', {url: 'missing.md', problem: '没有'}, {place: {line: 1, column: 1}, actual: 'missing.html'})
    const entry = (name: string, article: string) => ({path: `html/${name}`, article, locale: 'zh-TW' as const, format: 'html', bytes: 0, sha256: ''})
    const count = await checkPublishedLinks(staging, [entry('zh-TW/a.html', 'a'), entry('zh-TW/b.html', 'b')], new Map([['a', a], ['b', b]]), [])
    expect(count).toBe(2)
    expect(a.messages.map((message) => [message.ruleId, message.reason])).toEqual([
      ['output-broken-link', 'zhpress wrote a broken link `b.html#沒有` in `html/zh-TW/a.html`: no element with the id `沒有` in `zh-TW/b.html`; the source link is fine, so this is a bug in zhpress: please report it'],
      ['output-broken-link', 'zhpress wrote a broken link `img/x.png` in `html/zh-TW/a.html`: no file `zh-TW/img/x.png`; the source link is fine, so this is a bug in zhpress: please report it']
    ])
    expect(b.messages.map((message) => message.ruleId)).toEqual(['broken-link'])
  })
})

describe('merge checks links across shards', () => {
  it('reports a link into a missing heading of another shard as a full build does, report.json included', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    await fs.writeFile(path.join(folder, 'source/a.md'), '# 第一篇\n\n见[第二篇的用法](b.md#用法)、[不存在的一节](b.md#不存在)和[第三篇](c.md#也没有)。\n')
    await fs.writeFile(path.join(folder, 'source/b.md'), '# 第二篇\n\n## 用法\n\n回到[第一篇](a.md#第一篇)。\n')
    await fs.writeFile(path.join(folder, 'source/c.md'), '# 第三篇\n\n没有小节。\n')
    const run = (args: Array<string>) => runCli([...args, '--jobs', '1', '--no-cache'], {cwd: folder})
    const full = await run(['build', '--out', 'full'])
    expect(full.code, full.stderr).toBe(0)
    // a.md and c.md are shard 1, b.md shard 2: the link into b is checked by nobody but merge.
    for (const index of [1, 2]) expect((await run(['build', '--shard', `${index}/2`, '--out', `s${index}`])).code).toBe(0)
    const merged = await runCli(['merge', '--out', 'merged', 's1', 's2'], {cwd: folder})
    expect(merged.code, merged.stderr).toBe(0)
    const brokenLines = (text: string) => text.split('\n').filter((line) => line.includes('[broken-link]'))
    expect(brokenLines(full.stderr)).toEqual([
      'source/a.md:3:20 warning broken link `b.md#不存在`: the article `b` has no heading with the id `不存在`; ids come from the source heading text or a `{#id}` [broken-link]',
      'source/a.md:3:39 warning broken link `c.md#也没有`: the article `c` has no heading with the id `也没有`; ids come from the source heading text or a `{#id}` [broken-link]'
    ])
    expect(brokenLines(merged.stderr)).toEqual(brokenLines(full.stderr).slice(0, 1))
    expect(merged.stderr).toContain('broken links: 1 in the source (their targets are missing from the source tree)')
    expect(await read(folder, 'merged/report.json')).toBe(await read(folder, 'full/report.json'))
  })
})

describe('diagnostics a person can act on', () => {
  it('folds warnings of a rule beyond the limit, then repeats every error at the end', async () => {
    const {VFile} = await import('vfile')
    const {report} = await import('../scripts/diagnostics.ts')
    const {formatDiagnostics} = await import('../scripts/report.ts')
    const a = new VFile({path: 'source/a.md'})
    for (let line = 1; line <= 5; line++) report(a, 'broken-link', {url: `x${line}.md`, problem: '没有这篇'}, {place: {line, column: 1}})
    report(a, 'unknown-locale', {lang: 'zh-XX'}, {place: {line: 3, column: 7}})
    const b = new VFile({path: 'source/b.md'})
    report(b, 'missing-image', {url: 'a.png', path: 'a.png'}, {place: {line: 2, column: 1}})
    expect(formatDiagnostics([a, b], {limit: 2})).toEqual([
      'source/a.md:1:1 warning broken link `x1.md`: 没有这篇 [broken-link]',
      'source/a.md:2:1 warning broken link `x2.md`: 没有这篇 [broken-link]',
      'source/a.md:3:7 error unknown locale `zh-XX`; use zh-Hans, zh-Hant, zh-TW or zh-HK [unknown-locale]',
      'source/b.md:2:1 warning missing image `a.png`: no file `a.png` in the source folder [missing-image]',
      '… 3 more warnings [broken-link] (2 shown; --verbose prints all)',
      'broken links: 6 in the source (their targets are missing from the source tree)',
      '1 error:',
      '  source/a.md:3:7 error unknown locale `zh-XX`; use zh-Hans, zh-Hant, zh-TW or zh-HK [unknown-locale]'
    ])
    expect(formatDiagnostics([a, b], {limit: 2, verbose: true}).filter((line) => line.includes('[broken-link]'))).toHaveLength(5)
  })

  it('a failing tree prints its error last, after its warnings, with build and check alike', async () => {
    const folder = await temporaryFolder()
    const source = path.join(folder, 'source')
    await fs.mkdir(source)
    for (let index = 0; index < 22; index++) await fs.writeFile(path.join(source, `p${index}.md`), `# 第${index}篇\n\n见[不存在](missing-${index}.md)。\n`)
    await fs.writeFile(path.join(source, 'bad.md'), '---\nlang: zh-XX\n---\n\n坏的。\n')
    for (const command of ['build', 'check']) {
      const result = await runCli([command], {cwd: folder})
      expect(result.code).toBe(1)
      const lines = result.stderr.trimEnd().split('\n')
      const summary = lines.indexOf('1 error:')
      expect(summary, result.stderr).toBeGreaterThan(0)
      expect(lines[summary + 1]).toBe('  source/bad.md:2:7 error unknown locale `zh-XX`; use zh-Hans, zh-Hant, zh-TW or zh-HK [unknown-locale]')
      expect(lines.filter((line) => line.endsWith('[broken-link]'))).toHaveLength(20)
      expect(lines).toContain('… 2 more warnings [broken-link] (20 shown; --verbose prints all)')
    }
  })
})

describe('the JSON of a documentation tree', async () => {
  const {validateFolder} = await import('./json-files.ts')
  it('validates against the schemas, nested paths included; the list is articles.json beside a home page', async () => {
    const build = await buildFixture('docs-site', ['--formats', 'json'])
    expect(build.code, build.stderr).toBe(0)
    const results = await validateFolder(build.out)
    for (const result of results) expect(result.errors, `${result.name} (${result.schema})`).toEqual([])
    const documents = results.filter((result) => result.schema === 'article.schema.json').map((result) => result.name)
    expect(documents).toContain('json/zh-TW/guide/advanced/settings.json')
    // index.md is the home page: its document keeps json/<locale>/index.json, the list moves to articles.json.
    expect(documents).toContain('json/zh-TW/index.json')
    expect(results.filter((result) => result.schema === 'index.schema.json').map((result) => result.name)).toEqual(
      ['zh-HK', 'zh-Hans', 'zh-Hant', 'zh-TW'].map((locale) => `json/${locale}/articles.json`)
    )
    for (const name of documents) {
      const document = JSON.parse(await read(build.out, name))
      expect(`json/${document.locale}/${document.slug}.json`).toBe(name)
    }
  })
})

describe('pagePath', async () => {
  const {pagePath} = await import('../scripts/pages.ts')
  it.each([
    ['guide/intro.md', undefined, 'guide/intro'],
    ['guide/README.md', undefined, 'guide/index'],
    ['guide/readme.md', undefined, 'guide/index'],
    ['index.md', undefined, 'index'],
    ['guide/old.md', 'new', 'guide/new'],
    ['docs/intro.md', '/', 'index'],
    ['posts/Spring Boot 入门.md', undefined, 'posts/Spring-Boot-入门'],
    ['posts/问与答？ & 心得 #1.md', undefined, 'posts/问与答-心得-1'],
    ['posts/100% 完成.md', undefined, 'posts/100-完成'],
    ['posts/ 开头空格.md', undefined, 'posts/开头空格'],
    ['posts/bad\u001B[2J\u202Egpj.md', undefined, 'posts/bad\u001B[2J\u202Egpj']
  ])('%s (slug %s) → %s', (source, slug, expected) => {
    expect(pagePath(source, slug)).toBe(expected)
  })
})
