import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {compilePipeline, deserializeTrie, loadPipeline, precompileDictionaries, replacements, serializeTrie} from '../scripts/convert/dictionary.ts'
import {codeUnits, getConverter, openccCode, type Piece} from '../scripts/convert/engine.ts'
import {segmentsWhole} from '../scripts/convert/segment.ts'
import {locales} from '../scripts/locales.ts'
import {listFiles, opencc, root, temporaryFolder} from './helpers.ts'

const golden = fs.readFileSync(path.join(opencc, 'golden/input/us_constitution_zhs.txt'), 'utf8')
const seed = fs.readFileSync(path.join(root, 'source/lexin-overdue.md'), 'utf8')
const sample = golden + seed + '理发店 ⿰木木 𠮷野家 面条 干燥 头发 U盘 鼠标 乾隆'

describe('engine matches opencc-js Converter', () => {
  for (const from of locales) {
    for (const to of locales) {
      if (from === to) continue
      it(`${from} → ${to}`, () => {
        const reference = OpenCC.Converter({from: openccCode[from], to: openccCode[to]})
        const converter = getConverter(from, to)
        expect(converter.convert(sample)).toBe(reference(sample))
      })
    }
  }
})

describe('alignment', () => {
  it('pieces partition the input and join to the output', () => {
    const converter = getConverter('zh-Hans', 'zh-TW')
    const pieces = converter.align(sample)
    let offset = 0
    for (const piece of pieces) {
      expect(piece.start).toBe(offset)
      expect(piece.end).toBeGreaterThan(piece.start)
      offset = piece.end
    }

    expect(offset).toBe(sample.length)
    expect(pieces.map((piece) => piece.text).join('')).toBe(converter.convert(sample))
  })

  it('a phrase match is one piece marked as a phrase', () => {
    const pieces = getConverter('zh-Hans', 'zh-TW').align('用鼠标点')
    expect(pieces).toContainEqual({start: 1, end: 3, text: '滑鼠', phrase: true, matched: true})
  })

  it('the same locale is the identity', () => {
    expect(getConverter('zh-TW', 'zh-TW').convert('软件 軟體')).toBe('软件 軟體')
  })
})

describe('engine on odd input matches opencc-js', () => {
  // Characters that start phrases, ideographic description characters,
  // surrogate pairs, lone surrogates and compatibility ideographs.
  const alphabet = [...'理发店干后面只于系里头鼠标软件乾隆台湾香港著名⿰⿱⿲木水 a1，。\n', '𠮷', '\ud800', '\udc00', '\uf900', '\u2ff2']
  const text = fc.array(fc.constantFrom(...alphabet), {maxLength: 40}).map((parts) => parts.join(''))

  for (const [from, to] of [['zh-Hans', 'zh-TW'], ['zh-Hant', 'zh-Hans'], ['zh-TW', 'zh-HK'], ['zh-HK', 'zh-Hans']] as const) {
    it(`${from} → ${to}: convert and align agree with opencc-js`, () => {
      const reference = OpenCC.Converter({from: openccCode[from], to: openccCode[to]})
      const converter = getConverter(from, to)
      fc.assert(
        fc.property(text, (input) => {
          const expected = reference(input)
          expect(converter.convert(input)).toBe(expected)
          expect(converter.align(input).map((piece) => piece.text).join('')).toBe(expected)
        }),
        {numRuns: 300}
      )
    })
  }
})

/** Unmatched pieces split into characters. */
function exploded(pieces: Array<Piece>): Array<Piece> {
  return pieces.flatMap((piece) => {
    if (piece.matched) return [piece]
    let offset = piece.start
    return [...piece.text].map((char) => {
      const one = {start: offset, end: offset + char.length, text: char, phrase: false, matched: false}
      offset += char.length
      return one
    })
  })
}

describe('the exact scan gives the pieces the review reads', () => {
  // Dictionary keys (phrases of every stage), odd characters (surrogate
  // pairs, lone surrogates, ideographic descriptions, compatibility
  // ideographs that normalization converts) and glue.
  const preset = (OpenCC as unknown as {Locale: {from: Record<string, unknown>; to: Record<string, unknown>}}).Locale
  const keys = new Set<string>()
  for (const groups of [...Object.values(preset.from), ...Object.values(preset.to)]) {
    for (const dictionary of (groups as Array<unknown>).flat(3)) {
      if (typeof dictionary !== 'string') continue
      for (const entry of dictionary.split('|')) {
        const key = entry.split(' ')[0]
        if (key && [...key].length <= 4) keys.add(key)
      }
    }
  }

  const odd = ['，', '\n', ' ', 'a', '的', '𠮷', '\ud800', '\udc00', '\u2ff0木木', '\uf900', '\u{2F800}', '\u{2F81A}发', '干', '里', '面']
  const piece = fc.oneof({weight: 4, arbitrary: fc.constantFrom(...[...keys].sort())}, {weight: 1, arbitrary: fc.constantFrom(...odd)})
  const text = fc.array(piece, {minLength: 1, maxLength: 30}).map((parts) => parts.join(''))
  // Nothing marked 2: every piece of one character is given.
  const watch = new Int8Array(0x10000)

  for (const from of locales) {
    for (const to of locales) {
      if (from === to) continue
      it(`${from} → ${to}: the conversion, and align's one-character pieces (unmatched stretches a code point at a time)`, () => {
        const converter = getConverter(from, to)
        const reference = OpenCC.Converter({from: openccCode[from], to: openccCode[to]})
        fc.assert(
          fc.property(text, (input) => {
            const found: Array<number> = []
            const output = converter.scan!(input, codeUnits(input), watch, found)
            expect(output).toBe(reference(input))
            const scanned: Array<string> = []
            for (let at = 0; at < found.length; at += 5) scanned.push(`${found[at]}-${found[at + 1]} ${found[at + 2]} ${output.slice(found[at + 3], found[at + 4])}`)
            const aligned: Array<string> = []
            for (const piece of converter.align(input)) {
              if (!piece.matched) {
                let offset = piece.start
                for (const char of input.slice(piece.start, piece.end)) {
                  aligned.push(`${offset}-${offset + char.length} 0 ${char}`)
                  offset += char.length
                }

                continue
              }

              if ([...input.slice(piece.start, piece.end)].length === 1 && !piece.phrase) aligned.push(`${piece.start}-${piece.end} 1 ${piece.text}`)
            }

            expect(scanned).toEqual(aligned)
          }),
          {numRuns: 200}
        )
      })
    }
  }

  // The lint's certificate (`comesBack`): a conversion whose every unit
  // stays in its place is the one `align` and `convert` give, with the
  // exact conversion's pieces, each as long as its input.
  for (const corrections of [false, true]) {
    it(`convertInPlace, corrections ${corrections ? 'on' : 'off'}: where it answers, align gives the exact pieces in place, joined to its answer`, () => {
      let answered = 0
      let declined = 0
      for (const from of locales) {
        for (const to of locales) {
          if (from === to) continue
          const converter = getConverter(from, to, {corrections})
          const exact = getConverter(from, to)
          fc.assert(
            fc.property(text, (input) => {
              const result = converter.convertInPlace(input)
              if (result === undefined) {
                declined++
                return
              }

              answered++
              expect(result.length).toBe(input.length)
              expect(result).toBe(converter.convert(input))
              const pieces = converter.align(input)
              for (const piece of pieces) expect(piece.text.length, `${from} → ${to} ${input}`).toBe(piece.end - piece.start)
              expect(pieces.map(({start, end, text, phrase, matched}) => ({start, end, text, phrase, matched}))).toEqual(exact.align(input))
            }),
            {numRuns: 60}
          )
        }
      }

      expect(answered).toBeGreaterThan(50)
      expect(declined).toBeGreaterThan(50)
    })
  }

  it('convertInPlace with marks: each clause without a mark is converted as it would be alone', () => {
    const ends = fc.constantFrom('，', '。', '、', '；', '\n', '！')
    const clauses = fc.array(fc.tuple(text, ends), {minLength: 1, maxLength: 6})
    let clean = 0
    let marked = 0
    for (const [from, to] of [['zh-Hant', 'zh-Hans'], ['zh-TW', 'zh-Hans'], ['zh-Hans', 'zh-TW'], ['zh-Hans', 'zh-Hant'], ['zh-Hans', 'zh-HK']] as const) {
      for (const corrections of [false, true]) {
        const converter = getConverter(from, to, {corrections})
        fc.assert(
          fc.property(clauses, (parts) => {
            const whole = parts.map(([clause, end]) => clause + end).join('')
            const marks = new Uint8Array(whole.length)
            const result = converter.convertInPlace(whole, marks)!
            expect(result.length).toBe(whole.length)
            let start = 0
            for (const [clause, end] of parts) {
              const alone = converter.convertInPlace(clause)
              const unmarked = marks.subarray(start, start + clause.length).every((mark) => mark === 0)
              // Unmarked: converted as alone (alone may still decline a long stretch Jieba segments in windows).
              if (unmarked && (!corrections || segmentsWhole(clause))) expect(alone, clause).toBeDefined()
              if (unmarked && alone !== undefined) {
                clean++
                expect(result.slice(start, start + clause.length)).toBe(alone)
              }

              if (!unmarked) {
                marked++
                expect(alone).toBeUndefined()
              }

              expect(result.charAt(start + clause.length)).toBe(end)
              start += clause.length + 1
            }
          }),
          {numRuns: 40}
        )
      }
    }

    expect(clean).toBeGreaterThan(50)
    expect(marked).toBeGreaterThan(50)
  })

  it('without the surname, a corrected conversion differs only where it kept a 于 as a piece of its own (the lint\'s way back where the source writes none)', () => {
    const names = fc.constantFrom('于', '于小明', '于老师', '于是', '对于', '位于', '于海波说', '姓于', '成立于', '并', '了', '发', '后')
    const input = fc.array(fc.oneof({weight: 3, arbitrary: piece}, {weight: 2, arbitrary: names}), {minLength: 1, maxLength: 20}).map((parts) => parts.join(''))
    let kept = 0
    for (const to of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
      const withSurname = getConverter('zh-Hans', to, {corrections: true})
      const without = getConverter('zh-Hans', to, {corrections: true, surname: false})
      fc.assert(
        fc.property(input, (text) => {
          // As the lint reads them: unmatched stretches one character at a time.
          const a = exploded(withSurname.align(text))
          const b = exploded(without.align(text))
          expect(b.length, text).toBe(a.length)
          for (const [index, piece] of a.entries()) {
            const other = b[index]!
            expect([other.start, other.end], text).toEqual([piece.start, piece.end])
            if (other.text === piece.text) continue
            // The surname kept: 于 as written, where the preposition is 於.
            kept++
            expect(text.slice(piece.start, piece.end)).toBe('于')
            expect(piece.text).toBe('于')
            expect(piece.matched).toBe(false)
            expect(other.matched).toBe(true)
          }
        }),
        {numRuns: 150}
      )
    }

    expect(kept).toBeGreaterThan(0)
  })

  it('convertInPlace declines a refused phrase, a word form, the surname and a change of length', () => {
    const corrected = (from: 'zh-Hans' | 'zh-Hant', to: 'zh-Hans' | 'zh-TW') => getConverter(from, to, {corrections: true})
    expect(corrected('zh-Hans', 'zh-TW').convertInPlace('被发明')).toBeUndefined()
    expect(corrected('zh-Hans', 'zh-TW').convertInPlace('逾期后的')).toBeUndefined()
    expect(corrected('zh-Hans', 'zh-TW').convertInPlace('于老师说')).toBeUndefined()
    expect(corrected('zh-Hans', 'zh-TW').convertInPlace('内存')).toBeUndefined()
    expect(corrected('zh-Hant', 'zh-Hans').convertInPlace('隨著時間')).toBeUndefined()
    expect(getConverter('zh-Hans', 'zh-TW').convertInPlace('被发明')).toBe('被髮明')
    expect(corrected('zh-Hans', 'zh-TW').convertInPlace('头发长了')).toBe('頭髮長了')
  })

  it('leaves out the units marked 2', () => {
    const watch = new Int8Array(0x10000).fill(2)
    watch['干'.charCodeAt(0)] = 1
    const found: Array<number> = []
    const output = getConverter('zh-Hans', 'zh-Hant').scan!('干燥的天气，这事你来干。', codeUnits('干燥的天气，这事你来干。'), watch, found)
    expect(output).toBe('乾燥的天氣，這事你來幹。')
    // 干燥 is a phrase; the last 干 is converted on its own.
    expect(found).toEqual([10, 11, 1, 10, 11])
  })
})

describe('compiled dictionaries', () => {
  it('read back from their serialized form convert the same', () => {
    const pipeline = compilePipeline('cn', 'twp')
    for (const trie of pipeline.chain) {
      const read = deserializeTrie(serializeTrie(trie, 'a'), 'a')!
      expect(replacements(read)).toEqual(replacements(trie))
      for (const field of ['unit', 'first', 'count', 'value', 'depth', 'root', 'valueStart', 'pool'] as const) expect([...read[field]]).toEqual([...trie[field]])
    }
  })

  it('a file of another group or format is ignored', () => {
    const trie = compilePipeline('t', 'cn').chain[0]!
    const bytes = serializeTrie(trie, 'a')
    expect(deserializeTrie(bytes, 'b')).toBeUndefined()
    expect(deserializeTrie(bytes.subarray(0, bytes.length - 4), 'a')).toBeUndefined()
    expect(deserializeTrie(new Uint8Array([1, 2, 3]), 'a')).toBeUndefined()
  })

  it('are cached on disk, one file per dictionary group, and reused', async () => {
    const folder = await temporaryFolder()
    const first = loadPipeline('hk', 'cn', folder)
    const files = await listFiles(folder)
    // Normalization, segmentation and two conversion stages.
    expect(files).toHaveLength(4)
    for (const file of files) expect(file).toMatch(/^[0-9a-f]{16}-opencc-.*\.bin$/)
    const second = loadPipeline('hk', 'cn', folder)
    expect(replacements(second.chain[0]!)).toEqual(replacements(first.chain[0]!))
    expect(second.chain[0]).not.toBe(first.chain[0])
    // Pairs of one source share their groups in a process.
    const known = new Map()
    expect(loadPipeline('cn', 'twp', folder, known).chain[0]).toBe(loadPipeline('cn', 'hk', folder, known).chain[0])
  })

  it('precompiled for the package convert as compiled on the fly', async () => {
    const folder = await temporaryFolder()
    const files = precompileDictionaries(folder)
    expect((await listFiles(folder)).sort()).toEqual([...files].sort())
    expect(files).toContainEqual(expect.stringMatching(/^pairs-opencc-.*\.json$/))
    const empty = await temporaryFolder()
    const codes = ['cn', 't', 'twp', 'hk'] as const
    for (const from of codes) {
      for (const to of codes) {
        if (from === to) continue
        const compiled = compilePipeline(from, to)
        // Through the manifest (packaged), and group by group (a store).
        for (const read of [loadPipeline(from, to, undefined, new Map(), folder), loadPipeline(from, to, folder, new Map(), empty)]) {
          expect(read.chain.map(replacements)).toEqual(compiled.chain.map(replacements))
          expect(read.chain.map((trie) => [...trie.unit])).toEqual(compiled.chain.map((trie) => [...trie.unit]))
          expect(read.segmentation && replacements(read.segmentation)).toEqual(compiled.segmentation && replacements(compiled.segmentation))
          expect(read.normalize && replacements(read.normalize)).toEqual(compiled.normalize && replacements(compiled.normalize))
        }
      }
    }

    // Nothing compiled on the fly was missing from the folder, nothing written beside.
    expect((await listFiles(folder)).sort()).toEqual([...files].sort())
    expect(await listFiles(empty)).toEqual([])
  })
})
