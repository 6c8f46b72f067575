/**
 * Property tests: random Markdown made of Chinese text, HTML fragments and
 * markup fragments. Building or converting it never throws anything but a
 * vfile message (a content error), always returns, and its HTML never holds
 * live script. Run counts stay modest so the suite stays fast; a failure
 * prints fast-check's seed and shrunk input.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {buildArticle, convertMarkdown, loadRenderers} from '../scripts/article.ts'
import {locales} from '../scripts/locales.ts'
import {parseArticle} from '../scripts/parse.ts'
import {fragmentDangers, pageDangers} from './safety.ts'

const chinese = ['头发', '理发店', '軟體', '網絡', '信息', '用户', '乾隆', '𠮷', '，', '。', '「', '」', '　', 'ＡＢＣ', 'e\u0301']
const html = [
  '<script>', '</script>', 'alert(1)', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">', '</a>', '<a href=',
  '<svg onload=alert(1)>', '<iframe src=', '<style>', '</style>', '<!--', '-->', '<div>', '</div>', '<scr', 'ipt>',
  'javascript:', 'vbscript:', 'data:text/html,', '&#106;', '&lt;', 'on', '=', '"', "'", '<', '>', '/', ' onclick=', '<![CDATA['
]
const markup = [
  '**', '*', '_', '~~', '[', ']', '](', ')', '![', '`', '```', '-{', '}-', '|', '\\', '[^1]', '[^1]: ', ':', 'http://', 'www.',
  '<javascript:alert(1)>', '[r]: ', '[r]', '\n', '\n\n', '\r\n', '> ', '- ', '1. ', '# ', '---', '    ', '\t'
]

const renderers = await loadRenderers()

const fragment = fc.oneof(fc.constantFrom(...chinese), fc.constantFrom(...html), fc.constantFrom(...markup), fc.string({maxLength: 4}))
const markdown = fc.array(fragment, {maxLength: 60}).map((parts) => parts.join(''))

/** Run a stage; a vfile message is an accepted outcome, anything else is a bug. */
function contentErrorsOnly<T>(run: () => T): T | undefined {
  try {
    return run()
  } catch (error) {
    if (error instanceof VFileMessage) return undefined
    throw error
  }
}

describe('fuzzing', () => {
  it('convert never throws an unexpected exception', () => {
    fc.assert(
      fc.property(markdown, fc.constantFrom(...locales), (value, to) => {
        const file = new VFile({path: 'fuzz.md', value})
        const tree = contentErrorsOnly(() => parseArticle(file, {lenient: true}))
        if (tree) contentErrorsOnly(() => convertMarkdown(file, tree, to))
      }),
      {numRuns: 150}
    )
  })

  it('build never throws an unexpected exception, and its HTML never holds a script, handler or dangerous URL', () => {
    fc.assert(
      fc.property(markdown, (body) => {
        const file = new VFile({path: 'fuzz.md', value: '---\ntitle: 模糊\nlang: zh-Hans\n---\n\n' + body})
        const built = contentErrorsOnly(() => buildArticle(file, {locales, formats: ['md', 'json', 'html']}, renderers))
        for (const output of built?.outputs ?? []) {
          expect(fragmentDangers(output.document!.html)).toEqual([])
          expect(pageDangers(output.html!)).toEqual([])
        }
      }),
      {numRuns: 60}
    )
  })
})
