/**
 * Shortcuts of the article path that must change nothing: the guarded
 * search for literal autolinks (parsing), the character count, the script
 * detection, a lone tag of raw HTML read without parse5, and the page's
 * links and ids read from its tree instead of parsing the page.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {buildArticle, loadRenderers} from '../scripts/article.ts'
import {locales} from '../scripts/locales.ts'
import {parseMarkdown} from '../scripts/parse.ts'
import {countCharacters} from '../scripts/render-json.ts'
import {walkHtml, walkParsed, type HtmlVisitor} from '../scripts/raw-html.ts'
import {detectScript} from '../scripts/convert/detect.ts'
import STCharacters from 'opencc-js/dict/STCharacters'
import TSCharacters from 'opencc-js/dict/TSCharacters'
import {scanPage} from '../scripts/site-links.ts'

const root = path.resolve(import.meta.dirname, '..')
const unguarded = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

describe('literal autolinks', () => {
  it('parse the same with the guarded search, on random text', () => {
    const pieces = [
      '頭髮', ' ', '\n', '\n\n', 'www.', 'WWW.', 'www', '.', 'example', '.com', 'http://', 'HTTPS://', 'https:/', '\\/', '@', '&#64;', '&commat;',
      'a', 'b_c', '-', '+', 'mailto:', 'xmpp:', '/路徑', '?q=1', '[連結](u)', '[', ']', '`碼`', '**', '> ', '- ', '| a |\n|---|\n| b |\n', '<https://a.b>'
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 40}), (parts) => {
        const markdown = parts.join('')
        expect(parseMarkdown(markdown)).toEqual(unguarded.parse(markdown))
      }),
      {numRuns: Number(process.env.FAST_RUNS ?? 500)}
    )
  })

  it('are still found', () => {
    const tree = JSON.stringify(parseMarkdown('見 www.example.com 與 a@b.co，或 https://例子.tw/頁。'))
    expect(tree).toContain('"url":"http://www.example.com"')
    expect(tree).toContain('"url":"mailto:a@b.co"')
    expect(tree).toContain('"url":"https://例子.tw/頁。"')
  })
})

describe('character count', () => {
  it('counts the code points that are not white space', () => {
    const naive = (text: string) => [...text].filter((char) => !/\s/u.test(char)).length
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('頭', '髮', ' ', '\n', '\u3000', '\u00a0', '\t', 'a', '𠀋', '\ud800', '\udc00', '\u2028', '\ufeff')}), (text) => {
        expect(countCharacters(text)).toBe(naive(text))
      }),
      {numRuns: Number(process.env.FAST_RUNS ?? 500)}
    )
  })
})

describe("a page's links and ids", () => {
  it('are what parsing the page finds, on the seed, the fixtures and raw HTML', async () => {
    const renderers = await loadRenderers()
    const articles: Array<{name: string; value: string}> = []
    for (const folder of ['source', 'tests/fixtures/rich-site/source', 'tests/fixtures/docs-site/source', 'tests/fixtures/hostile']) {
      for (const entry of await fs.readdir(path.join(root, folder), {recursive: true})) {
        if (!entry.endsWith('.md')) continue
        articles.push({name: path.join(root, folder, entry), value: await fs.readFile(path.join(root, folder, entry), 'utf8')})
      }
    }

    articles.push({
      name: path.join(root, 'raw.md'),
      value: [
        '---\ntitle: 原始\n---',
        '<a id="錨點" name="n">錨</a> <img src="圖.png" id="i"> [連結](#錨點) [外](https://例子.tw)',
        '',
        '<table><tr><td><a href="x.html">格</a></td></tr></table>',
        '',
        '<span id="s"><a href="y.html">行內</a></span>',
        '',
        '| 表 | 頭 |\n|---|---|\n| [甲](#s) | ![乙](b.png) |'
      ].join('\n')
    })
    let scanned = 0
    for (const {name, value} of articles) {
      let built
      try {
        built = buildArticle(new VFile({path: name, value}), {locales, formats: ['html']}, renderers)
      } catch {
        continue
      }

      for (const output of built.outputs) {
        if (!output.scan) continue
        scanned++
        expect(output.scan, `${name} ${output.locale}`).toEqual(scanPage(output.html!))
      }
    }

    expect(scanned).toBeGreaterThan(40)
  })
})

describe('raw HTML of one tag', () => {
  it('is visited as parse5 visits it, on random tag soup', () => {
    const visits = (walker: (value: string, offset: number, visitor: HtmlVisitor) => void, value: string) => {
      const seen: Array<unknown> = []
      walker(value, 7, {element: (tag, attributes, inert) => seen.push(['element', tag, attributes, inert]), text: (start, end, inert) => seen.push(['text', start, end, inert])})
      return seen
    }

    const pieces = [
      '<span', '<p', '<a', '<img', '<b', '<td', '<tr', '<svg', '<image', '<code', '</span>', '</p>', '</br>', '</td>', '<!--', '-->', '--', '!', ' class="x"',
      " id='y'", ' alt', ' src = "z"', ' class="a&amp;b"', ' x="1" x="2"', '>', '/>', '\n', ' ', '文字', ' constructor="c"', '"', "'", '=', '<BR>', '<Span>', '\r'
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 8}), (parts) => {
        const value = parts.join('')
        expect(visits(walkHtml, value)).toEqual(visits(walkParsed, value))
      }),
      {numRuns: Number(process.env.FAST_RUNS ?? 3000)}
    )
    expect(visits(walkHtml, '<span class="filename">')).toEqual([['element', 'span', [{name: 'class', value: 'filename', start: 20, end: 28}], false]])
  })
})

describe('script detection', () => {
  it('counts as a test of each character against the dictionaries would', () => {
    const changed = (dict: string) => new Set(dict.split('|').flatMap((entry) => {
      const [from, to] = entry.split(' ')
      return from && to && from !== to ? [from] : []
    }))
    const simplified = changed(STCharacters)
    const traditional = changed(TSCharacters)
    const naive = (text: string) => {
      let s = 0
      let t = 0
      for (const char of text) {
        if (simplified.has(char)) s++
        else if (traditional.has(char)) t++
      }

      return {simplified: s, traditional: t}
    }

    const astral = [...simplified, ...traditional].filter((char) => char.length === 2).slice(0, 4)
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('发', '發', '头', '頭', '著', '着', '后', '於', '于', 'a', ' ', '\ud800', '\udc00', '𠀋', ...astral)}), (text) => {
        const {simplified: s, traditional: t} = detectScript(text)
        expect({simplified: s, traditional: t}).toEqual(naive(text))
      }),
      {numRuns: Number(process.env.FAST_RUNS ?? 2000)}
    )
  })
})

describe('the review of a Simplified character in context', () => {
  it("needs no segmentation for a character whose own dictionary entry is not a locative: Jieba tags a word by its entry", async () => {
    const {getSegmenter} = await import('../scripts/convert/engine.ts')
    const segmenter = getSegmenter()
    const pool = [...'里后上下中内外前面头边发干只系面条函数文件目录在的了我们他说一个这那三数公里皇后之后以后头发理发表示']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), {minLength: 1, maxLength: 30}), (chars) => {
        const text = chars.join('')
        let at = 0
        for (const {word, tag} of segmenter.tag(text, false)) {
          if (word.length === 1 && tag === 'f') expect(segmenter.tagOf(word)).toBe('f')
          at += word.length
        }

        expect(at).toBe(text.length)
      }),
      {numRuns: Number(process.env.FAST_RUNS ?? 2000)}
    )
  })
})
