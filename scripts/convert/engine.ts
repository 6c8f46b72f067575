/**
 * OpenCC conversion with alignment: the same dictionaries, segmentation and
 * conversion chain as opencc-js's `Converter`, but every piece of output
 * remembers which range of the input it came from. Phrase-aware conversion
 * across inline formatting, source-preserving Markdown and the review report
 * all need that alignment, which opencc-js's string-to-string API loses.
 *
 * The one memo of the codebase lives here: one converter per locale pair,
 * optionally backed by a dictionary store on disk that a command (or a
 * program, by asking) opens with {@link useDictionaryStore}. Without a
 * store, dictionaries are compiled in memory and nothing is written.
 */
import {createBudget, type BoundedMemory} from '../bounded-memory.ts'
import {traditional, type Locale} from '../locales.ts'
import {loadPipeline, replacement, type CompiledPipeline, type FlatTrie} from './dictionary.ts'
import {isSurnameYu} from './names.ts'
import {createWordIndex, loadJieba, segmentsWhole, type WordIndex} from './segment.ts'

/** OpenCC locale code of each zhpress locale (DESIGN.md locale table). */
export const openccCode: Record<Locale, string> = {
  'zh-Hans': 'cn',
  'zh-Hant': 't',
  'zh-TW': 'twp',
  'zh-HK': 'hk'
}

/**
 * One piece of converted output and the input range it replaces.
 * Pieces partition the input in order.
 */
export interface Piece {
  /** Start offset in the input (UTF-16 code units). */
  start: number
  /** End offset in the input. */
  end: number
  /** Output text for `input.slice(start, end)`. */
  text: string
  /** Whether a dictionary entry longer than one character produced it. */
  phrase: boolean
  /** Whether any dictionary entry produced it (false: copied unchanged). */
  matched: boolean
  /** A phrase kept although it cuts a word of the sentence (corrections only): worth a review. */
  disputed?: boolean
}

export interface Converter {
  /** Locale converted from. */
  from: Locale
  /** Locale converted to. */
  to: Locale
  /** Whether word-aware corrections apply (else exactly opencc-js). */
  corrections: boolean
  /**
   * Convert a string; without corrections, equals opencc-js's `Converter`
   * for the same pair. With corrections, `disputed` (when given) receives
   * the offset of every phrase kept although it cuts a word (what
   * {@link Piece.disputed} marks in `align`). `units`, when the caller
   * has them: the text's code units (see {@link codeUnits}; only read).
   */
  convert: (text: string, disputed?: Array<number>, units?: Uint16Array) => string
  /** Convert a string, keeping the input range of every output piece. */
  align: (text: string) => Array<Piece>
  /**
   * Exact converters only (no corrections): `convert` of a text given its
   * code units, also telling what the review needs without aligning the
   * text again. Every piece `align` would give that covers one code point
   * of the text, starts on a code unit `watch` does not mark 2, and is not
   * a phrase, is pushed onto `found` as five numbers: its start and end in
   * the text, 1 when a dictionary entry converted it (else 0), and the start
   * and end of its output in the returned string. Other pieces (phrases,
   * stretches of several characters) are left out, and an unmatched
   * stretch is given one code point at a time (the review reads it a
   * character at a time).
   */
  scan?: (text: string, units: Uint16Array, watch: Int8Array, found: Array<number>) => string
  /**
   * The code units without which `convert` gives exactly what the pair's
   * converter without corrections gives (a Traditional source into
   * Simplified: only the word form of 著 needs the words): a text without
   * any of them may take the exact conversion. Empty when the converter is
   * exact; absent when any text may need word checks (a Simplified source:
   * every phrase is checked).
   */
  exactUnless?: ReadonlySet<number>
  /**
   * The conversion of a text whose every unit stays in its place: every
   * dictionary match (normalization, segmentation and each stage) is
   * replaced by a replacement of its own length, and no correction departs
   * from the exact conversion (no phrase refused, no word form, no surname
   * kept). Then `align` gives the exact conversion's pieces, each as long
   * as its input, and `convert` this same text. `undefined` when any of
   * that fails (or, with corrections, when the text is too long to be
   * segmented whole): take `align`. With `marks` (as many as the text's
   * code units) it always answers, as long as the text: a match that would
   * change the length is left as written and its units marked 1, and so
   * is the unit where a correction departs; a stretch between two ends no
   * dictionary key crosses (`，。！？；：、`, a line break) that holds no
   * mark (and whose stretches between Jieba's breaks are short enough to be
   * segmented whole) is converted in place as it would be alone. A unit
   * marked on entry is converted without word checks (its stretch is not
   * in place anyway).
   */
  convertInPlace: (text: string, marks?: Uint8Array) => string | undefined
}

/** Options of {@link getConverter}. */
export interface ConverterOptions {
  /**
   * Word-aware corrections (default `false`: exactly opencc-js): a
   * dictionary phrase whose output differs from its characters' is refused
   * where it cuts through a word of the sentence (Jieba), and the surname
   * 于 stays 于.
   */
  corrections?: boolean
  /**
   * With corrections from a Simplified source: keep the surname 于 (default
   * `true`). The Traditional lint turns it off where its source writes no
   * 于: its round trip then reads every 于 as the preposition, which the
   * source wrote as 於 (a kept 于 would only differ from the source there,
   * never make a finding), and needs no HMM for names.
   */
  surname?: boolean
  /**
   * Apply the Taiwan locale's phrases, its vocabulary (default `true`);
   * `false`: its character variants only (OpenCC's `tw`, not `twp`), which
   * the lint's round trip uses to see past a Taiwan word (記憶體 ↔ 内存).
   * Other locales have no phrases of their own: no difference.
   */
  regionalPhrases?: boolean
}

/**
 * Code units of text all bounded memories of the engine hold together (the
 * oldest forgotten first): what they hold (pieces, word indexes) is tens of
 * bytes per code unit and a build has a memory per converter and per head
 * stage, so the budget is the process's, not each memory's: the texts of
 * the article at hand (its locales and the lint's round trip reuse each
 * other's work), not a worker's history.
 */
const engineMemoryBudget = 1 << 18

// Converters per pair, the dictionary store, and the dictionary groups
// compiled in this process (pairs of one source share their largest group).
// Also: the word indexes of recent texts (every pair of one source segments
// the same text the same way) and the head stage's alignment of recent texts
// (pairs whose pipelines begin alike share it: zh-TW → zh-Hant and
// zh-TW → zh-HK, zh-Hans → zh-TW and zh-Hans → zh-HK), every such memory
// counted against one budget.
const budget = createBudget(engineMemoryBudget)
const memo: {
  /** By source, then target: without corrections, with, with but without the surname. */
  converters: Map<Locale, Map<Locale, Array<Converter | undefined>>>
  store: string | undefined
  groups: Map<string, FlatTrie>
  /** Word indexes of a Simplified source's texts, and of a Traditional one's (segmented through its Simplified image). */
  words: {simplified: BoundedMemory<WordIndex>; traditional: BoundedMemory<WordIndex>}
  /** Head stages' alignments, per {@link headKey}. */
  heads: Map<string, BoundedMemory<Head>>
  trieIds: Map<FlatTrie, number>
} = {
  converters: new Map(),
  store: undefined,
  groups: new Map(),
  words: {simplified: budget.memory(), traditional: budget.memory()},
  heads: new Map(),
  trieIds: new Map()
}

/** A number for each trie (for the keys of shared alignments). */
function trieId(trie: FlatTrie | undefined): number {
  if (!trie) return 0
  let id = memo.trieIds.get(trie)
  if (id === undefined) {
    id = memo.trieIds.size + 1
    memo.trieIds.set(trie, id)
  }

  return id
}

/**
 * What decides a pipeline's head stage (normalization, segmentation, the
 * first trie, with the corrections' kind): converters with the same key
 * align a text's head stage alike.
 */
function headKey(pipeline: CompiledPipeline, kind: string): string {
  const [head] = pipeline.chain
  return [trieId(pipeline.normalize), trieId(pipeline.segmentation), trieId(head), characterStage(pipeline.chain) === 0, kind].join(',')
}

/**
 * Keep compiled dictionaries in a folder between runs (about 0.5 s saved
 * per locale pair and process), for the rest of the process. The compiled
 * package reads its own (`lib/dictionaries/`) first; the store serves
 * when those are missing (running from the TypeScript sources). Commands call
 * it with `<cache root>/dictionaries`; library calls open none unless their
 * caller passes a cache folder, so by themselves they write nothing.
 *
 * @param folder The store, or `undefined` to compile in memory only.
 */
export function useDictionaryStore(folder: string | undefined): void {
  memo.store = folder
}

/** Jieba, loaded on first use and shared by every converter. */
const segmenter: {jieba?: ReturnType<typeof loadJieba>} = {}

/**
 * Jieba with its bundled dictionary, loaded once per process on first use.
 *
 * @returns Word segmentation (HMM off) and part-of-speech tagging (HMM on).
 */
export function getSegmenter(): ReturnType<typeof loadJieba> {
  segmenter.jieba ??= loadJieba()
  return segmenter.jieba
}

/**
 * Visit every entry of a locale pair's dictionaries: normalization's
 * (stage -1), then each stage of the chain's (0, 1, …).
 *
 * @param from Locale of the input text.
 * @param to Locale wanted.
 * @param visit Called with each key, its replacement and its stage.
 * @param changedOnly Visit only the entries whose replacement differs from their key.
 */
export function forEachEntry(from: Locale, to: Locale, visit: (key: string, replacement: string, stage: number) => void, changedOnly = false): void {
  if (from === to) return
  const pipeline = loadPipeline(openccCode[from], openccCode[to], memo.store, memo.groups)
  const walk = (trie: FlatTrie, stage: number) => {
    // Children are stored together: each node's parent in one pass, then
    // each key read back from its last node (a node's depth is its key's length).
    const {first, count, value, depth, unit, pool, valueStart} = trie
    const parent = new Int32Array(value.length)
    for (let node = 0; node < value.length; node++) for (let child = first[node]!; child < first[node]! + count[node]!; child++) parent[child] = node
    const key = new Uint16Array(1024)
    for (let node = 1; node < value.length; node++) {
      const replacement = value[node]!
      if (replacement < 0) continue
      const length = depth[node]!
      for (let at = node, index = length - 1; index >= 0; at = parent[at]!, index--) key[index] = unit[at]!
      const from = valueStart[replacement]!
      const to = valueStart[replacement + 1]!
      let changed = to - from !== length
      for (let offset = 0; !changed && offset < length; offset++) changed = pool[from + offset] !== key[offset]
      if (changed || !changedOnly) visit(String.fromCharCode(...key.subarray(0, length)), String.fromCharCode(...pool.subarray(from, to)), stage)
    }
  }

  if (pipeline.normalize) walk(pipeline.normalize, -1)
  for (const [stage, trie] of pipeline.chain.entries()) walk(trie, stage)
}

/**
 * Get the converter for a locale pair, building its dictionaries once.
 *
 * @param from Locale of the input text.
 * @param to Locale wanted.
 * @param options Whether corrections apply.
 * @returns A converter; the identity when both locales are the same.
 */
export function getConverter(from: Locale, to: Locale, options: ConverterOptions = {}): Converter {
  const corrections = options.corrections === true
  // Asked for per character by the review and the lint: no key string built.
  let pairs = memo.converters.get(from)
  if (!pairs) {
    pairs = new Map()
    memo.converters.set(from, pairs)
  }

  let pair = pairs.get(to)
  if (!pair) {
    pair = []
    pairs.set(to, pair)
  }

  const surname = options.surname !== false
  const phrases = options.regionalPhrases !== false || (from !== 'zh-TW' && to !== 'zh-TW')
  const index = (corrections ? (surname ? 1 : 2) : 0) + (phrases ? 0 : 3)
  let converter = pair[index]
  if (!converter) {
    converter = createConverter(from, to, corrections, surname, phrases)
    pair[index] = converter
  }

  return converter
}

/** Everything the corrected conversion needs besides the dictionaries. */
interface Corrections {
  /** What the context depends on (the source's script, and the target's for the word forms). */
  kind: string
  /** Word index of a text (the engine's coordinates); `whole`: {@link segmentsWhole} of the text, when known. */
  words: (text: string, whole?: boolean) => WordIndex
  /** Whether the character at an offset is the surname 于 (Simplified sources only). */
  surname: ((text: string, offset: number) => boolean) | undefined
  /** One-character words whose form the word decides. */
  wordForms: Map<number, string>
  /** Whether phrase matches are checked against the words (Simplified sources only). */
  phrases: boolean
}

/** OpenCC code of a locale, with or without its regional phrases (zh-TW: `twp` or `tw`). */
function codeOf(locale: Locale, phrases: boolean): string {
  return phrases || locale !== 'zh-TW' ? openccCode[locale] : 'tw'
}

function createConverter(from: Locale, to: Locale, corrections: boolean, keepSurname = true, phrases = true): Converter {
  if (from === to) {
    return {
      from,
      to,
      corrections,
      convert: (text) => text,
      align: (text) => (text ? [{start: 0, end: text.length, text, phrase: false, matched: false}] : []),
      exactUnless: noUnits,
      convertInPlace: (text) => text
    }
  }

  const pipeline = loadPipeline(codeOf(from, phrases), codeOf(to, phrases), memo.store, memo.groups)
  const exact = (): Converter => {
    const heads = sharedHeads(headKey(pipeline, 'exact'))
    const convert = remembered((text) => convertPipeline(pipeline, text))
    const aligned = budget.memory<Array<Piece>>()
    return {
      from,
      to,
      corrections,
      convert: (text, _disputed, units) => (units ? convertPipeline(pipeline, text, undefined, undefined, units) : convert(text)),
      align: (text) => aligned.recall(text, () => alignPipeline(pipeline, text, undefined, heads)).slice(),
      scan: (text, units, watch, found) => scanPipeline(pipeline, units, watch, found),
      exactUnless: noUnits,
      convertInPlace: (text, marks) => convertInPlace(pipeline, text, undefined, marks)
    }
  }

  if (!corrections) return exact()

  // Jieba loads on the first phrase that needs a check.
  const getJieba = getSegmenter
  // Jieba's dictionary is Simplified: a Traditional text is segmented
  // through its characters' Simplified forms (same length, same offsets),
  // OpenCC standard's (a Taiwan 著 is 着 character by character, which
  // would make Jieba read 這本著作 as 这/本着/作).
  let image: ((text: string) => string) | undefined
  if (traditional[from]) {
    const simplified = loadPipeline('t', 'cn', memo.store, memo.groups).chain
    image = (text) => simplifyCharacters(simplified, text)
  }

  const makeWords = (text: string) =>
    createWordIndex(
      text,
      (slice) => getJieba().cut(slice),
      (word) => getJieba().tagOf(word),
      image,
      (word) => getJieba().score(word)
    )
  // Every pair of one source segments a text alike: share the index where
  // its words do not depend on the order of the questions.
  const words = memo.words[traditional[from] ? 'traditional' : 'simplified']
  const context: Corrections = {
    // Part of the key of shared head-stage alignments: the surname is decided there.
    kind: traditional[from] ? (to === 'zh-Hans' ? 'traditional>simplified' : 'traditional') : keepSurname ? 'simplified' : 'simplified without surname',
    words: (text, whole = segmentsWhole(text)) => (whole ? words.recall(text, () => makeWords(text)) : makeWords(text)),
    surname: traditional[from]
      ? undefined
      : !keepSurname
        ? () => false
        : (text, offset) => {
          const jieba = getJieba()
          return isSurnameYu(text, offset, (slice) => jieba.tag(slice), jieba.dictionaryTag && {cut: jieba.cut, tagOf: jieba.dictionaryTag})
        },
    wordForms: traditional[from] ? (to === 'zh-Hans' ? toSimplifiedWordForms : noWordForms) : toTraditionalWordForms,
    // A Traditional text is segmented through a character-by-character
    // Simplified image, which has already made the one-to-many choices a
    // phrase exists for (藉由 read as 藉由, not 借由; 覆 as 覆): the
    // segmenter cannot arbitrate them, so OpenCC's phrases stand.
    phrases: !traditional[from]
  }
  // Where the corrections have nothing to do (from Traditional into another
  // Traditional locale: no phrase checked against the words, no word form,
  // no surname), the exact conversion, without word indexes.
  if (!context.phrases && context.wordForms.size === 0 && !context.surname) return exact()
  const convert = remembered((text) => convertPipeline(pipeline, text, context))
  const heads = sharedHeads(headKey(pipeline, context.kind))
  // The lint's round trip and the article's own conversion align the same
  // texts: remember them (where the words do not depend on the order of
  // the questions; the pieces are never changed, the array is copied).
  const aligned = budget.memory<Array<Piece>>()
  return {
    from,
    to,
    corrections,
    convert: (text, disputed, units) => (disputed || units ? convertPipeline(pipeline, text, context, disputed, units) : convert(text)),
    align: (text) => {
      const whole = segmentsWhole(text)
      return whole ? aligned.recall(text, () => alignPipeline(pipeline, text, context, heads, true)).slice() : alignPipeline(pipeline, text, context, heads, false)
    },
    convertInPlace: (text, marks) => convertInPlace(pipeline, text, context, marks),
    // Without phrase checks and the surname, only a word form can depart from the exact conversion.
    ...(context.phrases || context.surname ? {} : {exactUnless: producers(pipeline, new Set(context.wordForms.keys()))})
  }
}

/** The shared memory of head-stage alignments for a {@link headKey}. */
function sharedHeads(key: string): BoundedMemory<Head> {
  let heads = memo.heads.get(key)
  if (!heads) {
    heads = budget.memory()
    memo.heads.set(key, heads)
  }

  return heads
}

/**
 * The code units a text must hold for the character stage of a pipeline to
 * see one of `units`: those units, and the first unit of every key of the
 * normalization or an earlier stage whose replacement brings one of them
 * (and so on back).
 */
function producers(pipeline: CompiledPipeline, units: Set<number>): ReadonlySet<number> {
  const found = new Set(units)
  const earlier = pipeline.chain.slice(0, characterStage(pipeline.chain)).reverse()
  if (pipeline.normalize) earlier.push(pipeline.normalize)
  for (const trie of earlier) {
    // Replacements holding a unit found so far, then the keys leading to them.
    const bringing = new Set<number>()
    for (let value = 0; value + 1 < trie.valueStart.length; value++) {
      for (let at = trie.valueStart[value]!; at < trie.valueStart[value + 1]!; at++) {
        if (found.has(trie.pool[at]!)) {
          bringing.add(value)
          break
        }
      }
    }

    if (bringing.size === 0) continue
    const leads = (node: number): boolean => {
      if (trie.value[node]! >= 0 && bringing.has(trie.value[node]!)) return true
      for (let child = trie.first[node]!; child < trie.first[node]! + trie.count[node]!; child++) if (leads(child)) return true
      return false
    }

    for (let unit = 0; unit < trie.root.length; unit++) if (trie.root[unit] !== 0 && leads(trie.root[unit]!)) found.add(unit)
  }

  return found
}

/** No code units. */
const noUnits: ReadonlySet<number> = new Set()

/** No word forms (a Traditional source converted to another Traditional locale). */
const noWordForms = new Map<number, string>()

/** Strings up to this length are remembered per converter (the review and the lint convert characters and words one by one). */
const rememberedLength = 8

/** Entries a converter remembers before it starts again. */
const rememberedEntries = 65_536

/**
 * A conversion that remembers its results for short strings: conversion is
 * a function of the text alone, and the lint and the review convert the
 * same characters and words again and again (per call, a corrected
 * conversion sets up its word index).
 */
function remembered(convert: (text: string) => string): (text: string) => string {
  let known = new Map<string, string>()
  // One code unit (the review's and the lint's characters): a table.
  const units: Array<string | undefined> = []
  return (text) => {
    if (text.length === 1) {
      const code = text.charCodeAt(0)
      let result = units[code]
      if (result === undefined) {
        result = convert(text)
        units[code] = result
      }

      return result
    }

    if (text.length > rememberedLength) return convert(text)
    let result = known.get(text)
    if (result === undefined) {
      result = convert(text)
      if (known.size >= rememberedEntries) known = new Map()
      known.set(text, result)
    }

    return result
  }
}

/** Each character through the single-character entries of a chain, where the length stays. */
function simplifyCharacters(chain: Array<FlatTrie>, text: string): string {
  const units = unitsOf(text)
  for (const trie of chain) {
    for (let index = 0; index < units.length; index++) {
      const node = trie.root[units[index]!]!
      if (node === 0) continue
      const value = trie.value[node]!
      if (value < 0) continue
      const from = trie.valueStart[value]!
      if (trie.valueStart[value + 1]! - from === 1) units[index] = trie.pool[from]!
    }
  }

  return Buffer.from(units.buffer, units.byteOffset, units.length * 2).toString('utf16le')
}

/** A stage's view of the corrections: offsets of its input mapped to the text's. */
interface Guard {
  /** Words of the text (post-normalization), built lazily. */
  words: WordIndex
  text: string
  /** Text offset where each unit of the stage's input starts (identity when absent). */
  origin: Int32Array | undefined
  /** Text offset where each unit of the stage's input ends. */
  originEnd: Int32Array | undefined
  surname: ((text: string, offset: number) => boolean) | undefined
  /** One-character words whose form the word decides (code unit → output). */
  wordForms: Map<number, string>
  /** Whether phrase matches are checked against the words. */
  phrases: boolean
  /** Set by the last match: a phrase kept although it cuts a word. */
  disputed?: boolean
  /** Set once a match departs from the exact conversion's (a phrase refused, the surname 于 kept). */
  departed?: boolean
}

/**
 * Whether a trie's match is refused. A phrase is refused when (1) it is
 * in the first stage, or converts otherwise than its characters would one
 * by one, (2) it cuts
 * through a word of the sentence, and (3) that word, converted on its own,
 * writes one of the characters they share differently: the segmenter's
 * reading wins where the two disagree about a character of a word. Where
 * the phrase only changes characters outside the cut word (`周线` against
 * 周/线图, `河涌` against 沙河/涌), OpenCC's phrase stands.
 */
function refuses(guard: Guard, trie: FlatTrie, units: Uint16Array, node: number, index: number, first: boolean): boolean {
  const length = trie.depth[node]!
  if (!guard.phrases || length < 2 || codePointsOf(units, index, index + length) < 2) return false
  const value = trie.value[node]!
  const from = trie.valueStart[value]!
  const to = trie.valueStart[value + 1]!
  // In the first stage a phrase that converts nothing still takes its
  // characters away from the word they belong to (参与制 against 制造).
  // Later stages (regional vocabulary) are checked only where they change.
  // A phrase that converts as its characters do can only take a character
  // from another phrase that crosses its end (参与制|造: 制造); without one it
  // changes nothing and needs no segmentation.
  const differs = differsFromCharacters(trie, units, index, length, from, to)
  if (!differs && (!first || !crossed(trie, units, index, length))) return false
  const start = guard.origin ? guard.origin[index]! : index
  const end = guard.originEnd ? guard.originEnd[index + length - 1]! : index + length
  const cut = end > start ? guard.words.cuts(start, end) : false
  // A later-stage phrase (regional vocabulary) that rewrites its characters
  // inside a longer word is refused where it cuts the words that word is
  // made of (视频 in 电视频道: 电视/频道), as where it cuts a word of the
  // sentence (below). In the first stage that rule refuses more right
  // phrases than wrong ones (里 in transliterations, 一百多里): there a
  // phrase is refused only where the part it cuts, in the word's likeliest
  // split, is itself a phrase that converts otherwise (相冲 in 相冲突, split
  // 相/冲突: 冲突 → 衝突 against 相冲 → 相沖).
  if (cut === false) {
    if (end - start < 2) return false
    if (!first) return differs && guard.words.cutsInside(start, end)
    return guard.words.partsCut(start, end).some(([partStart, partEnd]) => wordConflicts(guard, trie, units, index, length, from, partStart, partEnd, true))
  }
  if (cut === 'measure') return true
  // A replacement of another length has no character-by-character reading.
  if (to - from !== length) return true
  // A regional phrase that rewrites its characters translates a word (变量
  // → 變數): where it cuts a word of the sentence, it is not that word.
  if (!first && differs) return true
  const cutWords: Array<[number, number]> = []
  for (const [wordStart, wordEnd] of [guard.words.wordAt(start), guard.words.wordAt(end - 1)]) {
    if (wordEnd - wordStart < 2 || (wordStart >= start && wordEnd <= end)) continue
    if (wordConflicts(guard, trie, units, index, length, from, wordStart, wordEnd)) return true
    cutWords.push([wordStart, wordEnd])
  }

  // No conflict inside the cut word. What the phrase changes outside it
  // decides: a change on a function word of its own (了, 向, 并, 才: a
  // particle, preposition, conjunction or adverb) is the segmenter's call
  // (声明了 is 声明 + 了, not 明了 → 明瞭); any other change is kept
  // (周线 → 週線 against 周/线图) and reported for review.
  let changes = false
  for (let offset = 0; offset < length; offset++) {
    const unit = units[index + offset]!
    if (characterOf(trie, unit) === trie.pool[from + offset]) continue
    const position = guard.origin ? guard.origin[index + offset]! : index + offset
    if (cutWords.some(([wordStart, wordEnd]) => position >= wordStart && position < wordEnd)) continue
    const [wordStart, wordEnd] = guard.words.wordAt(position)
    // Only where Jieba reads the text itself, not a Traditional text's image.
    if (guard.surname && wordEnd - wordStart === 1 && /^[upcd]/.test(guard.words.tagAt(position) ?? '')) return true
    changes = true
  }

  guard.disputed = changes
  return false
}

/** Whether a key of the trie starts inside `[index, index + length)` and ends after it. */
function crossed(trie: FlatTrie, units: Uint16Array, index: number, length: number): boolean {
  for (let at = index + 1; at < index + length; at++) {
    const node = longest(trie, units, at, units.length)
    if (node !== 0 && at + trie.depth[node]! > index + length) return true
  }

  return false
}

/** A unit converted on its own by a trie (itself when the trie has no one-unit entry). */
function characterOf(trie: FlatTrie, unit: number): number {
  const node = trie.root[unit]!
  if (node === 0) return unit
  const value = trie.value[node]!
  if (value < 0 || trie.valueStart[value + 1]! - trie.valueStart[value]! !== 1) return unit
  return trie.pool[trie.valueStart[value]!]!
}

/**
 * Whether the word `[wordStart, wordEnd)` (text offsets), converted alone,
 * disagrees with the match on a shared unit; with `phrasesOnly`, only where
 * the word's own conversion there comes from a phrase, not a character.
 */
function wordConflicts(guard: Guard, trie: FlatTrie, units: Uint16Array, index: number, length: number, from: number, wordStart: number, wordEnd: number, phrasesOnly = false): boolean {
  // The word's units in the stage's input.
  const origin = (at: number) => (guard.origin ? guard.origin[at]! : at)
  let low = index
  while (low > 0 && origin(low - 1) >= wordStart) low--
  while (low < index + length && origin(low) < wordStart) low++
  let high = index + length
  while (high < units.length && origin(high) < wordEnd) high++
  while (high > low && origin(high - 1) >= wordEnd) high--
  let at = low
  while (at < high) {
    const node = longest(trie, units, at, high)
    const size = node === 0 ? 1 : trie.depth[node]!
    for (let offset = 0; offset < size && (!phrasesOnly || size > 1); offset++) {
      const unit = at + offset
      if (unit < index || unit >= index + length) continue
      let output = units[unit]!
      if (node !== 0) {
        const value = trie.value[node]!
        const valueFrom = trie.valueStart[value]!
        if (trie.valueStart[value + 1]! - valueFrom !== size) return true
        output = trie.pool[valueFrom + offset]!
      }

      if (output !== trie.pool[from + unit - index]) return true
    }

    at += size
  }

  return false
}

/** Whether a match's replacement differs from converting its units one by one with the same trie. */
function differsFromCharacters(trie: FlatTrie, units: Uint16Array, index: number, length: number, from: number, to: number): boolean {
  if (to - from !== length) return true
  for (let offset = 0; offset < length; offset++) {
    const unit = units[index + offset]!
    const node = trie.root[unit]!
    let single = unit
    if (node !== 0) {
      const value = trie.value[node]!
      if (value >= 0 && trie.valueStart[value + 1]! - trie.valueStart[value]! === 1) single = trie.pool[trie.valueStart[value]!]!
    }

    if (single !== trie.pool[from + offset]) return true
  }

  return false
}

function codePointsOf(units: Uint16Array, start: number, end: number): number {
  let count = 0
  for (let index = start; index < end; index++) if (units[index]! < 0xdc00 || units[index]! > 0xdfff) count++
  return count
}

/**
 * Simplified characters whose form, when the character is a word on its own,
 * is not OpenCC's first candidate: 后 alone is "after" (後), not "queen";
 * the queen is 王后, 皇后, 太后, which are words of their own.
 */
const toTraditionalWordForms = new Map([[0x540e, '後']])

/**
 * The one-character word forms a corrected conversion writes from a
 * Simplified source (code unit → form), besides its dictionaries'.
 */
export const traditionalWordForms: ReadonlyMap<number, string> = toTraditionalWordForms

/**
 * Traditional characters whose Simplified form, as a word on its own right
 * after a one-character verb or preposition, is not OpenCC's: the aspect
 * particle 著 is 着 on the Mainland (看著 → 看着, 隨著 → 随着, 沿著 → 沿着),
 * while 著 stays in 著名, 顯著, 著作 (words of their own), where no verb
 * comes before it (他著有三本書: "he wrote") and after a longer verb, as
 * OpenCC's own suite asks (慰藉著 stays). OpenCC's phrases cover some of
 * these in Taiwan's dictionaries only.
 */
const toSimplifiedWordForms = new Map([[0x8457, '着']])

/** Word forms that need a verb or a preposition as the word before. */
const afterVerb = new Set([0x8457])

/** One-character words that take the particle 着 but are not tagged as verbs or prepositions by Jieba. */
const verbLike = new Set(['沿', '朝', '穿', '本', '等', '活'])

/** The form of a one-character word, when the table of the direction has one. */
function wordForm(guard: Guard, units: Uint16Array, index: number): string | undefined {
  const form = guard.wordForms.get(units[index]!)
  if (form === undefined) return undefined
  const offset = guard.origin ? guard.origin[index]! : index
  const [start, end] = guard.words.wordAt(offset)
  if (start !== offset || end !== offset + 1) return undefined
  if (afterVerb.has(units[index]!)) {
    if (offset === 0) return undefined
    const [before] = guard.words.wordAt(offset - 1)
    // A one-character verb: OpenCC's own suite keeps 著 after a longer one (慰藉著).
    if (before !== offset - 1) return undefined
    const tag = guard.words.tagAt(offset - 1) ?? ''
    if (!/^[vp]/.test(tag) && !verbLike.has(guard.text.slice(before, offset))) return undefined
  }

  return form
}

/** Longest match at `index` that the guard accepts (0: none, or the surname 于 to keep). */
function guardedLongest(trie: FlatTrie, units: Uint16Array, index: number, end: number, guard: Guard | undefined, first: boolean): number {
  let node = longest(trie, units, index, end)
  if (!guard || node === 0) return node
  guard.disputed = false
  while (node !== 0 && refuses(guard, trie, units, node, index, first)) {
    guard.disputed = false
    guard.departed = true
    const depth = trie.depth[node]!
    node = depth > 1 ? longest(trie, units, index, index + depth - 1) : 0
  }

  // 于 converted on its own in the first stage: the surname stays.
  if (first && node !== 0 && units[index] === 0x4e8e && trie.depth[node] === 1 && guard.surname) {
    const offset = guard.origin ? guard.origin[index]! : index
    if (guard.surname(guard.text, offset)) {
      guard.departed = true
      return 0
    }
  }

  return node
}

/** The UTF-16 code units of a string: every stage matches on these. */
function unitsOf(text: string): Uint16Array {
  // A native copy, lone surrogates kept (a loop over charCodeAt is 5× slower
  // on long texts); Node keeps pooled buffers 8-byte aligned.
  if (text.length < 16) {
    const units = new Uint16Array(text.length)
    for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index)
    return units
  }

  const bytes = Buffer.from(text, 'utf16le')
  if (bytes.byteOffset % 2 !== 0) return new Uint16Array(new Uint8Array(bytes).buffer)
  return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length)
}

/**
 * Node of the longest key of `trie` that starts at `index` and ends by
 * `end`, or 0 when none does.
 */
function longest(trie: FlatTrie, units: Uint16Array, index: number, end: number): number {
  let node = trie.root[units[index]!]!
  if (node === 0) return 0
  const {unit, first, count, value} = trie
  let best = value[node]! >= 0 ? node : 0

  for (let at = index + 1; at < end; at++) {
    const children = count[node]!
    if (children === 0) break
    const code = units[at]!
    let low = first[node]!
    let high = low + children - 1
    let next = 0
    // Deep nodes have a child or two: scan; wide ones: binary search.
    if (children <= 8) {
      for (let child = low; child <= high; child++) {
        const candidate = unit[child]!
        if (candidate === code) {
          next = child
          break
        }

        if (candidate > code) break
      }
    } else {
      while (low <= high) {
        const middle = (low + high) >>> 1
        const candidate = unit[middle]!
        if (candidate === code) {
          next = middle
          break
        }

        if (candidate < code) low = middle + 1
        else high = middle - 1
      }
    }

    if (next === 0) break
    node = next
    if (value[node]! >= 0) best = node
  }

  return best
}

/** Whether a key of `trie` may start somewhere in `units.subarray(start, end)`. */
function mayMatch(trie: FlatTrie, units: Uint16Array, start: number, end: number): boolean {
  const root = trie.root
  // The root's children are sorted: no key starts below the first one's
  // unit (normalization's keys start at U+D87E, above the common CJK block,
  // so most units are passed without a look at the table).
  const low = trie.count[0]! > 0 ? trie.unit[trie.first[0]!]! : 0x10000
  for (let index = start; index < end; index++) {
    const unit = units[index]!
    if (unit >= low && root[unit] !== 0) return true
  }

  return false
}

/**
 * The UTF-16 code units of a string, as the engine matches on them.
 *
 * @param text The text.
 * @returns Its code units (a copy).
 */
export function codeUnits(text: string): Uint16Array {
  return unitsOf(text)
}

/**
 * Ends of the segments OpenCC's maximum-match segmentation gives (one
 * segment, the whole text, without a segmentation dictionary).
 */
function segmentEnds(trie: FlatTrie | undefined, units: Uint16Array, length: number, guard?: Guard, marks?: Uint8Array): Array<number> {
  if (!trie) return length > 0 ? [length] : []
  const ends: Array<number> = []
  let plain = false
  let index = 0
  while (index < length) {
    const node = guard ? guardedLongest(trie, units, index, length, guard, false) : longest(trie, units, index, length)
    if (marks && guard?.departed) {
      // A segment the exact conversion would not make: marked, and the conversion goes on.
      marks[index] = 1
      guard.departed = false
    }

    if (node === 0) {
      plain = true
      index = plainEnd(trie.root, units, index + unmatchedLength(units, index, length), length)
      continue
    }

    if (plain) ends.push(index)
    plain = false
    index += trie.depth[node]!
    ends.push(index)
  }

  if (plain) ends.push(length)
  return ends
}

/** Growable output of code units. */
interface Output {
  units: Uint16Array
  length: number
}

function append(output: Output, source: Uint16Array, start: number, end: number): void {
  const size = end - start
  if (output.length + size > output.units.length) {
    const grown = new Uint16Array(Math.max(output.units.length * 2, output.length + size))
    grown.set(output.units.subarray(0, output.length))
    output.units = grown
  }

  if (size > 16) {
    output.units.set(source.subarray(start, end), output.length)
  } else {
    const units = output.units
    let at = output.length
    for (let index = start; index < end; index++) units[at++] = source[index]!
  }

  output.length += size
}

/** Convert `units.subarray(start, end)` with one trie, longest match first, into `output`. */
function convertRange(trie: FlatTrie, units: Uint16Array, start: number, end: number, output: Output): void {
  const {value, depth, pool, valueStart, root} = trie
  let plain = start
  let index = start
  while (index < end) {
    const node = longest(trie, units, index, end)
    if (node === 0) {
      index = plainEnd(root, units, index + unmatchedLength(units, index, end), end)
      continue
    }

    if (plain < index) append(output, units, plain, index)
    const replacement = value[node]!
    const from = valueStart[replacement]!
    const to = valueStart[replacement + 1]!
    // Most replacements are one character: skip the call.
    if (to - from === 1 && output.length < output.units.length) output.units[output.length++] = pool[from]!
    else append(output, pool, from, to)
    index += depth[node]!
    plain = index
  }

  if (plain < end) append(output, units, plain, end)
}

/** The fast path: opencc-js's `Converter`, on code units, without pieces. */
function convertPipeline(pipeline: CompiledPipeline, text: string, corrections?: Corrections, disputed?: Array<number>, given?: Uint16Array): string {
  // Never written to: each stage writes a new array.
  let units = given ?? unitsOf(text)
  let length = units.length

  if (pipeline.normalize && mayMatch(pipeline.normalize, units, 0, length)) {
    const output: Output = {units: new Uint16Array(length + 16), length: 0}
    convertRange(pipeline.normalize, units, 0, length, output)
    units = output.units
    length = output.length
  }

  if (corrections) return convertCorrected(pipeline, units, length, corrections, disputed)

  // Like opencc-js, every stage of the chain converts each segment on its
  // own: the segment ends move into each stage's output.
  const ends = segmentEnds(pipeline.segmentation, units, length)
  for (const trie of pipeline.chain) {
    const output: Output = {units: new Uint16Array(length + 16), length: 0}
    let start = 0
    for (let index = 0; index < ends.length; index++) {
      const end = ends[index]!
      convertRange(trie, units, start, end, output)
      ends[index] = output.length
      start = end
    }

    units = output.units
    length = output.length
  }

  // Decodes code units as they are, lone surrogates included.
  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
}

/**
 * The exact conversion (as {@link convertPipeline}) that also finds the
 * review's pieces: see {@link Converter.scan}. The first stage that runs
 * takes its candidates: each match of one code point, and each code point
 * it copies, starting on a unit `watch` does not mark 2 (five numbers each: its
 * range in the text, 1 when matched, its range in the stage's output).
 * Each later stage follows them: a candidate stays one piece while no
 * match crosses its edges (a match inside it marks it matched; one of
 * more than one code point makes it a phrase, left out), which is how
 * `align` composes the stages' pieces.
 */
function scanPipeline(pipeline: CompiledPipeline, given: Uint16Array, watch: Int8Array, found: Array<number>): string {
  let units = given
  let length = units.length
  let candidates: Array<number> | undefined
  const normalize = pipeline.normalize !== undefined && mayMatch(pipeline.normalize, units, 0, length)
  if (normalize) {
    const output: Output = {units: new Uint16Array(length + 16), length: 0}
    candidates = pipeline.chain.length === 0 ? found : []
    scanSingle(pipeline.normalize!, units, 0, length, output, watch, candidates)
    units = output.units
    length = output.length
  }

  const ends = segmentEnds(pipeline.segmentation, units, length)
  for (const [stage, trie] of pipeline.chain.entries()) {
    const output: Output = {units: new Uint16Array(length + 16), length: 0}
    const last = stage === pipeline.chain.length - 1
    const next = last ? found : []
    const cursor: Cursor = {next: 0, started: false, dead: false, mark: 0, start: 0, boundary: -1}
    let start = 0
    for (let index = 0; index < ends.length; index++) {
      const end = ends[index]!
      if (candidates) followRange(trie, units, start, end, output, candidates, next, cursor)
      else scanSingle(trie, units, start, end, output, watch, next)
      ends[index] = output.length
      start = end
    }

    candidates = next
    units = output.units
    length = output.length
  }

  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
}

/** Where a later stage is in its list of candidates (see {@link followRange}). */
interface Cursor {
  /** Index of the candidate at hand in the list (five numbers each). */
  next: number
  /** Whether the stage has passed the candidate's start. */
  started: boolean
  /** Whether a match inside it made it a phrase (a match across its edges drops it at once). */
  dead: boolean
  /** Its marks so far (1: matched). */
  mark: number
  /** Its start in the stage's output. */
  start: number
  /** The offset of the stage's input where the candidate at hand next needs a look (its start, then its end). */
  boundary: number
}

/**
 * The candidates at the step starting at `index` (its place in the output
 * `place`): those whose start or end the stage has reached. A candidate
 * whose edge the stage passed without stopping there (inside a match) is
 * dropped; one whose end it reached lives on, with its range in the output.
 */
function settle(candidates: Array<number>, next: Array<number>, cursor: Cursor, index: number, place: number): void {
  while (cursor.next < candidates.length) {
    const at = cursor.next
    if (!cursor.started) {
      const start = candidates[at + 3]!
      if (index < start) {
        cursor.boundary = start
        return
      }

      if (index === start) {
        cursor.started = true
        cursor.dead = false
        cursor.mark = candidates[at + 2]!
        cursor.start = place
        cursor.boundary = candidates[at + 4]!
        return
      }

      // Its start was inside a match: joined to what came before.
      cursor.next += 5
      continue
    }

    const end = candidates[at + 4]!
    if (index < end) {
      cursor.boundary = end
      return
    }

    // At its end: one piece still, unless a match went past it.
    if (index === end && !cursor.dead) next.push(candidates[at]!, candidates[at + 1]!, cursor.mark, cursor.start, place)
    cursor.started = false
    cursor.next += 5
  }

  cursor.boundary = Infinity
}

/**
 * {@link convertRange} of a later stage, following the candidates of the
 * stages before (see {@link scanPipeline}) into `next`.
 */
function followRange(trie: FlatTrie, units: Uint16Array, start: number, end: number, output: Output, candidates: Array<number>, next: Array<number>, cursor: Cursor): void {
  const {value, depth, pool, valueStart, root} = trie
  let plain = start
  let index = start
  while (index < end) {
    if (index >= cursor.boundary) settle(candidates, next, cursor, index, output.length + index - plain)
    const node = longest(trie, units, index, end)
    if (node === 0) {
      const size = unmatchedLength(units, index, end)
      // Copied code points each stand alone.
      for (let at = index + 1; at < index + size; at++) if (at >= cursor.boundary) settle(candidates, next, cursor, at, output.length + at - plain)
      index = plainEnd(root, units, index + size, Math.min(end, cursor.boundary))
      continue
    }

    if (plain < index) append(output, units, plain, index)
    const size = depth[node]!
    if (cursor.started) {
      cursor.mark |= 1
      if (size > 1 && codePointsOf(units, index, index + size) > 1) cursor.dead = true
    }

    const replacement = value[node]!
    const from = valueStart[replacement]!
    const to = valueStart[replacement + 1]!
    if (to - from === 1 && output.length < output.units.length) output.units[output.length++] = pool[from]!
    else append(output, pool, from, to)
    index += size
    plain = index
  }

  if (plain < end) append(output, units, plain, end)
  if (end >= cursor.boundary) settle(candidates, next, cursor, end, output.length)
}

/**
 * {@link convertRange} of the first stage that runs, pushing onto `found`
 * (see {@link Converter.scan}) each match of one code point, and each
 * code point it copies, that starts on a unit `watch` does not mark 2.
 */
function scanSingle(trie: FlatTrie, units: Uint16Array, start: number, end: number, output: Output, watch: Int8Array, found: Array<number>): void {
  const {value, depth, pool, valueStart, root} = trie
  let plain = start
  let index = start
  while (index < end) {
    const node = longest(trie, units, index, end)
    if (node === 0) {
      const size = unmatchedLength(units, index, end)
      // Each code point of a copied stretch (a later stage may match a surrogate pair).
      for (let at = index; at < index + size; ) {
        const points = codePointLength(units, at, index + size)
        if (watch[units[at]!] !== 2) {
          // Its place in the output is where the copy will put it.
          const place = output.length + at - plain
          found.push(at, at + points, 0, place, place + points)
        }

        at += points
      }

      index += size
      // Then the units no key starts with and the review does not watch.
      while (index < end) {
        const unit = units[index]!
        if (root[unit] !== 0 || watch[unit] !== 2 || (unit >= 0xd800 && unit <= 0xdfff) || (unit >= 0x2ff0 && unit <= 0x2fff)) break
        index++
      }

      continue
    }

    if (plain < index) append(output, units, plain, index)
    const replacement = value[node]!
    const from = valueStart[replacement]!
    const to = valueStart[replacement + 1]!
    const size = depth[node]!
    const outputStart = output.length
    if (to - from === 1 && output.length < output.units.length) output.units[output.length++] = pool[from]!
    else append(output, pool, from, to)
    if (watch[units[index]!] !== 2 && (size === 1 || codePointsOf(units, index, index + size) === 1)) found.push(index, index + size, 1, outputStart, output.length)
    index += size
    plain = index
  }

  if (plain < end) append(output, units, plain, end)
}

/** Output of a corrected stage: code units and, for each, the text range it comes from. */
interface TracedOutput extends Output {
  from: Int32Array
  to: Int32Array
}

/**
 * The corrected conversion on code units, without pieces: the same matches
 * as {@link alignPipeline} with corrections, each stage's output remembering
 * which range of the text each unit comes from (for the word checks of the
 * next stage).
 */
function convertCorrected(pipeline: CompiledPipeline, input: Uint16Array, inputLength: number, corrections: Corrections, disputed?: Array<number>): string {
  let units = input
  let length = inputLength
  const text = Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
  const guard: Guard = {words: corrections.words(text), text, origin: undefined, originEnd: undefined, surname: corrections.surname, wordForms: corrections.wordForms, phrases: corrections.phrases}
  const characters = characterStage(pipeline.chain)
  const ends = segmentEnds(pipeline.segmentation, units, length, guard)
  for (const [stage, trie] of pipeline.chain.entries()) {
    const output: TracedOutput = {units: new Uint16Array(length + 16), length: 0, from: new Int32Array(length + 16), to: new Int32Array(length + 16)}
    let start = 0
    for (let index = 0; index < ends.length; index++) {
      const end = ends[index]!
      convertTraced(trie, units, start, end, output, guard, stage === characters, disputed)
      ends[index] = output.length
      start = end
    }

    units = output.units
    length = output.length
    guard.origin = output.from
    guard.originEnd = output.to
  }

  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
}

/**
 * {@link Converter.convertInPlace}: the conversion when every match keeps
 * its length and (with corrections) the guard accepts every match the
 * exact conversion makes, else `undefined`. Offsets then never move, so
 * the stages need no origins: a stage's input offset is the text's.
 *
 * With `marks` (one per code unit of the text) it does not stop: a match
 * that would change the length is left unconverted (its input copied, so
 * offsets still never move) and its units marked 1, as is the unit where
 * a correction departs from the exact conversion; every unmarked stretch
 * between two ends no match crosses converts as it would alone.
 */
function convertInPlace(pipeline: CompiledPipeline, text: string, corrections?: Corrections, marks?: Uint8Array): string | undefined {
  // A long stretch is segmented in windows whose words depend on the order
  // of the questions: `align` might then decide otherwise (with `marks`,
  // the caller asks this of its stretches).
  if (corrections && !marks && !segmentsWhole(text)) return undefined
  let units = unitsOf(text)
  const length = units.length
  let input = text
  if (pipeline.normalize && mayMatch(pipeline.normalize, units, 0, length)) {
    const output = new Uint16Array(length)
    if (!convertRangeInPlace(pipeline.normalize, units, 0, length, output, undefined, false, marks)) return undefined
    units = output
    input = Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
  }

  const guard: Guard | undefined = corrections
    ? // Not remembered: the lint asks once per text.
      {words: lazyWords(() => corrections.words(input, false)), text: input, origin: undefined, originEnd: undefined, surname: corrections.surname, wordForms: corrections.wordForms, phrases: corrections.phrases}
    : undefined
  const characters = characterStage(pipeline.chain)
  const ends = segmentEnds(pipeline.segmentation, units, length, guard, marks)
  if (guard?.departed) return undefined
  for (const [stage, trie] of pipeline.chain.entries()) {
    const output = new Uint16Array(length)
    let start = 0
    for (const end of ends) {
      if (!convertRangeInPlace(trie, units, start, end, output, guard, stage === characters, marks)) return undefined
      start = end
    }

    units = output
  }

  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le')
}

/** A word index made on its first question (most texts ask none: no phrase to check). */
function lazyWords(make: () => WordIndex): WordIndex {
  let words: WordIndex | undefined
  return {
    cuts: (start, end) => (words ??= make()).cuts(start, end),
    wordAt: (offset) => (words ??= make()).wordAt(offset),
    tagAt: (offset) => (words ??= make()).tagAt(offset),
    cutsInside: (start, end) => (words ??= make()).cutsInside(start, end),
    partsCut: (start, end) => (words ??= make()).partsCut(start, end)
  }
}

/**
 * One stage of {@link convertInPlace} over `units.subarray(start, end)`
 * into the same offsets of `output`; `false` where a match changes the
 * length or departs from the exact one (with `marks`: marked, never `false`).
 */
function convertRangeInPlace(trie: FlatTrie, units: Uint16Array, start: number, end: number, output: Uint16Array, guard: Guard | undefined, first: boolean, marks?: Uint8Array): boolean {
  const {depth: depths, value: values, valueStart, pool} = trie
  let index = start
  while (index < end) {
    // A unit already marked needs no word check: its stretch is not in place anyway.
    const checked = guard !== undefined && (marks === undefined || marks[index] === 0)
    const node = checked ? guardedLongest(trie, units, index, end, guard, first) : longest(trie, units, index, end)
    if (checked) {
      // A word form is a decision about the word: `align` marks it a phrase.
      let departed = guard.departed === true
      if (!departed && first && guard.wordForms.has(units[index]!) && (node === 0 || depths[node] === 1) && wordForm(guard, units, index) !== undefined) departed = true
      if (departed) {
        if (!marks) return false
        marks[index] = 1
        guard.departed = false
      }
    }

    if (node === 0) {
      // Copied, with the units after it that no key starts with (and no word form).
      let next = plainEnd(trie.root, units, index + unmatchedLength(units, index, end), end)
      if (guard && first && guard.wordForms.size > 0) {
        for (let at = index + 1; at < next; at++) {
          if (guard.wordForms.has(units[at]!)) {
            next = at
            break
          }
        }
      }

      for (let at = index; at < next; at++) output[at] = units[at]!
      index = next
      continue
    }

    const depth = depths[node]!
    const replacement = values[node]!
    const from = valueStart[replacement]!
    if (valueStart[replacement + 1]! - from === depth) {
      for (let offset = 0; offset < depth; offset++) output[index + offset] = pool[from + offset]!
    } else {
      if (!marks) return false
      // Left as it is, so that no offset moves.
      for (let offset = 0; offset < depth; offset++) {
        output[index + offset] = units[index + offset]!
        marks[index + offset] = 1
      }
    }

    index += depth
  }

  return true
}

/** {@link convertRange} with the guard: refused phrases, word forms, the surname 于; origins traced. */
function convertTraced(trie: FlatTrie, units: Uint16Array, start: number, end: number, output: TracedOutput, guard: Guard, first: boolean, disputed?: Array<number>): void {
  const origins = guard.origin
  const originEnds = guard.originEnd
  const {depth: depths, value: values, valueStart, pool} = trie
  let index = start
  while (index < end) {
    const node = guardedLongest(trie, units, index, end, guard, first)
    const word = first && guard.wordForms.has(units[index]!) && (node === 0 || depths[node] === 1) ? wordForm(guard, units, index) : undefined
    if (word !== undefined) {
      const at = origins ? origins[index]! : index
      pushTraced(output, word.charCodeAt(0), at, at + 1)
      index += 1
      continue
    }

    if (node === 0) {
      const size = unmatchedLength(units, index, end)
      for (let offset = index; offset < index + size; offset++) {
        pushTraced(output, units[offset]!, origins ? origins[offset]! : offset, originEnds ? originEnds[offset]! : offset + 1)
      }

      index += size
      continue
    }

    const depth = depths[node]!
    const replacement = values[node]!
    const from = valueStart[replacement]!
    const to = valueStart[replacement + 1]!
    if (disputed && guard.disputed && depth > 1 && codePointsOf(units, index, index + depth) > 1) disputed.push(origins ? origins[index]! : index)
    if (to - from === depth) {
      for (let offset = 0; offset < depth; offset++) {
        const at = index + offset
        pushTraced(output, pool[from + offset]!, origins ? origins[at]! : at, originEnds ? originEnds[at]! : at + 1)
      }
    } else {
      const last = index + depth - 1
      const rangeFrom = origins ? origins[index]! : index
      const rangeTo = originEnds ? originEnds[last]! : last + 1
      for (let at = from; at < to; at++) pushTraced(output, pool[at]!, rangeFrom, rangeTo)
    }

    index += depth
  }
}

/** Append one unit to a traced output, from the text range `[from, to)`. */
function pushTraced(output: TracedOutput, unit: number, from: number, to: number): void {
  if (output.length === output.units.length) {
    const capacity = output.units.length * 2 + 16
    const units = new Uint16Array(capacity)
    units.set(output.units.subarray(0, output.length))
    const froms = new Int32Array(capacity)
    froms.set(output.from.subarray(0, output.length))
    const tos = new Int32Array(capacity)
    tos.set(output.to.subarray(0, output.length))
    output.units = units
    output.from = froms
    output.to = tos
  }

  const at = output.length++
  output.units[at] = unit
  output.from[at] = from
  output.to[at] = to
}

/** A text's alignment through a pipeline's head stage (normalization, segmentation, first trie). */
interface Head {
  /** The text after normalization. */
  input: string
  /** Normalization's alignment, when it changed anything. */
  base: Array<Piece> | undefined
  /** Each segment's pieces after the first trie (offsets into `input`). */
  segments: Array<Array<Piece>>
  /** The guard the head stage used (with corrections). */
  guard: Guard | undefined
}

function alignPipeline(pipeline: CompiledPipeline, text: string, corrections: Corrections | undefined, heads: BoundedMemory<Head>, whole = true): Array<Piece> {
  const [head, ...rest] = pipeline.chain
  if (!head) {
    const result: Array<Piece> = []
    let input = text
    let base: Array<Piece> | undefined
    if (pipeline.normalize && mayMatch(pipeline.normalize, unitsOf(text), 0, text.length)) {
      base = alignRange(pipeline.normalize, text, unitsOf(text), 0, text.length, [])
      input = join(base)
    }

    if (input) result.push({start: 0, end: input.length, text: input, phrase: false, matched: false})
    return base ? compose(base, result) : result
  }

  // Shared when the words do not depend on the order of the questions
  // (the stages below then ask their own); never changed below: the pieces
  // are shared, not copied.
  const shared = !corrections || whole
  const aligned = shared ? heads.recall(text, () => alignHead(pipeline, head, text, corrections, whole)) : alignHead(pipeline, head, text, corrections, whole)
  const {input, base, segments} = aligned
  const result: Array<Piece> = []
  if (rest.length === 0) {
    for (const pieces of segments) for (const piece of pieces) result.push(piece)
    return base ? compose(base, result) : result
  }

  const guard: Guard | undefined = corrections
    ? shared
      ? {words: corrections.words(input, input === text ? whole : undefined), text: input, origin: undefined, originEnd: undefined, surname: corrections.surname, wordForms: corrections.wordForms, phrases: corrections.phrases}
      : aligned.guard
    : undefined
  const characters = guard ? characterStage(pipeline.chain) : -1
  for (const segment of segments) {
    let pieces = segment
    for (const [index, trie] of rest.entries()) {
      // A stage nothing can match in changes nothing, unless it is the
      // character stage and a word form may apply (著 → 着 has no entry).
      if (!piecesMayMatch(trie, pieces) && !(characters === index + 1 && piecesMayMatch(guard!.wordForms, pieces))) continue
      const middle = join(pieces)
      const middleUnits = unitsOf(middle)
      const inner = alignRange(trie, middle, middleUnits, 0, middle.length, [], guard && originsOf(guard, pieces, middle.length), characters === index + 1)
      // Composing with an alignment that matched nothing changes nothing.
      if (inner.some((piece) => piece.matched)) pieces = compose(pieces, inner)
    }

    for (const piece of pieces) result.push(piece)
  }

  return base ? compose(base, result) : result
}

/** Normalization, segmentation and the first trie of a pipeline over a text. */
function alignHead(pipeline: CompiledPipeline, head: FlatTrie, text: string, corrections: Corrections | undefined, whole: boolean): Head {
  let base: Array<Piece> | undefined
  let input = text
  let units = unitsOf(text)

  if (pipeline.normalize && mayMatch(pipeline.normalize, units, 0, units.length)) {
    base = alignRange(pipeline.normalize, text, units, 0, units.length, [])
    input = join(base)
    units = unitsOf(input)
  }

  const guard: Guard | undefined = corrections
    ? {words: corrections.words(input, input === text ? whole : undefined), text: input, origin: undefined, originEnd: undefined, surname: corrections.surname, wordForms: corrections.wordForms, phrases: corrections.phrases}
    : undefined
  // The stage that holds the character dictionary (most one-character
  // keys): every phrase there is checked, not only those that change text.
  const first = guard !== undefined && characterStage(pipeline.chain) === 0
  const segments: Array<Array<Piece>> = []
  let start = 0
  for (const end of segmentEnds(pipeline.segmentation, units, units.length, guard)) {
    segments.push(alignRange(head, input, units, start, end, [], guard, first))
    start = end
  }

  return {input, base, segments, guard}
}

/** Index of the stage with the most one-character keys. */
function characterStage(chain: Array<FlatTrie>): number {
  let best = 0
  for (let index = 1; index < chain.length; index++) if (chain[index]!.count[0]! > chain[best]!.count[0]!) best = index
  return best
}

/** The guard for a later stage: where each unit of the joined pieces comes from. */
function originsOf(guard: Guard, pieces: Array<Piece>, length: number): Guard {
  const origin = new Int32Array(length)
  const originEnd = new Int32Array(length)
  let at = 0
  for (const piece of pieces) {
    const same = piece.text.length === piece.end - piece.start
    for (let offset = 0; offset < piece.text.length; offset++) {
      origin[at] = same ? piece.start + offset : piece.start
      originEnd[at] = same ? piece.start + offset + 1 : piece.end
      at++
    }
  }

  return {...guard, origin, originEnd}
}

/** Whether a key of `trie` (or of a word-form table) may start in the text of `pieces` (no string built). */
function piecesMayMatch(trie: FlatTrie | Map<number, string>, pieces: Array<Piece>): boolean {
  const starts = 'root' in trie ? (code: number) => trie.root[code] !== 0 : (code: number) => trie.has(code)
  for (const piece of pieces) {
    const text = piece.text
    for (let index = 0; index < text.length; index++) if (starts(text.charCodeAt(index))) return true
  }

  return false
}

/**
 * Align `text.slice(start, end)` with one trie, longest match first; offsets
 * are into `text`. Pieces are appended to `pieces`, which is returned.
 */
function alignRange(
  trie: FlatTrie,
  text: string,
  units: Uint16Array,
  start: number,
  end: number,
  pieces: Array<Piece>,
  guard?: Guard,
  first = false
): Array<Piece> {
  let plain = start
  let index = start

  while (index < end) {
    const node = guard ? guardedLongest(trie, units, index, end, guard, first) : longest(trie, units, index, end)
    const word =
      first && guard && guard.wordForms.has(units[index]!) && (node === 0 || trie.depth[node] === 1) ? wordForm(guard, units, index) : undefined
    if (word !== undefined) {
      // A decision about the whole word: marked as a phrase, never reviewed.
      if (plain < index) pieces.push({start: plain, end: index, text: text.slice(plain, index), phrase: false, matched: false})
      pieces.push({start: index, end: index + 1, text: word, phrase: true, matched: true})
      index += 1
      plain = index
      continue
    }

    if (node === 0) {
      index += unmatchedLength(units, index, end)
      continue
    }

    if (plain < index) pieces.push({start: plain, end: index, text: text.slice(plain, index), phrase: false, matched: false})
    const matchEnd = index + trie.depth[node]!
    const piece: Piece = {
      start: index,
      end: matchEnd,
      text: replacement(trie, trie.value[node]!),
      phrase: matchEnd - index > 1 && codePoints(text, index, matchEnd) > 1,
      matched: true
    }
    if (guard?.disputed && piece.phrase) piece.disputed = true
    pieces.push(piece)
    index = matchEnd
    plain = index
  }

  if (plain < end) pieces.push({start: plain, end, text: text.slice(plain, end), phrase: false, matched: false})
  return pieces
}

/**
 * Compose two alignments: `outer` maps input X to Y (the concatenation of
 * its texts), `inner` maps Y to Z; the result maps X to Z.
 *
 * A position of Y anchors both alignments when it is a piece boundary or
 * lies inside an unmatched (identity) piece; the result has a piece between
 * every two consecutive positions that anchor both, so a match in either
 * stage stays one piece and unmatched text never swallows its neighbours.
 */
function compose(outer: Array<Piece>, inner: Array<Piece>): Array<Piece> {
  const result: Array<Piece> = []
  const z = join(inner)
  let outerIndex = 0
  let outerY = 0
  let innerIndex = 0
  let innerZ = 0
  let lastX = outer[0]?.start ?? 0
  let lastZ = 0
  let phrase = false
  let matched = false
  let disputed = false

  while (outerIndex < outer.length || innerIndex < inner.length) {
    const outerPiece = outer[outerIndex]
    const innerPiece = inner[innerIndex]
    const outerEnd = outerPiece ? outerY + outerPiece.text.length : Infinity
    const innerEnd = innerPiece ? innerPiece.end : Infinity
    const y = Math.min(outerEnd, innerEnd)
    if (outerPiece) {
      phrase ||= outerPiece.phrase
      matched ||= outerPiece.matched
      disputed ||= outerPiece.disputed === true
    }

    if (innerPiece) {
      phrase ||= innerPiece.phrase
      matched ||= innerPiece.matched
      disputed ||= innerPiece.disputed === true
    }

    const atOuterEnd = y === outerEnd
    const atInnerEnd = y === innerEnd
    if ((atOuterEnd || !outerPiece!.matched) && (atInnerEnd || !innerPiece!.matched)) {
      const x = atOuterEnd ? outerPiece!.end : outerPiece!.start + (y - outerY)
      const zEnd = atInnerEnd ? innerZ + innerPiece!.text.length : innerZ + (y - innerPiece!.start)
      if (x > lastX || zEnd > lastZ) {
        const piece: Piece = {start: lastX, end: x, text: z.slice(lastZ, zEnd), phrase, matched}
        if (disputed) piece.disputed = true
        result.push(piece)
        phrase = false
        matched = false
        disputed = false
      }

      lastX = x
      lastZ = zEnd
    }

    if (atOuterEnd) {
      outerY = outerEnd
      outerIndex++
    }

    if (atInnerEnd) {
      innerZ += innerPiece!.text.length
      innerIndex++
    }
  }

  return result
}

function join(pieces: Array<Piece>): string {
  let text = ''
  for (const piece of pieces) text += piece.text
  return text
}

function codePoints(text: string, start: number, end: number): number {
  let count = 0
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code < 0xdc00 || code > 0xdfff) count++
  }

  return count
}

/** 2 at a surrogate pair that ends by `limit`, else 1. */
function codePointLength(units: Uint16Array, index: number, limit: number): number {
  const code = units[index]!
  if (code < 0xd800 || code > 0xdbff || index + 1 >= limit) return 1
  const next = units[index + 1]!
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1
}

/** Operands of an ideographic description character (U+2FF0–U+2FFF). */
function descriptionArity(code: number): number {
  if (code < 0x2ff0 || code > 0x2fff) return 0
  return code === 0x2ff2 || code === 0x2ff3 ? 3 : 2
}

/**
 * End of an ideographic description sequence starting at `index` and ending
 * by `limit`, or 0. OpenCC never converts inside such a sequence (`⿰木木`).
 */
function descriptionEnd(units: Uint16Array, index: number, limit: number): number {
  const arity = descriptionArity(units[index]!)
  if (arity === 0) return 0
  let end = index + 1
  for (let operand = 0; operand < arity; operand++) {
    if (end >= limit) return 0
    const inner = descriptionEnd(units, end, limit)
    end = inner || end + codePointLength(units, end, limit)
  }

  return end
}

/**
 * The first offset from `index` (by `end`) where a key of the trie whose
 * root is `root` may start, or where OpenCC copies more than one unit at a
 * time (a surrogate, an ideographic description): every unit before it is
 * copied on its own, unmatched. One look at the root per unit, no call.
 */
function plainEnd(root: Int32Array, units: Uint16Array, index: number, end: number): number {
  while (index < end) {
    const unit = units[index]!
    if (root[unit] !== 0 || (unit >= 0xd800 && unit <= 0xdfff) || (unit >= 0x2ff0 && unit <= 0x2fff)) return index
    index++
  }

  return index
}

/** Code units OpenCC copies unchanged at `index` when nothing matches there. */
function unmatchedLength(units: Uint16Array, index: number, limit: number): number {
  const code = units[index]!
  if (code >= 0x2ff0 && code <= 0x2fff) {
    const end = descriptionEnd(units, index, limit)
    if (end > index) return end - index
  }

  return codePointLength(units, index, limit)
}
