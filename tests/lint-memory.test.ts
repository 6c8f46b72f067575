/**
 * The Traditional lint remembers each clause it linted with its findings
 * (`lintTraditional`, scripts/convert/lint.ts): a clause met again, in any
 * text and beside any other clauses, must give exactly what the lint of the
 * whole text without any memory gives (`lintClause`, the full aligned round
 * trip). Texts are drawn from a small pool of clauses (so clauses recur in
 * new neighbourhoods), our own sentences with non-standard forms, and
 * dictionary phrases.
 */
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {lintClause, lintTraditional} from '../scripts/convert/lint.ts'

/** Keys of opencc-js's Traditional → Simplified dictionaries, up to 4 characters (a sample). */
function traditionalKeys(): Array<string> {
  const preset = (OpenCC as unknown as {Locale: {from: Record<string, unknown>}}).Locale
  const keys = new Set<string>()
  for (const groups of Object.values(preset.from)) {
    for (const dictionary of (groups as Array<unknown>).flat(3)) {
      if (typeof dictionary !== 'string') continue
      for (const entry of dictionary.split('|')) {
        const key = entry.split(' ')[0]
        if (key && [...key].length >= 2 && [...key].length <= 4) keys.add(key)
      }
    }
  }

  return [...keys].sort().filter((_, index) => index % 7 === 0)
}

const ours = ['他們聯系了我們', '對于后果很擔心', '樂信成立于2013年', '并采取了措施', '更復雜的頭发', '這只發生在週末', '逾期后的補救', '隻有三隻貓', '盡管如此', '简体中文版', '于小明說', '變數裡的值', '許多乾淨的碗']
const keys = traditionalKeys()
const clause = fc.array(fc.oneof({weight: 2, arbitrary: fc.constantFrom(...ours)}, {weight: 3, arbitrary: fc.constantFrom(...keys)}), {minLength: 1, maxLength: 3}).map((parts) => parts.join(''))
const punctuation = fc.constantFrom('，', '。', '、', '；', '：', '！', '？')

describe('the lint\'s memory of clauses', () => {
  for (const locale of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
    it(`${locale}: texts sharing clauses find what the whole round trip finds, in any order`, () => {
      fc.assert(
        fc.property(
          fc.array(clause, {minLength: 2, maxLength: 6}).chain((pool) =>
            fc.array(fc.array(fc.tuple(fc.constantFrom(...pool), punctuation), {minLength: 1, maxLength: 5}), {minLength: 2, maxLength: 5})
          ),
          (texts) => {
            for (const parts of texts) {
              const text = parts.map(([words, mark]) => words + mark).join('')
              expect(lintTraditional(text, locale)).toEqual(lintClause(text, locale))
              // Each stretch aligned alone (the plain-text path): the same.
              expect(lintTraditional(text, locale, {wholeAlignment: false})).toEqual(lintClause(text, locale))
            }
          }
        ),
        {numRuns: 60, seed: 11}
      )
    })
  }

  it('a clause met again keeps its findings at its new place', () => {
    const first = lintTraditional('他們聯系了我們。', 'zh-TW')
    const again = lintTraditional('今天，他們聯系了我們。', 'zh-TW')
    expect(first.map((finding) => [finding.found, finding.fix, finding.start])).toEqual([['聯系', '聯繫', 2]])
    expect(again.map((finding) => [finding.found, finding.fix, finding.start])).toEqual([['聯系', '聯繫', 5]])
  })
})
