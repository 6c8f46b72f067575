/**
 * scripts/site-index.ts on its own: reading time, the excerpt (table tests
 * and invariants over generated text) and index entries; the built indexes
 * are tested in tests/bundle.test.ts and tests/schema.test.ts.
 */
import fc from 'fast-check'
import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {describe, expect, it} from 'vitest'
import type {ArticleDocument, MdastRoot} from '../scripts/bundle-types.ts'
import {bodyTree} from '../scripts/render-json.ts'
import {excerptLength, excerptOf, graphemes as graphemeClusters, indexEntry, localeIndex, readingMinutes, readingSpeed} from '../scripts/site-index.ts'

const tree = (markdown: string) => bodyTree(fromMarkdown(markdown) as Root) as unknown as MdastRoot
const graphemes = (text: string) => [...new Intl.Segmenter('zh', {granularity: 'grapheme'}).segment(text)].length

describe('readingMinutes', () => {
  it('is 400 characters a minute', () => expect(readingSpeed).toBe(400))
  it('0 characters: 1 minute', () => expect(readingMinutes(0)).toBe(1))
  it('400 characters: 1 minute', () => expect(readingMinutes(400)).toBe(1))
  it('401 characters: 2 minutes (rounded up)', () => expect(readingMinutes(401)).toBe(2))
  it('1525 characters (the seed): 4 minutes', () => expect(readingMinutes(1525)).toBe(4))
})

describe('excerptOf', () => {
  const cases: Array<[string, string, string]> = [
    ['a short paragraph, whole', '短短一段。\n', '短短一段。'],
    ['soft line breaks between Chinese characters joined without a space', '第一行\n第二行，\nthen English\nwords。\n', '第一行第二行，then English words。'],
    ['paragraphs up to the first heading after them', '甲段。\n\n乙段。\n\n## 標題\n\n丙段。\n', '甲段。乙段。'],
    ['the first section when the article opens with a heading', '## 開頭\n\n第一段。\n\n## 第二節\n\n不取。\n', '第一段。'],
    ['no lists, code, quotes or image text', '- 清單\n\n```\n程式\n```\n\n> 引文\n\n![圖片說明](a.png)正文。\n', '正文。'],
    ['a space kept between Latin words across a line break, none beside full-width punctuation', 'Hello\nworld ，\n好。\n', 'Hello world，好。'],
    ['formatting and links as their text', '**粗體**和[連結](https://example.org)與`代碼`。\n', '粗體和連結與代碼。'],
    ['nothing without a paragraph', '## 只有標題\n', '']
  ]
  for (const [name, markdown, expected] of cases) it(name, () => expect(excerptOf(tree(markdown))).toBe(expected))

  it('cuts a long text at the last sentence end past half the length', () => {
    const sentence = '這是一個有十五個字的句子。'
    const text = sentence.repeat(20)
    const excerpt = excerptOf(tree(text))
    expect(excerpt).toBe(sentence.repeat(Math.floor(excerptLength / sentence.length)))
  })

  it('cuts text without a sentence end at the length, with …', () => {
    const excerpt = excerptOf(tree('字'.repeat(500)))
    expect(excerpt).toBe('字'.repeat(excerptLength) + '…')
  })

  it('counts grapheme clusters, never splitting one', () => {
    const family = '👨‍👩‍👧'
    const excerpt = excerptOf(tree(family.repeat(200)))
    expect(excerpt).toBe(family.repeat(excerptLength) + '…')
  })

  it('reads only the start of a very long article', () => {
    // A 1.2 MB single line: the excerpt looks at a bounded prefix.
    const excerpt = excerptOf(tree('長'.repeat(1_200_000)))
    expect(excerpt).toBe('長'.repeat(excerptLength) + '…')
  })

  it('is at most excerptLength characters (plus …), and the start of the paragraphs\' text', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[一-龥。，a-z ]{1,80}$/), {minLength: 1, maxLength: 8}), (paragraphs) => {
        const markdown = paragraphs.map((paragraph) => paragraph.trim() || '字').join('\n\n') + '\n'
        const excerpt = excerptOf(tree(markdown))
        const body = excerpt.replace(/…$/, '')
        expect(graphemes(body)).toBeLessThanOrEqual(excerptLength)
        const all = paragraphs.map((paragraph) => paragraph.trim() || '字').join('').replace(/\s+/g, '')
        expect(all.startsWith(body.replace(/\s+/g, ''))).toBe(true)
      })
    )
  })
})

describe('graphemes', () => {
  const segmenter = new Intl.Segmenter('zh', {granularity: 'grapheme'})
  const reference = (text: string) => Array.from(segmenter.segment(text), (part) => part.segment)
  // What the fast path takes (Chinese prose, ASCII, full-width and general
  // punctuation, ideographs of plane 2) and what it must leave to the
  // segmenter: combining marks (Latin, the CJK tone marks, the kana and
  // half-width voiced marks), joiners, variation selectors, emoji and their
  // modifiers, regional indicators, Hangul jamo, CR LF, controls, the soft hyphen.
  const characters = [
    ...'中文字體裏面「」『』“”‘’…—·，。！？：；（）ａＢ１￥ｶ　〇〡〜〃abcXYZ019 .,;:!?-_/\\"\'#éß©®‼',
    '𠀋',
    '𪚥',
    '\u0301',
    '\u302A',
    '\u302F',
    '\u3099',
    '\uFF9E',
    '\uFF9F',
    '\u200D',
    '\u200C',
    '\u200B',
    '\uFE0F',
    '\u{E0100}',
    '👍',
    '\u{1F3FD}',
    '👨',
    '🇨',
    '🇳',
    '\u1100',
    '\u1161',
    '\u11A8',
    '각',
    '\r',
    '\n',
    '\t',
    '\u0000',
    '\u00AD',
    '\u2028',
    '\u0915',
    '\u094D',
    '\uD800',
    '\uDC00'
  ]
  const text = (from: Array<string>) => fc.array(fc.constantFrom(...from), {maxLength: 60}).map((parts) => parts.join(''))

  it('gives the clusters Intl.Segmenter gives, on the fast path and off it', () => {
    fc.assert(
      fc.property(fc.oneof(text(characters), text(characters.slice(0, 60)), fc.string({unit: 'binary', maxLength: 60})), (value) => {
        expect(graphemeClusters(value)).toEqual(reference(value))
      }),
      {numRuns: 2000}
    )
  })

  it('keeps a character and the marks after it together', () => {
    expect(graphemeClusters('字\u302A字')).toEqual(['字\u302A', '字'])
    expect(graphemeClusters('e\u0301👨\u200D👩\u200D👧🇨🇳\r\n中')).toEqual(['e\u0301', '👨\u200D👩\u200D👧', '🇨🇳', '\r\n', '中'])
    expect(graphemeClusters('𠀋中，ａ')).toEqual(['𠀋', '中', '，', 'ａ'])
  })
})

describe('indexEntry and localeIndex', () => {
  const document = (slug: string, source: string | null): ArticleDocument => ({
    schemaVersion: 2,
    slug,
    locale: 'zh-TW',
    sourceLocale: 'zh-Hant',
    source,
    title: '標題',
    description: null,
    category: null,
    tags: [],
    date: '2026-03-15',
    updated: null,
    toc: [],
    markdown: '正文。',
    html: '<p>正文。</p>',
    text: '正文。',
    tree: tree('正文。'),
    alternates: {'zh-TW': {html: `zh-TW/${slug}.html`, json: `zh-TW/${slug}.json`, markdown: `zh-TW/${slug}.md`, url: null}},
    stats: {characters: 3, convertedCharacters: 0, reviewCount: 0}
  })

  it('makes an entry from a document, the absolute URL from the base URL', () => {
    expect(indexEntry(document('guide/intro', 'guide/intro.md'), {baseUrl: 'https://example.org/docs/'})).toEqual({
      slug: 'guide/intro',
      path: 'guide/intro.md',
      title: '標題',
      description: null,
      category: null,
      tags: [],
      date: '2026-03-15',
      updated: null,
      characters: 3,
      readingMinutes: 1,
      excerpt: '正文。',
      html: 'zh-TW/guide/intro.html',
      json: 'zh-TW/guide/intro.json',
      markdown: 'zh-TW/guide/intro.md',
      url: 'https://example.org/docs/zh-TW/guide/intro.html'
    })
    expect(indexEntry(document('a', 'a.md')).url).toBeNull()
  })

  it('orders entries by path in code units, whatever order they come in', () => {
    const entries = ['b.md', 'a/z.md', 'B.md', 'a.md'].map((source) => indexEntry(document(source.replace(/\.md$/, ''), source)))
    expect(localeIndex('zh-TW', entries).articles.map((entry) => entry.path)).toEqual(['B.md', 'a.md', 'a/z.md', 'b.md'])
    expect(localeIndex('zh-TW', [...entries].reverse())).toEqual(localeIndex('zh-TW', entries))
  })
})
