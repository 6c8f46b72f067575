/**
 * Property tests: random Markdown with Chinese text, in any source locale,
 * converted into every locale.
 */
import fc from 'fast-check'
import type {Root} from 'mdast'
import * as OpenCC from 'opencc-js'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {convertMarkdown} from '../scripts/article.ts'
import {openccCode} from '../scripts/convert/engine.ts'
import {convertText} from '../scripts/convert/index.ts'
import {resolveQuoteStyle} from '../scripts/convert/quotes.ts'
import {locales, type Locale} from '../scripts/locales.ts'
import {parseArticle, parseMarkdown} from '../scripts/parse.ts'

// Characters OpenCC treats in interesting ways: one-to-many (干 后 发 面 只
// 于 系 里), phrases (理发店 头发 网络 软件 鼠标 信息 注册 联系), both
// scripts, the four quotation pairs and CJK punctuation.
const alphabet = [...'干后发面只于系里头理店网络软件鼠标信息注册联系乾於後髮麵隻係裏頭網絡軟體滑鼠資訊註冊聯繫的了是在一不有人我他们這个這個说說为為“”‘’「」『』，。：；！？、 ']
const chinese = fc.string({unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 12})
// Rules protect their text only while they exist: once removed, marks kept
// against the locale's style would be restyled by a second conversion.
const protectedText = fc.string({unit: fc.constantFrom(...alphabet.filter((char) => !/[“”‘’「」『』]/.test(char))), minLength: 1, maxLength: 8})
const path = fc.string({unit: fc.constantFrom(...'abc中文网络'), minLength: 1, maxLength: 6})
const locale = fc.constantFrom(...locales)

const inline = fc.oneof(
  {weight: 4, arbitrary: chinese},
  chinese.map((text) => `**${text}**`),
  chinese.map((text) => `*${text}*`),
  chinese.map((text) => `\`${text}\``),
  fc.tuple(chinese, path).map(([text, target]) => `[${text}](https://example.com/${target})`),
  path.map((target) => `<https://example.com/${target}>`),
  protectedText.map((text) => `-{${text}}-`),
  fc.tuple(protectedText, protectedText).map(([a, b]) => `-{zh-Hans:${a};zh-TW:${b}}-`)
)

const paragraph = fc.array(inline, {minLength: 1, maxLength: 6}).map((parts) => parts.join(''))
const block = fc.oneof(
  {weight: 3, arbitrary: paragraph},
  paragraph.map((text) => `## ${text}`),
  paragraph.map((text) => `- ${text}`),
  paragraph.map((text) => `> ${text}`),
  chinese.map((text) => '```\n' + text + '\n```'),
  fc.tuple(chinese, chinese).map(([a, b]) => `| ${a} | ${b} |\n| --- | --- |\n| ${b} | ${a} |`)
)
const markdown = fc.array(block, {minLength: 1, maxLength: 5}).map((blocks) => blocks.join('\n\n') + '\n')

function convert(value: string, from: Locale, to: Locale, quotes?: ReturnType<typeof resolveQuoteStyle>, keepSourceForms = false): string {
  const file = new VFile({path: 'random.md', value})
  const tree = parseArticle(file, {lenient: true, sourceLocale: from})
  if (quotes) file.data.quotes = quotes
  if (keepSourceForms) file.data.keepSourceForms = true
  return convertMarkdown(file, tree, to).markdown
}

/** Code, URLs and link destinations, in document order. */
function untouchable(value: string): Array<string> {
  const found: Array<string> = []
  visit(parseMarkdown(value) as Root, (node) => {
    if (node.type === 'code' || node.type === 'inlineCode') found.push(node.type + ':' + node.value)
    if (node.type === 'link' || node.type === 'image') found.push('url:' + node.url)
  })
  return found
}

const runs = {numRuns: 150, seed: 42}

describe('conversion of random Markdown', () => {
  it('never throws, never changes code or URLs, and removes every rule', () => {
    fc.assert(
      fc.property(markdown, locale, locale, (value, from, to) => {
        const output = convert(value, from, to)
        expect(untouchable(output)).toEqual(untouchable(value))
        // Rule markup never reaches an output (code may show it as written).
        const withoutCode = output.replace(/`[^`]*`|```[\s\S]*?```/g, '')
        expect(withoutCode).not.toMatch(/-\{|\}-/)
      }),
      runs
    )
  })

  it('is idempotent: the output converted again into its own locale does not change', () => {
    // Standard forms apply to sources; on random strings of mixed scripts
    // (干**幹**) they are not a fixed point, so the second pass keeps forms.
    fc.assert(
      fc.property(markdown, locale, locale, (value, from, to) => {
        const output = convert(value, from, to)
        expect(convert(output, to, to, resolveQuoteStyle(undefined, from, to), true)).toBe(output)
      }),
      runs
    )
  })

  it('gives each locale the same edits and review whether the article converts into one locale or into every one (what a conversion remembers per article, such as the lint findings, is shared between locales)', () => {
    const every = ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK'] as const
    fc.assert(
      fc.property(markdown, fc.constantFrom('zh-Hans', 'zh-TW'), (value, from) => {
        const shared = new VFile({path: 'random.md', value})
        const sharedTree = parseArticle(shared, {lenient: true, sourceLocale: from})
        for (const to of every) {
          const alone = new VFile({path: 'random.md', value})
          const aloneTree = parseArticle(alone, {lenient: true, sourceLocale: from})
          const one = convertMarkdown(alone, aloneTree, to)
          const all = convertMarkdown(shared, sharedTree, to)
          expect(all.markdown).toBe(one.markdown)
          expect(all.review).toEqual(one.review)
        }
      }),
      {numRuns: 60, seed: 11}
    )
  })

  it('is deterministic', () => {
    fc.assert(
      fc.property(markdown, locale, locale, (value, from, to) => {
        expect(convert(value, from, to)).toBe(convert(value, from, to))
      }),
      {numRuns: 30, seed: 7}
    )
  })
})

const references = new Map<string, (text: string) => string>()
function reference(from: Locale, to: Locale): (text: string) => string {
  const key = from + '>' + to
  let converter = references.get(key)
  if (!converter) {
    converter = OpenCC.Converter({from: openccCode[from], to: openccCode[to]} as Parameters<typeof OpenCC.Converter>[0]) as (text: string) => string
    references.set(key, converter)
  }

  return converter
}

describe('conversion of plain text', () => {
  it('with --no-corrections equals opencc-js when no glossary or rule applies', () => {
    const text = fc.string({unit: fc.constantFrom(...alphabet, ...'abc 123\n'), maxLength: 40})
    fc.assert(
      fc.property(text, locale, locale, (value, from, to) => {
        expect(convertText(value, {from, to, quotes: 'keep', corrections: false})).toBe(from === to ? value : reference(from, to)(value))
      }),
      {numRuns: 300, seed: 42}
    )
  })
})
