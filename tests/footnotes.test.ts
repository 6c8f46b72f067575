/**
 * Footnotes in the HTML pages: localized labels, and every in-page link
 * lands on an element that exists (no JavaScript to fix up prefixes).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {runCli, temporaryFolder} from './helpers.ts'

let out: string

beforeAll(async () => {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  await fs.writeFile(
    path.join(folder, 'source', 'notes.md'),
    '---\ntitle: 脚注示例\nslug: notes\nlang: zh-Hans\n---\n\n## 正文\n\n软件说明[^1]，鼠标用法[^mouse]。\n\n<p id="fn-1">原始 HTML 的 id</p>\n\n[^1]: 第一条脚注。\n[^mouse]: 第二条脚注。\n'
  )
  const result = await runCli(['build', '--no-cache', '--jobs', '1', '--formats', 'html'], {cwd: folder})
  expect(result.code, result.stderr).toBe(0)
  out = path.join(folder, 'dist')
})

describe('footnotes', () => {
  it('every in-page link of every locale lands on an element', async () => {
    for (const locale of locales) {
      const tree = fromHtml(await fs.readFile(path.join(out, 'html', locale, 'notes.html'), 'utf8'))
      const ids = new Set(selectAll('[id]', tree).map((node) => String(node.properties.id)))
      const targets = selectAll('a[href^="#"]', tree).map((node) => String(node.properties.href).slice(1))
      // 2 references, 2 back links (a one-heading article gets no table of contents)
      expect(targets.length, locale).toBe(4)
      for (const target of targets) expect(ids, `${locale} #${target}`).toContain(target)
      // Raw HTML ids keep their prefix: they cannot take a footnote's place.
      expect(ids).toContain('user-content-fn-1')
      expect(selectAll('[id^="user-content-user-content-"]', tree)).toEqual([])
    }
  })

  it('labels the footnotes in the page language, visibly', async () => {
    const label = async (locale: string) => {
      const tree = fromHtml(await fs.readFile(path.join(out, 'html', locale, 'notes.html'), 'utf8'))
      const heading = selectAll('section[data-footnotes] h2', tree)[0]!
      expect(heading.properties.className ?? []).not.toContain('sr-only')
      return toString(heading)
    }

    expect(await label('zh-Hans')).toBe('注脚')
    expect(await label('zh-TW')).toBe('註腳')
    const page = await fs.readFile(path.join(out, 'html', 'zh-Hans', 'notes.html'), 'utf8')
    expect(page).not.toContain('Footnotes')
    expect(page).toContain('aria-label="回到正文"')
  })
})

describe('footnotes with Chinese labels', () => {
  it('link to their notes as browsers look them up (the fragment as written), with no output-broken-link warning', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'sort.md'), '# 排序\n\n先诱导 L 型后缀[^诱导顺序]，见介绍[^算法介绍]。\n\n[^诱导顺序]: 顺序的说明。\n[^算法介绍]: 推荐的博文。\n')
    const result = await runCli(['build', '--no-cache', '--jobs', '1'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('output-broken-link')
    for (const locale of locales) {
      const tree = fromHtml(await fs.readFile(path.join(folder, 'dist', 'html', locale, 'sort.html'), 'utf8'))
      const ids = new Set(selectAll('[id]', tree).map((node) => String(node.properties.id)))
      const targets = selectAll('main a[href^="#user-content-fn"]', tree).map((node) => String(node.properties.href).slice(1))
      expect(targets, locale).toHaveLength(4)
      for (const target of targets) expect(ids.has(target) || ids.has(decodeURIComponent(target)), `${locale} #${target}`).toBe(true)
    }
  })
})

describe('anchors of the author’s raw HTML outside headings', () => {
  it('are found by in-page links, written with or without the article’s own path', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(
      path.join(folder, 'source', 'tree.md'),
      '# 树链剖分\n\n详见[后文例题](./tree.md#loj-139-树链剖分)、[同页写法](#loj-139-树链剖分)和[旧锚点](tree.md#old)。\n\n## 例题\n\n<a id="loj-139-树链剖分"></a>\n\n题目内容。\n\n<a name="old"></a>旧的写法。\n'
    )
    const result = await runCli(['build', '--no-cache', '--jobs', '1'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toMatch(/broken-link/)
    for (const locale of locales) {
      const tree = fromHtml(await fs.readFile(path.join(folder, 'dist', 'html', locale, 'tree.html'), 'utf8'))
      const ids = new Set(selectAll('[id]', tree).map((node) => String(node.properties.id)))
      const hrefs = selectAll('main p a[href]', tree).map((node) => String(node.properties.href))
      expect(hrefs, locale).toEqual(['tree.html#user-content-loj-139-树链剖分', '#user-content-loj-139-树链剖分', 'tree.html#user-content-old'])
      for (const href of hrefs) expect(ids.has(decodeURIComponent(href.slice(href.indexOf('#') + 1))), `${locale} ${href}`).toBe(true)
    }
  })
})
