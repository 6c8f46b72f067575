/**
 * OpenCC's own test suite (tests/fixtures/opencc, copied from upstream):
 * every case of `testcases.json` and every golden file, for each OpenCC
 * configuration zhpress uses, through zhpress's conversion entry point
 * (`convertText`, quotes kept so OpenCC's expectations apply) and through
 * opencc-js directly. zhpress must pass at least as many as opencc-js.
 * The counts are printed (and the failures, if any).
 */
import fs from 'node:fs'
import path from 'node:path'
import {parse, type ParseError} from 'jsonc-parser'
import * as OpenCC from 'opencc-js'
import {afterAll, describe, expect, it} from 'vitest'
import {convertText} from '../scripts/convert/index.ts'
import type {Locale} from '../scripts/locales.ts'
import {opencc, root} from './helpers.ts'

interface Case {
  id: string
  input: string
  expected: Record<string, string>
}

/** OpenCC configurations zhpress uses: locale pair and opencc-js codes. */
const used: Record<string, {from: Locale; to: Locale; codes: [string, string]}> = {
  s2t: {from: 'zh-Hans', to: 'zh-Hant', codes: ['cn', 't']},
  s2twp: {from: 'zh-Hans', to: 'zh-TW', codes: ['cn', 'twp']},
  s2hk: {from: 'zh-Hans', to: 'zh-HK', codes: ['cn', 'hk']},
  t2s: {from: 'zh-Hant', to: 'zh-Hans', codes: ['t', 'cn']},
  tw2sp: {from: 'zh-TW', to: 'zh-Hans', codes: ['twp', 'cn']},
  hk2s: {from: 'zh-HK', to: 'zh-Hans', codes: ['hk', 'cn']},
  t2hk: {from: 'zh-Hant', to: 'zh-HK', codes: ['t', 'hk']},
  hk2t: {from: 'zh-HK', to: 'zh-Hant', codes: ['hk', 't']}
}

/** Configurations zhpress does not use, run through opencc-js only, for the record. */
const others: Record<string, [string, string]> = {
  s2tw: ['cn', 'tw'],
  tw2s: ['tw', 'cn'],
  s2hkp: ['cn', 'hkp'],
  hk2sp: ['hkp', 'cn'],
  t2tw: ['t', 'tw'],
  tw2t: ['tw', 't'],
  jp2t: ['jp', 't'],
  t2jp: ['t', 'jp']
}

// Upstream's file is not strict JSON (one trailing comma): parse it leniently,
// but fail on anything else.
const errors: Array<ParseError> = []
const suite = parse(fs.readFileSync(path.join(opencc, 'testcases.json'), 'utf8'), errors, {allowTrailingComma: true}) as {cases: Array<Case>}
const goldenInput = fs.readFileSync(path.join(opencc, 'golden/input/us_constitution_zhs.txt'), 'utf8')
/** Reviewed differences of the corrected conversion from OpenCC's expectations. */
const corrections = JSON.parse(fs.readFileSync(path.join(opencc, 'golden-corrections.json'), 'utf8')) as {
  changes: Record<string, Record<string, Array<string>>>
  testcases: Record<string, unknown>
}

interface Count {
  cases: number
  zhpress: number
  openccJs: number
  failures: Array<{id: string; input: string; expected: string; zhpress: string; openccJs: string}>
}

const counts: Record<string, Count> = {}
const golden: Record<string, {lines: number; zhpress: number; openccJs: number}> = {}

const converters = new Map<string, (text: string) => string>()

/** opencc-js's own converter for a pair of its codes (built once: building is slow). */
function openccJs(codes: [string, string]): (text: string) => string {
  const key = codes.join('>')
  let converter = converters.get(key)
  if (!converter) {
    converter = OpenCC.Converter({from: codes[0], to: codes[1]} as Parameters<typeof OpenCC.Converter>[0]) as (text: string) => string
    converters.set(key, converter)
  }

  return converter
}

describe('OpenCC testcases.json', () => {
  it('parses (the trailing comma is the only leniency)', () => {
    expect(errors).toEqual([])
    expect(suite.cases.length).toBe(232)
  })

  for (const [config, {from, to, codes}] of Object.entries(used)) {
    it(`${config}: --no-corrections equals opencc-js and passes at least as many cases`, () => {
      const reference = openccJs(codes)
      const count: Count = {cases: 0, zhpress: 0, openccJs: 0, failures: []}
      for (const testCase of suite.cases) {
        const expected = testCase.expected[config]
        if (expected === undefined) continue
        count.cases++
        const ours = convertText(testCase.input, {from, to, quotes: 'keep', corrections: false})
        const theirs = reference(testCase.input)
        if (ours === expected) count.zhpress++
        if (theirs === expected) count.openccJs++
        if (ours !== expected) count.failures.push({id: testCase.id, input: testCase.input, expected, zhpress: ours, openccJs: theirs})
      }

      counts[config] = count
      expect(count.cases).toBeGreaterThan(0)
      expect(count.zhpress).toBeGreaterThanOrEqual(count.openccJs)
    })
  }

  it('opencc-js directly passes 540 of the 543 pairs of every configuration', () => {
    let total = 0
    let passed = 0
    for (const testCase of suite.cases) {
      for (const [config, expected] of Object.entries(testCase.expected)) {
        const codes = used[config]?.codes ?? others[config]
        expect(codes, config).toBeDefined()
        total++
        if (openccJs(codes!)(testCase.input) === expected) passed++
      }
    }

    expect({passed, total}).toEqual({passed: 540, total: 543})
  })
})

describe('OpenCC testcases.json with corrections on', () => {
  for (const [config, {from, to, codes}] of Object.entries(used)) {
    it(`${config}: every case opencc-js passes still passes (but the reviewed ones)`, () => {
      const reference = openccJs(codes)
      const reviewed = (corrections.testcases as Record<string, Record<string, string>>)[config] ?? {}
      const regressions: Array<string> = []
      for (const testCase of suite.cases) {
        const expected = testCase.expected[config]
        if (expected === undefined) continue
        // Standard forms off: OpenCC's inputs mix scripts on purpose (小醜, 喫茶).
        const ours = convertText(testCase.input, {from, to, quotes: 'keep', keepSourceForms: true})
        if (reference(testCase.input) === expected && ours !== expected) regressions.push(testCase.input)
      }

      expect(regressions).toEqual(Object.keys(reviewed))
    })
  }
})

describe('OpenCC golden files with corrections on', () => {
  for (const config of ['s2t', 's2twp', 's2hk'] as const) {
    it(`${config}: only the reviewed characters differ`, () => {
      const name = fs.readdirSync(path.join(opencc, 'golden/output')).find((file) => file.endsWith(`.${config}.txt`))!
      const expected = fs.readFileSync(path.join(opencc, 'golden/output', name), 'utf8').split('\n')
      const {from, to} = used[config]!
      const ours = convertText(goldenInput, {from, to, quotes: 'keep'}).split('\n')
      const inputLines = goldenInput.split('\n')
      const changes: Record<string, Array<string>> = {}
      for (const [index, line] of expected.entries()) {
        const a = [...line]
        const b = [...ours[index]!]
        expect(b.length).toBe(a.length)
        const source = [...inputLines[index]!]
        for (const [offset, char] of a.entries()) {
          if (char !== b[offset]) (changes[String(index + 1)] ??= []).push(`${source[offset]}: ${char} → ${b[offset]}`)
        }
      }

      expect(changes).toEqual(corrections.changes[config])
    })
  }
})

describe('OpenCC golden files', () => {
  const outputs = fs.readdirSync(path.join(opencc, 'golden/output')).sort()
  for (const name of outputs) {
    const config = name.split('.').at(-2)!
    it(`${config}: every line`, () => {
      const expected = fs.readFileSync(path.join(opencc, 'golden/output', name), 'utf8')
      const codes = used[config]?.codes ?? others[config]!
      const theirs = openccJs(codes)(goldenInput)
      const lines = expected.split('\n')
      const count = {lines: lines.length, zhpress: -1, openccJs: countEqual(theirs.split('\n'), lines)}
      expect(theirs).toBe(expected)
      const pair = used[config]
      if (pair) {
        const ours = convertText(goldenInput, {from: pair.from, to: pair.to, quotes: 'keep', corrections: false})
        count.zhpress = countEqual(ours.split('\n'), lines)
        expect(ours).toBe(expected)
      }

      golden[config] = count
    })
  }
})

function countEqual(a: Array<string>, b: Array<string>): number {
  let equal = 0
  for (let index = 0; index < b.length; index++) if (a[index] === b[index]) equal++
  return equal
}

afterAll(() => {
  const summary = {
    testcases: Object.fromEntries(Object.entries(counts).map(([config, count]) => [config, {cases: count.cases, zhpress: count.zhpress, openccJs: count.openccJs}])),
    failures: Object.fromEntries(Object.entries(counts).filter(([, count]) => count.failures.length > 0).map(([config, count]) => [config, count.failures])),
    golden
  }
  // Printed, not written: a test run writes nothing into the checkout.
  if (Object.keys(summary.failures).length > 0) console.log(JSON.stringify(summary.failures, null, 2))
  const line = Object.entries(summary.testcases).map(([config, count]) => `${config} ${count.zhpress}/${count.cases} (opencc-js ${count.openccJs})`).join(', ')
  console.log(`OpenCC testcases through zhpress: ${line}`)
})
