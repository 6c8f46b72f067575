import fs from 'node:fs'
import path from 'node:path'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {getConverter, openccCode} from '../scripts/convert/engine.ts'
import {locales} from '../scripts/locales.ts'
import {opencc, root} from './helpers.ts'

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
