/**
 * MkDocs' admonitions and content tabs (`!!! note "標題"`, `???+ example`,
 * `=== "C++"`, content indented by four spaces): parsed as boxes, not as a
 * paragraph and a code block, converted like the rest of the text, shown as
 * labelled boxes and `<details>` on the pages, and kept as written in the
 * Markdown outputs. Fixture: tests/fixtures/docs-mkdocs (a Material for
 * MkDocs site, and the zh-TW Markdown output side by side).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Blockquote, Root} from 'mdast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {HtmlValidate} from 'html-validate'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {remarkAdmonitions} from '../scripts/admonitions.ts'
import {locales} from '../scripts/locales.ts'
import {fixtures, root, runCli, temporaryFolder} from './helpers.ts'

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkAdmonitions)
const parse = (text: string) => processor.runSync(processor.parse(text)) as Root

describe('the syntax', () => {
  it('reads the marker, type, title and the indented content, with source positions', () => {
    const text = '!!! warning "小心**溢出**"\n    第一行\n    第二行\n\n    ```c\n    int a;\n    ```\n\n后文'
    const tree = parse(text)
    const box = tree.children[0] as Blockquote
    expect(box.type).toBe('blockquote')
    expect(box.data?.admonition).toEqual({marker: '!!!', kind: 'warning'})
    expect(box.children.map((child) => child.type)).toEqual(['paragraph', 'paragraph', 'code'])
    const title = box.children[0]!
    expect(title.data).toEqual({admonitionTitle: true})
    expect(text.slice(title.position!.start.offset, title.position!.end.offset)).toBe('小心**溢出**')
    expect(tree.children[1]).toMatchObject({type: 'paragraph', children: [{value: '后文'}]})
  })

  it('knows folded, open, untitled boxes and tabs', () => {
    const kinds = (text: string) => parse(text).children.map((node) => (node.type === 'blockquote' ? node.data?.admonition : node.type))
    expect(kinds('??? note\n    甲\n\n???+ tip "乙"\n    乙\n\n!!! info ""\n    丙\n\n===+ "C++"\n    丁\n')).toEqual([
      {marker: '???', kind: 'note'},
      {marker: '???+', kind: 'tip'},
      {marker: '!!!', kind: 'info', untitled: true},
      {marker: '===', kind: 'tab'}
    ])
  })

  it('leaves alone what is not an opening line', () => {
    for (const text of ['标题\n===', '!!!! note\n    甲', '!!! 注意\n    甲', '=== 没有引号', '!!! note "没有闭合\n    甲', '文字 !!! note']) {
      expect(parse(text).children.some((node) => node.type === 'blockquote'), text).toBe(false)
    }
  })

  it('ends at the first line indented less than four spaces', () => {
    const tree = parse('!!! note\n    在框里\n\n  不在框里\n')
    expect(tree.children.map((node) => node.type)).toEqual(['blockquote', 'paragraph'])
  })
})

describe('a Material for MkDocs site, built', async () => {
  const fixture = path.join(fixtures, 'docs-mkdocs')
  const folder = await temporaryFolder()
  await fs.cp(fixture, folder, {recursive: true})
  const result = await runCli(['build', '--source', 'docs', '--jobs', '1', '--no-cache'], {cwd: folder})
  const page = async (locale: string) => fromHtml(await fs.readFile(path.join(folder, 'dist', 'html', locale, 'knapsack.html'), 'utf8'))

  it('builds', () => {
    expect(result.code, result.stderr).toBe(0)
  })

  it('shows each box in the page’s locale: !!! a labelled box, ??? closed and ???+ open <details>, tabs open <details>', async () => {
    const main = select('main', await page('zh-TW'))!
    expect(selectAll('div.zh-container', main).map((box) => [(box.properties.className as Array<string>)[1], toString(select('.zh-container-title', box) ?? {type: 'text', value: ''})])).toEqual([
      ['zh-container-note', '先看例題'],
      ['zh-container-tip', '']
    ])
    expect(selectAll('details:not(.toc)', main).map((box) => [box.properties.open === true, toString(select('summary', box)!)])).toEqual([
      [true, '範例'],
      [false, '注意發生溢位'],
      [true, 'C++'],
      [true, 'Python']
    ])
    expect(toString(select('div.zh-container-note pre code', main)!)).toContain('int f[1005]; // 一维数组')
    expect(toString(main)).not.toMatch(/!!!|\?\?\?|===/)
    expect(toString(select('details:not(.toc) summary strong', main)!)).toBe('注意')
    // Four spaces outside a box are still code.
    expect(toString(selectAll('main > pre', main).at(-1) ?? selectAll('pre', main).at(-1)!)).toContain('这一段缩进四格，是代码。')
  })

  it('labels an untitled box by its type in every locale', async () => {
    const labels = await Promise.all(locales.map(async (locale) => toString(select('details:not(.toc) summary', select('main', await page(locale))!)!)))
    expect(labels).toEqual(locales.map((locale) => (locale === 'zh-Hans' ? '示例' : '範例')))
  })

  it('keeps the syntax as written in the Markdown outputs, the text converted', async () => {
    const output = await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-TW', 'knapsack.md'), 'utf8')
    expect(output.slice(output.indexOf('# '))).toBe(await fs.readFile(path.join(fixture, 'expected-zh-TW.md'), 'utf8'))
  })

  it('passes html-validate', async () => {
    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    const report = await validator.validateString(await fs.readFile(path.join(folder, 'dist', 'html', 'zh-TW', 'knapsack.html'), 'utf8'), 'knapsack.html')
    expect(report.results.flatMap((entry) => entry.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
  })
})
