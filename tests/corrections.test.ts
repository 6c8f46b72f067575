/**
 * Word-aware corrections: a table of our own sentences per pattern (and
 * controls that must not change), checked against opencc-js to show that
 * each pattern sentence is one OpenCC gets wrong, plus properties.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {getConverter, openccCode} from '../scripts/convert/engine.ts'
import {convertText} from '../scripts/convert/index.ts'
import type {Locale} from '../scripts/locales.ts'
import {createWordIndex, loadJieba} from '../scripts/convert/segment.ts'
import {fixtures, runCli} from './helpers.ts'

const rows = fs
  .readFileSync(path.join(fixtures, 'corrections', 'phrases.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [from, to, source, expected, pattern] = line.split('\t') as [Locale, Locale, string, string, string]
    return {from, to, source, expected, pattern}
  })

describe('phrases that cut through words', () => {
  for (const row of rows) {
    it(`${row.source} → ${row.expected} (${row.pattern})`, () => {
      expect(getConverter(row.from, row.to, {corrections: true}).convert(row.source)).toBe(row.expected)
      const reference = OpenCC.Converter({from: openccCode[row.from], to: openccCode[row.to]})(row.source)
      // A pattern row is one opencc-js gets wrong; a control one it gets right.
      if (row.pattern.startsWith('control')) expect(reference).toBe(row.expected)
      else expect(reference).not.toBe(row.expected)
      // --no-corrections is opencc-js exactly.
      expect(convertText(row.source, {from: row.from, to: row.to, quotes: 'keep', corrections: false})).toBe(reference)
    })
  }
})

describe('exact mode leaves quotation marks as written, as opencc-js does', () => {
  // Corner and curly quotes, nested, beside phrases OpenCC converts.
  const source = '他說：「這個『軟體』的設定」很重要。\n她問：“記憶體夠嗎？”\n'
  for (const to of ['zh-Hans', 'zh-TW', 'zh-HK'] as const) {
    it(`convert --no-corrections into ${to} is opencc-js's output, byte for byte`, async () => {
      const reference = OpenCC.Converter({from: 't', to: openccCode[to]})(source)
      const exact = await runCli(['convert', '--no-corrections', '--from', 'zh-Hant', '--to', to], {stdin: source})
      expect(exact.code, exact.stderr).toBe(0)
      expect(exact.stdout).toBe(reference)
      expect(convertText(source, {from: 'zh-Hant', to, corrections: false})).toBe(reference)
    })
  }

  it('a quote style asked for is still applied, and corrections restyle by default', async () => {
    const curly = await runCli(['convert', '--no-corrections', '--quotes', 'curly', '--from', 'zh-Hant', '--to', 'zh-Hans'], {stdin: source})
    expect(curly.stdout).toBe('他说：“这个‘软体’的设定”很重要。\n她问：“记忆体够吗？”\n')
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-Hans'})).toContain('“这个‘软体’的设定”')
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-TW'})).toContain('她問：「記憶體夠嗎？」')
  })
})

describe('a phrase inside a longer word', () => {
  const jieba = loadJieba()
  const index = (text: string) => createWordIndex(text, jieba.cut, jieba.tagOf)
  it('cuts the word when it cuts the parts the word is made of (fewest words)', () => {
    // 电视频道 is one word to Jieba; its parts are 电视 and 频道.
    expect(index('看电视频道').cutsInside(2, 4)).toBe(true)
    expect(index('开视频会议').cutsInside(1, 3)).toBe(false)
    // The whole word, or a stretch that is not inside one word, is not this question.
    expect(index('看电视频道').cutsInside(1, 5)).toBe(false)
    expect(index('看电视频道').cutsInside(0, 2)).toBe(false)
  })

  it('cuts nothing when two splits are equally short', () => {
    const text = '白头发'
    const words = jieba.cut(text)
    // Only meaningful while Jieba holds 白头发 as one word.
    expect(words).toEqual(['白头发'])
    expect(index(text).cutsInside(1, 3)).toBe(false)
  })
})

describe('properties of the corrected conversion', () => {
  const alphabet = [...'理发店干后面只于系里头鼠标软件台湾著名被明参与制造前生电视频段改变量子更复杂许多净老师小 a1，。\n']
  const text = fc.array(fc.constantFrom(...alphabet), {maxLength: 30}).map((parts) => parts.join(''))

  it('keeps the length of the text where OpenCC does, and converts again to the same text (idempotent on its output)', () => {
    const converter = getConverter('zh-Hans', 'zh-Hant', {corrections: true})
    const back = getConverter('zh-Hant', 'zh-Hant', {corrections: true})
    fc.assert(
      fc.property(text, (input) => {
        const once = converter.convert(input)
        expect(back.convert(once)).toBe(once)
        expect(converter.align(input).map((piece) => piece.text).join('')).toBe(once)
      }),
      {numRuns: 200, seed: 7}
    )
  })

  for (const [from, to] of [['zh-Hans', 'zh-TW'], ['zh-Hans', 'zh-HK'], ['zh-TW', 'zh-Hans'], ['zh-Hant', 'zh-TW']] as const) {
    it(`${from} → ${to}: the fast conversion equals the aligned one`, () => {
      const converter = getConverter(from, to, {corrections: true})
      fc.assert(
        fc.property(text, (input) => {
          expect(converter.convert(input)).toBe(converter.align(input).map((piece) => piece.text).join(''))
        }),
        {numRuns: 200, seed: 10}
      )
    })
  }

  it('pieces partition the input', () => {
    const converter = getConverter('zh-Hans', 'zh-TW', {corrections: true})
    fc.assert(
      fc.property(text, (input) => {
        let offset = 0
        for (const piece of converter.align(input)) {
          expect(piece.start).toBe(offset)
          offset = piece.end
        }

        expect(offset).toBe(input.length)
      }),
      {numRuns: 200, seed: 8}
    )
  })

  // OpenCC's suite expects its phrases in a Traditional text (圖示覆蓋 →
  // 图示复盖 [sic]); Jieba only reads such a text through a Simplified
  // image that already made the choices those phrases exist for. So from
  // Traditional to Simplified the corrections change nothing but the
  // particle 著 (→ 着): OpenCC's phrases stand, whatever the sentence.
  const traditionalWords = ['圖示', '覆蓋', '提示', '畫素', '藉由', '顯示', '反覆', '乾淨', '瞭解', '頭髮', '發生', '看', '著', '名', '於', '餘', '麵', '線', '，', '。']
  const traditionalText = fc.array(fc.constantFrom(...traditionalWords), {maxLength: 12}).map((parts) => parts.join(''))
  for (const [from, codes] of [['zh-TW', ['twp', 'cn']], ['zh-Hant', ['t', 'cn']], ['zh-HK', ['hk', 'cn']]] as const) {
    it(`${from} → zh-Hans: OpenCC's phrases stand (only 著 → 着 may differ)`, () => {
      const converter = getConverter(from, 'zh-Hans', {corrections: true})
      const reference = OpenCC.Converter({from: codes[0], to: codes[1]})
      fc.assert(
        fc.property(traditionalText, (input) => {
          const ours = converter.convert(input)
          const theirs = reference(input)
          expect(ours.length).toBe(theirs.length)
          for (let index = 0; index < ours.length; index++) {
            if (ours[index] !== theirs[index]) expect([theirs[index], ours[index]]).toEqual(['著', '着'])
          }
        }),
        {numRuns: 300, seed: 11}
      )
      expect(converter.convert('這個圖示覆蓋了視窗，每個畫素藉由濾鏡上色')).toBe(reference('這個圖示覆蓋了視窗，每個畫素藉由濾鏡上色'))
    })
  }

  it('leaves Latin text, code-like tokens and URLs alone', () => {
    const latin = fc.string({unit: fc.constantFrom(...'abcXYZ019:/._-?=&# '), maxLength: 40})
    const converter = getConverter('zh-Hans', 'zh-TW', {corrections: true})
    fc.assert(
      fc.property(latin, (input) => {
        expect(converter.convert(input)).toBe(input)
        expect(converter.convert(`被发明${input}前头发生`)).toBe(`被發明${input}前頭發生`)
      }),
      {numRuns: 200, seed: 9}
    )
  })
})

describe('quotation marks as content', () => {
  const table: Array<[string, string]> = [
    ['使用 “ ” 和 ‘ ’ 两种引号', '使用 “ ” 和 ‘ ’ 兩種引號'],
    ['键入 “ 再键入 ”', '鍵入 “ 再鍵入 ”'],
    ['“只有开头没有结尾', '“只有開頭沒有結尾'],
    ['只有结尾”没有开头', '只有結尾”沒有開頭'],
    ['他说“你好”，她说“‘好’的”', '他說「你好」，她說「『好』的」']
  ]
  for (const [input, expected] of table) {
    it(`${input} → ${expected}`, () => {
      expect(convertText(input, {from: 'zh-Hans', to: 'zh-TW'})).toBe(expected)
    })
  }
})

describe('standard forms of a Traditional source', () => {
  const source = '逾期后的補救措施：請聯系客服，并采取措施；對于資金周轉，先注冊賬號。于老師說好。'
  it('every Traditional output, the source locale too, is in standard forms', () => {
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-Hant'})).toBe('逾期後的補救措施：請聯繫客服，並採取措施；對於資金週轉，先註冊賬號。于老師說好。')
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-TW'})).toBe('逾期後的補救措施：請聯絡客服，並採取措施；對於資金週轉，先註冊賬號。于老師說好。')
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-HK'})).toBe('逾期後的補救措施：請聯繫客服，並採取措施；對於資金週轉，先註冊賬號。于老師説好。')
  })

  it('--keep-source-forms and --no-corrections publish the source as written', () => {
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-Hant', keepSourceForms: true})).toBe(source)
    expect(convertText(source, {from: 'zh-Hant', to: 'zh-Hant', corrections: false})).toBe(source)
  })

  it('a Traditional source converts to Mainland forms', () => {
    expect(convertText('隨著時間，他寫了一本著作。', {from: 'zh-TW', to: 'zh-Hans'})).toBe('随着时间，他写了一本著作。')
  })
})
