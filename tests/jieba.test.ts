/**
 * The compiled Jieba dictionary (`scripts/convert/jieba.ts`) against the
 * native `@node-rs/jieba` it stands in for: the same words and tags on
 * every sentence of the fixtures (and their Simplified conversions) and on
 * random texts built from the dictionary's own words.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {beforeAll, describe, expect, it} from 'vitest'
import {compileJiebaDictionary, cutWords, deserializeJiebaDictionary, dictionaryTag, firstTag, serializeJiebaDictionary, tagWords, type JiebaDictionary} from '../scripts/convert/jieba.ts'
import {getSegmenter} from '../scripts/convert/engine.ts'
import {isRiskyInContext} from '../scripts/convert/review.ts'
import {isSurnameYu} from '../scripts/convert/names.ts'
import {root} from './helpers.ts'

const require = createRequire(import.meta.url)
const {Jieba} = require('@node-rs/jieba') as typeof import('@node-rs/jieba')
const dictionaryText = fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/dict.js')), 'dict.txt'), 'utf8')
const native = Jieba.withDict(Buffer.from(dictionaryText))

let compiled: JiebaDictionary

beforeAll(() => {
  // Through its file format, as a process reads it.
  const dictionary = deserializeJiebaDictionary(serializeJiebaDictionary(compileJiebaDictionary(dictionaryText)))
  if (!dictionary) throw new Error('the compiled Jieba dictionary does not read back')
  compiled = dictionary
})

/** What the native Jieba and the compiled dictionary say about a text (the compiled tags only where they answer). */
function compare(text: string): void {
  expect(cutWords(compiled, text), text).toEqual(native.cut(text, false))
  for (const hmm of [false, true]) {
    const tagged = tagWords(compiled, text, hmm)
    if (tagged) expect(tagged, text).toEqual(native.tag(text, hmm).map(({word, tag}) => ({word, tag})))
  }

  for (const word of native.cut(text, false).slice(0, 8)) {
    const tag = firstTag(compiled, word)
    if (tag !== undefined) expect(tag, word).toBe(native.tag(word, false)[0]?.tag ?? '')
  }
}

/** Sentences of the fixture texts, each once. */
function fixtureSentences(): Array<string> {
  const files = [
    path.join(root, 'source', 'lexin-overdue.md'),
    path.join(root, 'tests', 'fixtures', 'corrections', 'phrases.tsv'),
    path.join(root, 'tests', 'fixtures', 'corrections', 'lint.tsv'),
    ...fs.readdirSync(path.join(root, 'tests', 'fixtures', 'opencc', 'golden', 'input')).map((name) => path.join(root, 'tests', 'fixtures', 'opencc', 'golden', 'input', name))
  ]
  const toSimplified = OpenCC.Converter({from: 't', to: 'cn'})
  const sentences = new Set<string>()
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8')
    for (const each of [text, toSimplified(text)]) for (const sentence of each.split(/(?<=[\n。！？])/)) sentences.add(sentence)
  }

  return [...sentences]
}

describe('compiled Jieba dictionary', () => {
  it('cuts and tags every sentence of the fixtures as the native Jieba does', () => {
    const sentences = fixtureSentences()
    expect(sentences.length).toBeGreaterThan(200)
    let tagged = 0
    for (const sentence of sentences) {
      compare(sentence)
      if (tagWords(compiled, sentence, true)) tagged++
    }

    // The HMM's tags are answered here for most sentences, not only the trivial ones.
    expect(tagged).toBeGreaterThan(sentences.length / 10)
  })

  it('cuts the issue\'s sentences into the words the corrections rely on', () => {
    expect(cutWords(compiled, '被发明')).toEqual(['被', '发明'])
    expect(cutWords(compiled, '电视频道')).toEqual(native.cut('电视频道', false))
    expect(cutWords(compiled, 'Node.js 20 和 ABC123 的 C++')).toEqual(native.cut('Node.js 20 和 ABC123 的 C++', false))
    expect(cutWords(compiled, '')).toEqual([])
  })

  it('agrees with the native Jieba on random texts of dictionary words, characters, ASCII and punctuation', () => {
    const words = dictionaryText
      .split('\n')
      .filter((_, index) => index % 97 === 0)
      .map((line) => line.split(' ')[0]!)
      .filter(Boolean)
    const piece = fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...'的了是在和有不这就也于后发只系面里干着著'.split('')),
      fc.constantFrom('a', 'Z', '7', '3.5', '%', '-', '_', '+', '#', '&', '.', ' ', '\r\n', '\n', '，', '。', '“', '”', '𠀀', '𪚥', '\u{2F800}', 'é')
    )
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 24}), (pieces) => {
        compare(pieces.join(''))
      }),
      {numRuns: 2000}
    )
  })
})

describe('the HMM asked only where it can change the answer', () => {
  const words = dictionaryText
    .split('\n')
    .filter((_, index) => index % 61 === 0)
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean)
  const piece = fc.oneof(
    {weight: 2, arbitrary: fc.constantFrom(...words)},
    {weight: 3, arbitrary: fc.constantFrom(...'小明红大海文华老师先生是我们他北京明天年月日的了在和一个有这不人说来去好会对发面只后干系里于'.split(''))},
    {weight: 1, arbitrary: fc.constantFrom('A', '1', ' ', '，', '2020', 'Vue')}
  )
  const clause = fc.array(piece, {maxLength: 10}).map((pieces) => '于' + pieces.join(''))

  it('with the HMM, a clause whose dictionary words start with a longer word, or 于 and a longer word, starts with the same words and tags', () => {
    fc.assert(
      fc.property(clause, (text) => {
        const plain = native.tag(text, false)
        const hmm = native.tag(text, true)
        if (plain[0]!.word !== '于') expect(hmm[0]).toEqual(plain[0])
        else if (plain[1] === undefined || [...plain[1].word].length > 1) expect(hmm.slice(0, 2)).toEqual(plain.slice(0, 2))
      }),
      {numRuns: 3000}
    )
  })

  it('the engine\'s surname check answers from the dictionary\'s words as with the HMM always on, and asks the HMM only beside a single Han character', () => {
    const segmenter = getSegmenter()
    const dictionary = {cut: (text: string) => cutWords(compiled, text), tagOf: (word: string) => dictionaryTag(compiled, word)}
    const text = fc.tuple(fc.array(piece, {maxLength: 8}), fc.array(piece, {maxLength: 8})).map(([before, after]) => [before.join(''), after.join('')] as const)
    let spared = 0
    let surnames = 0
    fc.assert(
      fc.property(text, ([before, after]) => {
        const sentence = before + '于' + after
        const native = (slice: string) => segmenter.tag(slice)
        let asked = false
        const answer = isSurnameYu(sentence, before.length, (slice) => {
          asked = true
          return native(slice)
        }, dictionary)
        expect(answer, sentence).toBe(isSurnameYu(sentence, before.length, native))
        if (!asked) spared++
        if (answer) surnames++
      }),
      {numRuns: 3000}
    )
    expect(spared).toBeGreaterThan(1000)
    expect(surnames).toBeGreaterThan(0)
  })

  it('a 于 between a single character and a longer word (应于全体, 兹于1787年) is answered from the dictionary; before a title the HMM is asked', () => {
    const segmenter = getSegmenter()
    const dictionary = {cut: (text: string) => cutWords(compiled, text), tagOf: (word: string) => dictionaryTag(compiled, word)}
    const check = (sentence: string) => {
      const offset = sentence.indexOf('于')
      let asked = false
      const answer = isSurnameYu(sentence, offset, (slice) => {
        asked = true
        return segmenter.tag(slice)
      }, dictionary)
      return {answer, asked, always: isSurnameYu(sentence, offset, (slice) => segmenter.tag(slice))}
    }

    for (const sentence of ['议长应于全体议员到场后宣布开会', '本章程兹于1787年九月通过', '九月十七日于费城签字']) {
      expect(check(sentence), sentence).toEqual({answer: false, asked: false, always: false})
    }

    const titled = check('大家应于老师进门前坐好')
    expect(titled.asked).toBe(true)
    expect(titled.answer).toBe(titled.always)
  })

  it('the review\'s surname check (a clause-initial 于) answers as with the HMM always on', () => {
    const segmenter = getSegmenter()
    let risky = 0
    fc.assert(
      fc.property(clause, (text) => {
        const words = segmenter.tag(text)
        const expected = words[0]?.word === '于' && words[1] !== undefined && /^(?:nr|nz|x$)/.test(words[1].tag) && /\p{Script=Han}/u.test(words[1].word)
        expect(isRiskyInContext(text, 0, 'zh-Hans'), text).toBe(expected)
        if (expected) risky++
      }),
      {numRuns: 2000}
    )
    expect(risky).toBeGreaterThan(0)
  })
})
