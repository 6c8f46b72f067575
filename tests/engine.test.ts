import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {compilePipeline, deserializePipeline, loadPipeline, serializePipeline} from '../scripts/convert/dictionary.ts'
import {getConverter, openccCode} from '../scripts/convert/engine.ts'
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

describe('compiled dictionaries', () => {
  it('read back from their serialized form convert the same', () => {
    const pipeline = compilePipeline('cn', 'twp')
    const bytes = serializePipeline(pipeline, 's2twp')
    const read = deserializePipeline(bytes, 's2twp')!
    expect(read.chain.length).toBe(pipeline.chain.length)
    for (const [index, trie] of pipeline.chain.entries()) {
      expect(read.chain[index]!.values).toEqual(trie.values)
      expect([...read.chain[index]!.unit]).toEqual([...trie.unit])
    }
  })

  it('a cache file of another pair or format is ignored', () => {
    const bytes = serializePipeline(compilePipeline('t', 'cn'), 't2s')
    expect(deserializePipeline(bytes, 's2t')).toBeUndefined()
    expect(deserializePipeline(new Uint8Array([1, 2, 3]), 't2s')).toBeUndefined()
  })

  it('are cached on disk and reused', async () => {
    const folder = await temporaryFolder()
    const first = loadPipeline('hk', 'cn', folder)
    const files = await listFiles(folder)
    expect(files).toEqual([expect.stringMatching(/^hk2s-opencc-.*\.bin$/)])
    const second = loadPipeline('hk', 'cn', folder)
    expect(second.chain[0]!.values).toEqual(first.chain[0]!.values)
  })
})
