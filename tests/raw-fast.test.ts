/**
 * Raw HTML that parses into one obvious tree is made into it without parse5
 * (`resolveSimpleRaw`): it must give what rehype-raw gives, and leave alone
 * every tree it cannot take whole.
 */
import fc from 'fast-check'
import type {Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import rehypeRaw from 'rehype-raw'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../scripts/parse.ts'
import {resolveSimpleRaw} from '../scripts/render-html.ts'

const toHast = unified().use(remarkRehype, {allowDangerousHtml: true})
const raw = unified().use(rehypeRaw)

/** The article's hast both ways: rehype-raw's, and the fast path's (`undefined` when it declined). */
function both(markdown: string): {parsed: string; fast: string | undefined; untouched: boolean} {
  const hast = toHast.runSync(parseMarkdown(markdown)) as HastRoot
  const before = JSON.stringify(hast)
  const copy = structuredClone(hast)
  const parsed = toHtml(raw.runSync(hast) as HastRoot)
  const resolved = resolveSimpleRaw(copy)
  return {parsed, fast: resolved ? toHtml(copy) : undefined, untouched: resolved || JSON.stringify(copy) === before}
}

describe('raw HTML without parse5', () => {
  it('gives what parse5 gives for the raw HTML of a documentation tree', () => {
    const markdown = [
      '<span class="filename">檔案名稱：src/main.rs</span>',
      '',
      '<span class="caption">範例 1-1：`Hello` 與 **粗體**</span>',
      '',
      '按下 <span class="keystroke">ctrl-c</span> 結束。<br>下一行<br />',
      '',
      '<img alt="兩張表格：\n第一張" src="img/a.svg" class="center"\nstyle="width: 50%;" />',
      '',
      '<!-- manual-regeneration\ncargo new add_one --lib\n-->',
      '',
      '上標<sup>1</sup>與<span id="ferris"><b>粗</b></span>。'
    ].join('\n')
    const {parsed, fast} = both(markdown)
    expect(fast).toBe(parsed)
    expect(fast).toContain('<span class="filename">檔案名稱：src/main.rs</span>')
    expect(fast).toContain('<img alt="兩張表格：\n第一張" src="img/a.svg" class="center" style="width: 50%;">')
  })

  it('declines what it cannot take whole, and then changes nothing', () => {
    for (const markdown of ['<div class="tip">\n\n提示\n\n</div>', '文字 <T> 泛型', '<span>未閉合', '<a id="x">錨點</a>', '<span title="&amp;">實體</span>', '<span/>自閉合', '<!-- a --> b -->']) {
      const {fast, untouched} = both(markdown)
      expect(fast, markdown).toBeUndefined()
      expect(untouched, markdown).toBe(true)
    }
  })

  it('equals rehype-raw on random inline HTML', () => {
    const opens = ['<span class="a">', '<span id="b" class="c d">', '<b>', '<em>', '<sup>', '<code>', '<kbd>', '<i>', '<a id="z">', '<div>', '<span title="x&amp;y">', '<SPAN>', '<span/>']
    const voids = ['<br>', '<br/>', '<img src="p.png" alt="圖">', "<img alt='單引號' data-x>", '<wbr>', '<!-- 註解 -->', '<!---->', '<!-- a -- b -->', '<!--->', '<p>', '</i>', '<T>', '<br>', '<img src="q.png">']
    const texts = ['文字', '頭髮', ' ', '**粗**', '*斜*', '`碼`', '[連結](u)', '![圖](i.png)', '\n', '**', '*']
    const {inline} = fc.letrec<{inline: string; element: string}>((tie) => ({
      inline: fc.array(fc.oneof({arbitrary: fc.constantFrom(...texts), weight: 4}, {arbitrary: fc.constantFrom(...voids), weight: 1}, {arbitrary: tie('element'), weight: 2}), {maxLength: 5}).map((parts) => parts.join('')),
      // Mostly closed, mostly simple: the fast path must be taken often for the comparison to mean something.
      element: fc.tuple(fc.oneof({arbitrary: fc.constantFrom(...opens.slice(0, 8)), weight: 4}, fc.constantFrom(...opens)), tie('inline'), fc.integer({min: 0, max: 9}).map((n) => n > 0)).map(([open, inner, closed]) => {
        const name = /^<([a-zA-Z]+)/.exec(open)![1]!
        return open + inner + (closed ? `</${name}>` : '')
      })
    }))
    const blocks = fc.array(fc.tuple(fc.constantFrom('', '- ', '> ', '# ', '1. '), inline).map(([mark, text]) => mark + text), {minLength: 1, maxLength: 4})
    let taken = 0
    let withRaw = 0
    fc.assert(
      fc.property(blocks, (parts) => {
        const markdown = parts.join('\n\n')
        const {parsed, fast, untouched} = both(markdown)
        expect(untouched).toBe(true)
        const hasRaw = /<[a-zA-Z!/]/.test(markdown)
        if (hasRaw) withRaw++
        if (fast === undefined) return
        if (hasRaw) taken++
        expect(fast).toBe(parsed)
      }),
      {numRuns: Number(process.env.RAW_RUNS ?? 1000)}
    )
    // The fast path is taken often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(withRaw / 5)
  })
})
