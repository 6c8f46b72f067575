/**
 * Lint of Traditional sources: words that OpenCC's standard forms write with
 * other characters (`聯系` → `聯繫`, `注冊` → `註冊`), the sign of a text
 * machine-converted from Simplified character by character.
 *
 * The text goes to Simplified and back with OpenCC; where the round trip
 * gives other characters of the same Simplified reading, the source is
 * reported with the round trip's form as the fix. Only two kinds of
 * difference count, so legitimate Traditional text is not flagged:
 * - a phrase of OpenCC's dictionaries says so (`联系` → `聯繫`) and the
 *   character lies inside a word of the sentence (Jieba), or
 * - the character is not Traditional at all (`发` in a Traditional text).
 * A lone `于` or `后`, which are also Traditional characters, is left alone,
 * and so is a word any Traditional variant writes that way (`為` is zh-TW's
 * form of OpenCC's `爲`, `審核` zh-HK's of `審覈`): regional forms are not
 * the sign of a machine conversion.
 */
import {locales, traditional, type Locale} from '../locales.ts'
import {forEachEntry, getConverter, getSegmenter, traditionalWordForms, type Piece} from './engine.ts'
import {alternativesFor, hasManyForms, phraseAlternatives} from './review.ts'
import {createWordIndex, segmentsWhole, type WordIndex} from './segment.ts'
import {createBudget, type BoundedMemory} from '../bounded-memory.ts'
import {compiledTable} from './compiled.ts'

/** The round trip uses the word-aware conversion: a fix never cuts a word. */
const corrected = {corrections: true}

/**
 * The way back where the source writes no 于: without the surname. There a
 * Simplified 于 was written 於 (or another form the lint accepts), and a 于
 * kept as a surname would be one character, a piece of its own either way,
 * that only differs from the source: compare never takes it (於 is a
 * Traditional form of 于, and no phrase made it), so the findings are the
 * same, and no name needs Jieba's HMM.
 */
const correctedWithoutSurname = {corrections: true, surname: false}

/** The options of the way back from Simplified for a source text. */
function backOptions(text: string): {corrections: boolean; surname?: boolean} {
  return text.includes('于') ? corrected : correctedWithoutSurname
}

/**
 * Characters that are Traditional only in a rare sense (于 the surname, 后
 * the queen, 并 the old name of Taiyuan): where the word-aware round trip
 * writes them otherwise (對於, 之後, 並且), the source is reported even
 * without a phrase. The round trip keeps them where they are right (于小明,
 * 皇后).
 */
const loose = new Set(['于', '后', '并'])

/** Characters that count after a numeral, with their measure form. */
const countedForms = new Map([
  ['周', '週'],
  ['只', '隻']
])

const numerals = /^[\d０-９〇零一二两三四五六七八九十百千万几数]$/

/** Options of {@link lintTraditional}. */
export interface LintOptions {
  /** Words written wholly in Simplified: kept as quoted (default) or fixed. */
  simplifiedWords?: 'keep' | 'fix'
  /**
   * Align the whole text into Simplified once, each stretch to lint taking
   * its slice (default `true`: an article's zh-Hans conversion aligns the
   * same text, and the converter remembers it); `false`: align only the
   * stretches (a caller that converts the text without aligning it).
   */
  wholeAlignment?: boolean
}

/** A non-standard word. Offsets are in the text linted. */
export interface LintFinding {
  /** Start of the word. */
  start: number
  /** End of the word. */
  end: number
  /** Offset of its first non-standard character. */
  offset: number
  /** The word as written. */
  found: string
  /** OpenCC's standard form. */
  fix: string
}

/**
 * Find non-standard Traditional words in a text.
 *
 * @param text Text of a Traditional source (no code, no protected terms).
 * @param locale The source locale (zh-Hant, zh-TW or zh-HK).
 * @param options `simplifiedWords: 'fix'` also fixes words written wholly
 *   in Simplified, which a published source may quote on purpose
 *   (`简体中文`) but an imported draft has as remnants of a broken
 *   conversion (default `'keep'`).
 * @returns Findings in order.
 */
export function lintTraditional(text: string, locale: Locale, options: LintOptions = {}): Array<LintFinding> {
  // Clauses are linted apart: no dictionary phrase and no word of Jieba's
  // crosses CJK punctuation or a line break, so each converts, segments
  // and compares the same alone. Most hold no character that could differ
  // from its standard form, and need no conversion at all; neighbouring
  // clauses that need it are linted together (one conversion each way).
  const findings: Array<LintFinding> = []
  // A clause lints the same wherever it stands: clauses already linted
  // (a book's refrains, a generated text's sentences) are taken from the
  // memory, the others linted a stretch at a time as before.
  const memory = clauseMemory(locale, options)
  // The clauses holding a character that could differ, and what the memory holds of each.
  const starts: Array<number> = []
  const ends: Array<number> = []
  const known: Array<Array<LintFinding> | undefined> = []
  let start = 0
  for (let end = 0; end <= text.length; end++) {
    if (end < text.length && !clauseEnd.has(text.charCodeAt(end))) continue
    if (end > start && mayDiffer(text, start, end, locale)) {
      const clause = text.slice(start, end)
      starts.push(start)
      ends.push(end)
      known.push(memory.get(clause))
    }

    start = end + 1
  }

  // Most of the others come back from the round trip in place: made once
  // for all of them, joined by line breaks (no match crosses one).
  const back = comeBack(text, starts, ends, known, locale)

  // The round trip's first half is the conversion of the whole text into
  // Simplified: what the article's zh-Hans output converts (the converter
  // remembers it), so it is made once for both, and each stretch takes its
  // slice of it.
  let whole: Array<Piece> | undefined
  const clauses: Array<number> = []
  const flush = () => {
    if (clauses.length === 0) return
    if (options.wholeAlignment !== false) whole ??= getConverter(locale, 'zh-Hans', corrected).align(text)
    // The stretch runs to the next clause, its last clause's end included.
    const stretch = clauses[0]!
    const end = Math.min(clauses.at(-1)! + 1, text.length)
    const clause = text.slice(stretch, end)
    const first = whole && slicePieces(whole, stretch, end)
    const found: Array<LintFinding> = []
    for (const finding of first ? lintAligned(clause, explode(first), locale, options) : lintClause(clause, locale, options)) {
      found.push({...finding, start: finding.start + stretch, end: finding.end + stretch, offset: finding.offset + stretch})
    }

    findings.push(...found)
    remember(memory, text, clauses, found)
    clauses.length = 0
  }

  for (let index = 0; index < starts.length; index++) {
    const clauseStart = starts[index]!
    const clauseStop = ends[index]!
    // Neighbours only: a clause between them that needs no look ends the stretch.
    if (clauses.length > 0 && clauses.at(-1)! + 1 !== clauseStart) flush()
    const recalled = known[index]
    if (recalled) {
      flush()
      for (const finding of recalled) findings.push({...finding, start: finding.start + clauseStart, end: finding.end + clauseStart, offset: finding.offset + clauseStart})
    } else if (back[index]) {
      flush()
      memory.recall(text.slice(clauseStart, clauseStop), () => [])
    } else {
      clauses.push(clauseStart, clauseStop)
    }
  }

  flush()
  return findings
}

/**
 * Per clause (`starts`, `ends`) the memory does not hold: whether it comes
 * back in place ({@link comesBack}), from one round trip of them all (two:
 * the clauses that write 于 take the way back that keeps the surname). A
 * Taiwan source's clauses take the trip without Taiwan's phrases first
 * (see {@link roundTrips}), and those that do not come back from it the
 * trip with them.
 */
function comeBack(text: string, starts: ReadonlyArray<number>, ends: ReadonlyArray<number>, known: ReadonlyArray<unknown>, locale: Locale): Array<boolean> {
  const result: Array<boolean> = []
  for (const surname of [false, true]) {
    let pending: Array<number> = []
    for (let index = 0; index < starts.length; index++) {
      if (known[index] !== undefined) continue
      if (text.slice(starts[index]!, ends[index]!).includes('于') === surname) pending.push(index)
    }

    for (const phrases of roundTrips(locale)) {
      if (pending.length === 0) break
      const joined = pending.map((index) => text.slice(starts[index]!, ends[index]!)).join('\n')
      const inPlace = inPlaceRoundTrip(joined, locale, phrases)
      const left: Array<number> = []
      let at = 0
      for (const index of pending) {
        const length = ends[index]! - starts[index]!
        result[index] = inPlace(at, at + length)
        if (!result[index]) left.push(index)
        at += length + 1
      }

      pending = left
    }
  }

  return result
}

/**
 * The round trips that can certify a clause, in the order tried (whether
 * each applies the locale's own phrases). A Taiwan text is written in
 * Taiwan's vocabulary (記憶體, 專案, 參數), which its phrases turn into
 * Mainland words on the way to Simplified (内存: a length that moves the
 * offsets) and back from them (项目 → 專案 where the source wrote 項目),
 * so nearly a quarter of the clauses of real Taiwan documentation would
 * not come back and would take the full lint, which then finds nothing
 * there: Taiwan's phrases change words, not character forms, and the lint
 * reports a character form, never a usage ({@link compare}: a stretch
 * whose source, fix and reading differ in length, or a character whose
 * fix reads as another Simplified character, is no finding; a word another
 * Traditional variant writes as found is `regional`). The trip through
 * OpenCC's Taiwan character variants alone (`tw`, no phrases) brings those
 * clauses back. Unlike the argument for the trip itself ({@link
 * comesBack}), that reading of the phrase dictionaries is held by tests
 * and measurement, not derived: `tests/plain-fast.test.ts` holds the
 * certificate against the full lint on random clauses built from Taiwan
 * words and the characters that could differ; of 32,542 distinct clauses
 * that could differ in three real Taiwan trees, it certified 30,054 (the
 * trip with the phrases alone: 25,190; both: 30,346), none of them among
 * the 77 the full lint has a finding in.
 */
function roundTrips(locale: Locale): ReadonlyArray<boolean> {
  return locale === 'zh-TW' ? withoutPhrasesFirst : withPhrases
}

const withoutPhrasesFirst = [false, true]
const withPhrases = [true]

/**
 * Whether a clause has nothing for the lint, known from two conversions
 * without alignment or word checks: the word-aware round trip through
 * Simplified gives it back, every character in its place, making the exact
 * conversion's matches (no phrase refused, no word form, no surname: see
 * the converters' `convertInPlace`), and each character's reading is the
 * one it has on its own. Then both alignments of {@link lintAligned} are
 * made of pieces as long as their input, so at every stretch where they
 * meet the round trip's form is the source's own (`local` = `found`), and
 * {@link characterForms} keeps it (each character reads as its Simplified
 * character): the fix equals what is found, and there is no finding.
 * (`tests/plain-fast.test.ts` holds this against the full lint.) A Taiwan
 * source's clause comes back from either of its two trips ({@link roundTrips}).
 *
 * @param clause A clause of a Traditional source.
 * @param locale The source locale.
 * @returns `true` when the lint has nothing to say about it; `false` when it must look.
 */
export function comesBack(clause: string, locale: Locale): boolean {
  return roundTrips(locale).some((phrases) => inPlaceRoundTrip(clause, locale, phrases)(0, clause.length))
}

/**
 * {@link comesBack} for every clause of a text at once: the round trip of
 * the whole text in place (two conversions, whatever the number of
 * clauses: a match that would move offsets is left as written and marked,
 * and no match crosses a clause's end), then each clause is read off it.
 *
 * @param text Text of a Traditional source.
 * @param locale The source locale.
 * @param regionalPhrases Whether the trip applies the locale's phrases ({@link roundTrips}).
 * @returns Whether the clause `[start, end)` (between clause ends) comes back in place.
 */
function inPlaceRoundTrip(text: string, locale: Locale, regionalPhrases = true): (start: number, end: number) => boolean {
  const marks = new Uint8Array(text.length)
  const simplified = getConverter(locale, 'zh-Hans', {...corrected, regionalPhrases}).convertInPlace(text, marks)!
  // A clause marked already does not come back: the second conversion
  // makes no word check in it.
  let clauseStart = 0
  let marked = false
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && !clauseEnd.has(text.charCodeAt(index))) {
      if (marks[index] !== 0) marked = true
      continue
    }

    if (marked) marks.fill(1, clauseStart, index)
    clauseStart = index + 1
    marked = false
  }

  // In place: the same offsets, so the second conversion marks the same array.
  const back = getConverter('zh-Hans', locale, {...backOptions(text), regionalPhrases}).convertInPlace(simplified, marks)!
  const single = singleForms(locale)
  return (start, end) => {
    for (let index = start; index < end; index++) {
      const code = text.charCodeAt(index)
      if (marks[index] !== 0 || back.charCodeAt(index) !== code) return false
      // An astral character is two units: let the lint read it.
      if (code >= 0xd800 && code <= 0xdfff) return false
      const form = single[code] || singleForm(locale, code)
      const reading = simplified.charCodeAt(index)
      if (form === reading + 1) continue
      // Another reading (a phrase: 型別 read 类型): the fix there is the
      // standard form of the reading, which compare takes only where it is
      // another character that reads as the source's character does. It
      // cannot where no character OpenCC's standard conversion writes for
      // the reading is one.
      if (reading >= 0xd800 && reading <= 0xdfff) return false
      const own = form > 0 ? String.fromCharCode(form - 1) : getConverter(locale, 'zh-Hans').convert(text.charAt(index))
      if (standardMayTake(locale, reading, text.charAt(index), own)) return false
    }

    // Jieba's words decide alike only where every stretch is segmented whole.
    return segmentsWhole(text.slice(start, end))
  }
}

/** Whether a stretch and its Simplified reading have one length and each character reads as its own Simplified character (no astral one). */
function readsAsWritten(found: string, reading: string, locale: Locale): boolean {
  if (found.length !== reading.length) return false
  for (let index = 0; index < found.length; index++) {
    const code = found.charCodeAt(index)
    if (code >= 0xd800 && code <= 0xdfff) return false
    if (singleForm(locale, code) !== reading.charCodeAt(index) + 1) return false
  }

  return true
}

/**
 * The characters OpenCC's standard conversion (zh-Hans → zh-Hant, the
 * corrections' word forms included) may write at a Simplified character,
 * per character: its normalization's images, then the chain's images of
 * each at the same place of any entry (every entry keeps its number of
 * code points), and the character itself. `undefined` entries: none but
 * itself. Read once per process.
 */
interface StandardImages {
  normal: Map<string, Set<string>>
  chain: Map<string, Set<string>>
  /** Whether some entry changes the number of code points (then no place can be told). */
  unaligned: boolean
}

const standardImageTables = new Map<'standard', StandardImages>()

function standardImages(): StandardImages {
  let images = standardImageTables.get('standard')
  if (!images) {
    // Walking the dictionaries is a tenth of a second per worker: the compile's copy when there is one.
    const stored = compiledTable('images.json', standardImageData)
    const sets = (table: Record<string, string>) => new Map(Object.entries(table).map(([char, forms]) => [char, new Set([...forms])]))
    images = {normal: sets(stored.normal), chain: sets(stored.chain), unaligned: stored.unaligned}
    standardImageTables.set('standard', images)
  }

  return images
}

/** {@link StandardImages} as JSON: each character's images as one string. */
interface StoredImages {
  normal: Record<string, string>
  chain: Record<string, string>
  unaligned: boolean
}

/**
 * The standard conversion's images (see {@link StandardImages}), walked
 * from the dictionaries; the compile stores them as `images.json`.
 *
 * @returns Per character, its images in order of discovery, as one string.
 */
export function standardImageData(): StoredImages {
  const found: StandardImages = {normal: new Map(), chain: new Map(), unaligned: false}
  // Entries whose replacement is their key add nothing.
  const changed = true
  forEachEntry('zh-Hans', 'zh-Hant', (key, replacement, stage) => addImages(found, key, replacement, stage), changed)
  for (const [unit, form] of traditionalWordForms) {
    const char = String.fromCharCode(unit)
    const set = found.chain.get(char) ?? new Set()
    set.add(form)
    found.chain.set(char, set)
  }

  const strings = (table: Map<string, Set<string>>) => Object.fromEntries([...table].map(([char, forms]) => [char, [...forms].join('')]))
  return {normal: strings(found.normal), chain: strings(found.chain), unaligned: found.unaligned}
}

/** Record an entry's images, place by place (code points). */
function addImages(found: StandardImages, key: string, replacement: string, stage: number): void {
  const keyPoints = [...key]
  const points = [...replacement]
  if (keyPoints.length !== points.length) {
    found.unaligned = true
    return
  }

  const table = stage < 0 ? found.normal : found.chain
  for (let index = 0; index < points.length; index++) {
    if (keyPoints[index] === points[index]) continue
    let set = table.get(keyPoints[index]!)
    if (!set) {
      set = new Set()
      table.set(keyPoints[index]!, set)
    }

    set.add(points[index]!)
  }
}

/** Per source locale and Simplified unit: each character the standard conversion may write there, with its Simplified reading in the source locale. */
const standardReadingTables = new Map<Locale, Map<number, Map<string, string>>>()

/**
 * Whether OpenCC's standard conversion may write, at a Simplified
 * character, a character other than the source's that reads as the
 * source's does (in the source locale, character by character): only then
 * can the lint take the standard form there. Always, when the
 * dictionaries cannot tell places apart.
 *
 * @param locale The source locale.
 * @param unit The Simplified character (one code unit).
 * @param written The source's character.
 * @param reading Its Simplified reading on its own.
 */
function standardMayTake(locale: Locale, unit: number, written: string, reading: string): boolean {
  let byUnit = standardReadingTables.get(locale)
  if (!byUnit) {
    byUnit = new Map()
    standardReadingTables.set(locale, byUnit)
  }

  let forms = byUnit.get(unit)
  if (!forms) {
    const images = standardImages()
    if (images.unaligned) return true
    forms = new Map()
    const toSimplified = getConverter(locale, 'zh-Hans')
    const char = String.fromCharCode(unit)
    for (const normal of [char, ...(images.normal.get(char) ?? [])]) {
      for (const image of [normal, ...(images.chain.get(normal) ?? [])]) forms.set(image, toSimplified.convert(image))
    }

    byUnit.set(unit, forms)
  }

  for (const [form, formReading] of forms) if (form !== written && formReading === reading) return true
  return false
}

/** Per source locale: each BMP unit's Simplified form on its own, plus 1 (0: not asked yet, -1: not one unit). */
const singleFormTables = new Map<Locale, Int32Array>()

/** A BMP unit's Simplified form on its own, plus 1 (-1: not one unit). */
function singleForm(locale: Locale, code: number): number {
  const single = singleForms(locale)
  let form = single[code]!
  if (form === 0) {
    const converted = getConverter(locale, 'zh-Hans').convert(String.fromCharCode(code))
    form = converted.length === 1 ? converted.charCodeAt(0) + 1 : -1
    single[code] = form
  }

  return form
}

function singleForms(locale: Locale): Int32Array {
  let table = singleFormTables.get(locale)
  if (!table) {
    table = new Int32Array(0x10000)
    singleFormTables.set(locale, table)
  }

  return table
}

/** Code units of clauses the lint remembers with their findings, over all locales. */
const clauseBudget = createBudget(1 << 20)

/** The memories of linted clauses, per source locale and options. */
const clauseMemories = new Map<string, BoundedMemory<Array<LintFinding>>>()

function clauseMemory(locale: Locale, options: LintOptions): BoundedMemory<Array<LintFinding>> {
  const key = `${locale} ${options.simplifiedWords ?? 'keep'}`
  let memory = clauseMemories.get(key)
  if (!memory) {
    memory = clauseBudget.memory()
    clauseMemories.set(key, memory)
  }

  return memory
}

/**
 * Remember the findings of a stretch's clauses, each with offsets from its
 * clause's start (`clauses`: start and end of each, in order). A finding
 * across clauses (none should be: no phrase and no word crosses their
 * ends) leaves the stretch unremembered.
 */
function remember(memory: BoundedMemory<Array<LintFinding>>, text: string, clauses: ReadonlyArray<number>, found: ReadonlyArray<LintFinding>): void {
  const per: Array<Array<LintFinding>> = []
  let at = 0
  for (let index = 0; index < clauses.length; index += 2) {
    const start = clauses[index]!
    const end = clauses[index + 1]!
    const own: Array<LintFinding> = []
    while (at < found.length && found[at]!.start < end) {
      const finding = found[at]!
      if (finding.start < start || finding.end > end) return
      own.push({...finding, start: finding.start - start, end: finding.end - start, offset: finding.offset - start})
      at++
    }

    per.push(own)
  }

  if (at < found.length) return
  for (let index = 0; index < clauses.length; index += 2) memory.recall(text.slice(clauses[index]!, clauses[index + 1]!), () => per[index / 2]!)
}

/** Characters that end a clause for the lint: CJK punctuation no dictionary entry holds, and line breaks. */
const clauseEnd = new Set([...'，。！？；：、\n'].map((char) => char.charCodeAt(0)))

/**
 * Whether a stretch holds a character whose standard form could be
 * another: one that reads in Simplified as a character with more than one
 * Traditional form (`發`: 发 is 發 or 髮), that is not its Simplified
 * character's form in the locale (`发` itself, `爲` in zh-TW), or a loose
 * one. Any other character comes back as written from every phrase, and
 * {@link lintTraditional} has nothing to say about a text without one.
 *
 * @param text Text of a Traditional source.
 * @param start Start of the stretch.
 * @param end End of the stretch.
 * @param locale The source locale.
 * @returns Whether the lint must look at the stretch.
 */
export function mayDiffer(text: string, start: number, end: number, locale: Locale): boolean {
  // Computed ahead of time by `npm run compile` for the Basic Multilingual
  // Plane: then no conversion and no candidate table is needed to answer.
  const known = differingTable(locale)
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    // Below the CJK blocks: Latin, digits, punctuation convert to themselves.
    if (code < 0x2e80) continue
    const astral = code >= 0xd800 && code <= 0xdbff && index + 1 < end
    if (known && !astral) {
      if (known[code] === 1) return true
      continue
    }

    if (characterMayDiffer(astral ? text.slice(index, index + 2) : text.charAt(index), locale)) return true
    if (astral) index++
  }

  return false
}

/** Whether one character (from U+2E80) may differ from its standard form: {@link mayDiffer} of the character alone. */
function characterMayDiffer(char: string, locale: Locale): boolean {
  if (loose.has(char)) return true
  const simplified = getConverter(locale, 'zh-Hans').convert(char)
  return hasManyForms(simplified) || getConverter('zh-Hans', locale).convert(simplified) !== char
}

/**
 * The characters of the Basic Multilingual Plane (from U+2E80, surrogates
 * left out) that may differ from their standard form in a Traditional
 * source of a locale ({@link mayDiffer}): `npm run compile` writes them for
 * each Traditional locale (`lib/convert/differing.json`), so the lint's
 * pre-check reads no dictionary and no candidate table.
 *
 * @param locale A Traditional locale.
 * @returns The characters, in code order.
 */
export function differingCharacters(locale: Locale): string {
  let result = ''
  for (let code = 0x2e80; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const char = String.fromCharCode(code)
    if (characterMayDiffer(char, locale)) result += char
  }

  return result
}

/** Per locale: 1 where a BMP character may differ (from `differing.json`); read once, `false` when absent (running from the sources). */
const differingTables = new Map<Locale, Int8Array | false>()

function differingTable(locale: Locale): Int8Array | undefined {
  let table = differingTables.get(locale)
  if (table === undefined) {
    table = false
    const characters = compiledTable<Partial<Record<Locale, string>> | undefined>('differing.json', () => undefined)?.[locale]
    if (characters !== undefined) {
      table = new Int8Array(0x10000)
      for (let index = 0; index < characters.length; index++) table[characters.charCodeAt(index)] = 1
    }

    differingTables.set(locale, table)
  }

  return table || undefined
}

/**
 * The lint of a text in one piece, without skipping clauses: what
 * {@link lintTraditional} must equal (the tests compare them).
 *
 * @param text Text of a Traditional source.
 * @param locale The source locale.
 * @param options As {@link lintTraditional}'s.
 * @returns Findings in order.
 */
export function lintClause(text: string, locale: Locale, options: LintOptions = {}): Array<LintFinding> {
  return lintAligned(text, explode(getConverter(locale, 'zh-Hans', corrected).align(text)), locale, options)
}

/**
 * The pieces of an alignment that cover `input[start, end)`, with offsets
 * from `start`: an unchanged piece across either end is cut there.
 *
 * @returns The pieces, or `undefined` when a dictionary match crosses an end.
 */
function slicePieces(pieces: ReadonlyArray<Piece>, start: number, end: number): Array<Piece> | undefined {
  // The first piece that ends after `start`.
  let low = 0
  let high = pieces.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (pieces[middle]!.end <= start) low = middle + 1
    else high = middle
  }

  const result: Array<Piece> = []
  for (let index = low; index < pieces.length && pieces[index]!.start < end; index++) {
    const piece = pieces[index]!
    if (piece.start >= start && piece.end <= end) {
      result.push({...piece, start: piece.start - start, end: piece.end - start})
      continue
    }

    // Across an end: only text copied as it is can be cut.
    if (piece.matched || piece.end - piece.start !== piece.text.length) return undefined
    const from = Math.max(piece.start, start)
    const to = Math.min(piece.end, end)
    result.push({start: from - start, end: to - start, text: piece.text.slice(from - piece.start, to - piece.start), phrase: false, matched: false})
  }

  return result
}

/**
 * {@link lintClause} on a text whose alignment into Simplified is known.
 *
 * @param text Text of a Traditional source.
 * @param first Its alignment into Simplified (corrected), unchanged stretches split into characters.
 */
function lintAligned(text: string, first: Array<Piece>, locale: Locale, options: LintOptions): Array<LintFinding> {
  const back = getConverter('zh-Hans', locale, backOptions(text))
  const simplified = first.map((piece) => piece.text).join('')
  const second = explode(back.align(simplified))
  const standard = getConverter('zh-Hans', 'zh-Hant', backOptions(text))
  let words: WordIndex | undefined
  const wordsOf = () => (words ??= createWordIndex(simplified, (slice) => getSegmenter().cut(slice), (word) => getSegmenter().tagOf(word)))
  const findings: Array<LintFinding> = []

  // Walk both alignments to the smallest stretches where they meet again.
  let i = 0
  let j = 0
  let y1 = 0
  let groupI = 0
  let groupJ = 0
  let groupY = 0
  while (i < first.length && j < second.length) {
    const end1 = y1 + first[i]!.text.length
    const end2 = second[j]!.end
    if (end1 < end2) {
      y1 = end1
      i++
      continue
    }

    if (end2 < end1) {
      j++
      continue
    }

    const start = first[groupI]!.start
    const end = first[i]!.end
    const found = text.slice(start, end)
    const pieces = second.slice(groupJ, j + 1)
    const reading = simplified.slice(groupY, end1)
    const local = pieces.length === 1 ? pieces[0]!.text : pieces.map((piece) => piece.text).join('')
    // The round trip's own form, each character reading as its Simplified
    // character: characterForms keeps it, so the fix is what is found.
    if (local === found && readsAsWritten(found, reading, locale)) {
      y1 = end1
      i++
      j++
      groupI = i
      groupJ = j
      groupY = y1
      continue
    }

    // Where the locale's phrases change the word (聯繫 → zh-TW 聯絡), the
    // character form is the question: take OpenCC's standard form there.
    const fix = characterForms(local, standard.convert(reading), reading, locale)
    const at = groupY
    if (found !== fix && !regional(found, reading, locale)) {
      const finding = compare(
        found,
        fix,
        reading,
        locale,
        (index, form, written) => phraseFits(pieces, wordsOf(), simplified, at + index, form, written, locale),
        (index) => looseInContext(found, index, wordsOf(), at),
        (index) => options.simplifiedWords !== 'fix' && writtenSimplified(text, simplified, wordsOf(), at + index)
      )
      if (finding !== undefined) findings.push({start, end, offset: start + finding.offset, found, fix: finding.fix})
    }

    y1 = end1
    i++
    j++
    groupI = i
    groupJ = j
    groupY = y1
  }

  return findings
}

/**
 * Whether a stretch of source differs from its round trip in a way worth
 * reporting, and the fix: the round trip's form of the characters reported
 * only (a character the round trip changed for no reason of its own stays
 * as written).
 *
 * @returns Offset (in `found`) of the first reported character and the fix, or `undefined`.
 */
function compare(
  found: string,
  fix: string,
  simplified: string,
  locale: Locale,
  byPhrase: (index: number, form: string, written: string) => boolean,
  inContext: (index: number) => boolean,
  quoted: (index: number) => boolean
): {offset: number; fix: string} | undefined {
  const a = [...found]
  const b = [...fix]
  const s = [...simplified]
  // Different lengths: a regional phrase (a usage), not a character form.
  if (a.length !== b.length || a.length !== s.length) return undefined
  const toSimplified = getConverter(locale, 'zh-Hans')
  let offset = 0
  let first: number | undefined
  const result: Array<string> = []
  for (let index = 0; index < a.length; index++) {
    const written = a[index]!
    const standard = b[index]!
    let take = false
    if (written !== standard && toSimplified.convert(written) === toSimplified.convert(standard)) {
      take = byPhrase(offset, standard, written) || (loose.has(written) && inContext(offset)) || (!isTraditional(written, s[index]!, locale) && !quoted(offset))
    }

    if (take) first ??= offset
    result.push(take ? standard : written)
    offset += written.length
  }

  return first === undefined ? undefined : {offset: first, fix: result.join('')}
}

/**
 * Whether a dictionary phrase decides the character at an offset of the
 * Simplified reading: a phrase made it, the character lies in a word of two
 * or more characters (Jieba's segmentation of the sentence), and that word
 * converted on its own writes the character the same way. A phrase joining
 * two words (`并为` over 並/為) has no word to agree with, so its form (`併為`)
 * would be a new error; a phrase across words whose own word agrees (`并采`
 * over 并/采取措施: 採) stands.
 *
 * @param pieces The round trip's pieces of the stretch.
 * @param words Words of the Simplified reading.
 * @param text The Simplified reading.
 * @param position Offset of the character in it.
 * @param form The round trip's form of the character.
 * @param written The character as the source writes it.
 * @param locale The source locale.
 */
function phraseFits(pieces: ReadonlyArray<Piece>, words: WordIndex, text: string, position: number, form: string, written: string, locale: Locale): boolean {
  const piece = pieces.find((candidate) => candidate.start <= position && position < candidate.end)
  if (!piece?.phrase) return false
  if (phraseContradicted(text, piece, position, written, locale)) return false
  const [start, end] = words.wordAt(position)
  if (end - start < 2) return false
  // 只 before a verb, preposition, adverb or conjunction is the adverb
  // "only", whatever word Jieba makes of it (最多只會: 最/多只/會): not 隻.
  if (text.charAt(position) === '只' && end < text.length && /^[vpdc]/.test(words.tagAt(end) ?? '')) return false
  // After a numeral, 周 and 只 count (weeks: 第四週, 過去四週; animals: 三隻):
  // the measure form the source wrote stands against a phrase that reads
  // them otherwise (四周, "surroundings").
  const counted = countedForms.get(text.charAt(position))
  if (counted !== undefined && form !== counted && position > 0 && numerals.test(text.charAt(position - 1))) return false
  const word = getConverter('zh-Hans', locale, corrected).convert(text.slice(start, end))
  const standard = getConverter('zh-Hans', 'zh-Hant', corrected).convert(text.slice(start, end))
  const at = position - start
  return word.length === end - start && (word.slice(at, at + form.length) === form || standard.slice(at, at + form.length) === form)
}

/**
 * Whether OpenCC's dictionary gives the source's form itself at a
 * character: the deciding phrase lists it among its forms (`编制` is
 * `編制 編製`: a source's 編製, "to compile", is no mistake), or a shorter
 * phrase inside it writes the character as the source does (合作伙伴 is
 * listed as 合作伙伴, yet 伙伴 as 夥伴, so a source's 合作夥伴 follows
 * OpenCC's own word).
 *
 * @param text The Simplified reading.
 * @param piece The phrase's piece of the round trip (offsets in `text`).
 * @param position Offset of the character in `text`.
 * @param written The character as the source writes it.
 * @param locale The source locale.
 */
function phraseContradicted(text: string, piece: Piece, position: number, written: string, locale: Locale): boolean {
  // The phrase's own entry lists the source's form among its forms (`编制`: `編制 編製`).
  const listed = phraseAlternatives(text.slice(piece.start, piece.end))
  if (listed?.some((form) => form.length === piece.end - piece.start && form.charAt(position - piece.start) === written)) return true
  const exact = getConverter('zh-Hans', locale)
  for (let start = piece.start; start <= position; start++) {
    for (let end = Math.max(position + 1, start + 2); end <= piece.end; end++) {
      if (start === piece.start && end === piece.end) continue
      const aligned = exact.align(text.slice(start, end))
      const only = aligned.length === 1 ? aligned[0]! : undefined
      if (only?.phrase && only.text.length === end - start && only.text.charAt(position - start) === written) return true
    }
  }

  return false
}

/**
 * Whether a loose character is non-standard where it stands: 于 inside a
 * word (對于) or after a verb (成立于, 專注于), not at the start of a
 * clause, where it may be the surname (于小明說); 后 and 并 as words of
 * their own.
 *
 * @param found The stretch of source.
 * @param offset Offset of the character in `found`.
 * @param words Words of the Simplified reading.
 * @param at Offset of `found`'s reading in the Simplified text.
 */
function looseInContext(found: string, offset: number, words: WordIndex, at: number): boolean {
  const position = at + offset
  const [start, end] = words.wordAt(position)
  if (found.charAt(offset) !== '于') return end - start === 1
  if (end - start > 1) return true
  return start > 0 && (words.tagAt(start - 1) ?? '').startsWith('v')
}

/**
 * Whether the character at an offset of the Simplified reading lies in a
 * word of two or more characters that the source writes wholly in
 * Simplified (`简体中文`, the name of a Simplified edition): a word quoted in
 * the other script on purpose, not a slip of a conversion, which leaves no
 * word untouched.
 *
 * @param text The source text.
 * @param simplified Its Simplified reading.
 * @param words Words of the reading.
 * @param position Offset of the character in the reading.
 */
function writtenSimplified(text: string, simplified: string, words: WordIndex, position: number): boolean {
  // Offsets of source and reading coincide only where the lengths agree.
  if (text.length !== simplified.length) return false
  const [start, end] = words.wordAt(position)
  return end - start >= 2 && text.slice(start, end) === simplified.slice(start, end)
}

/**
 * The fix, character by character: the locale's form, except where the
 * locale's phrase dictionary chose another word (its Simplified reading
 * differs), where OpenCC's standard form is taken.
 */
function characterForms(local: string, standard: string, reading: string, locale: Locale): string {
  const a = [...local]
  const b = [...standard]
  const s = [...reading]
  if (a.length !== b.length || a.length !== s.length) return local
  const toSimplified = getConverter(locale, 'zh-Hans')
  return a.map((char, index) => (toSimplified.convert(char) === s[index] ? char : b[index]!)).join('')
}

/** Whether another Traditional variant writes the word as found. */
function regional(found: string, simplified: string, locale: Locale): boolean {
  return locales.some((other) => other !== locale && traditional[other] && getConverter('zh-Hans', other).convert(simplified) === found)
}

/**
 * Whether OpenCC lists a character among the Traditional forms of its
 * Simplified one, in the source's locale or another Traditional variant
 * (`爲` is zh-Hant's form of zh-TW's `為`: a regional form, not a mistake).
 */
function isTraditional(char: string, simplified: string, locale: Locale): boolean {
  return locales.some((other) => {
    if (other !== locale && !traditional[other]) return false
    const candidates = alternativesFor(simplified, 'zh-Hans', other) ?? [getConverter('zh-Hans', other).convert(simplified)]
    return candidates.includes(char)
  })
}

/**
 * Split unchanged stretches into single characters, so that a finding covers
 * the dictionary match that explains it and not the sentence around it.
 */
function explode(pieces: Array<Piece>): Array<Piece> {
  const result: Array<Piece> = []
  for (const piece of pieces) {
    if (piece.matched || piece.end - piece.start !== piece.text.length) {
      result.push(piece)
      continue
    }

    let offset = piece.start
    for (const char of piece.text) {
      result.push({start: offset, end: offset + char.length, text: char, phrase: false, matched: false})
      offset += char.length
    }
  }

  return result
}
