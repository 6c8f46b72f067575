/**
 * Word boundaries for the corrected conversion: Jieba (`@node-rs/jieba`, the
 * Rust implementation, with its bundled dictionary and HMM off) segments the
 * sentence around a dictionary phrase that OpenCC would apply, so the engine
 * can refuse a phrase that cuts through a word (`被发明`: OpenCC's `被发`
 * against Jieba's 被/发明).
 *
 * Segmentation is lazy and per sentence: most phrase matches convert exactly
 * as their characters do and need no check, and a sentence is segmented at
 * most once.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {createMemory} from '../bounded-memory.ts'
import {fileURLToPath} from 'node:url'
import {compileJiebaDictionary, cutWords, dictionaryTag, firstTag, logProbability, packagedJiebaDictionary, tagWords, type JiebaDictionary} from './jieba.ts'

/** A segmenter: text in, words out (they concatenate to the text). */
export type Segment = (text: string) => Array<string>

/** A word's log probability in the segmenter's unigram model (higher: more likely). */
export type Score = (word: string) => number

/** A tagger: text in, words with their part-of-speech tags out. */
export type Tagger = (text: string, hmm?: boolean) => Array<{word: string; tag: string}>

/**
 * How a stretch relates to the words: `false` (it does not cut one),
 * `'word'` (it overlaps a word of two or more characters without containing
 * it or lying inside it) or `'measure'` (it ends in 只 used as "only").
 */
export type Cut = false | 'word' | 'measure'

/** Lazily computed word spans of one text. */
export interface WordIndex {
  /**
   * Whether `[start, end)` cuts through a word: some word of two or more
   * characters overlaps it without containing it or lying inside it.
   */
  cuts: (start: number, end: number) => Cut
  /** The word `[start, end)` around an offset (a single unit when unknown). */
  wordAt: (offset: number) => [number, number]
  /** Part-of-speech tag (Jieba's dictionary tag) of the word around an offset. */
  tagAt: (offset: number) => string | undefined
  /**
   * Whether `[start, end)`, lying inside one longer word, cuts through the
   * words that word is made of: its split into the fewest dictionary words
   * (`电视频道` → 电视/频道, so `视频` cuts it). When several splits are
   * equally short (`白头发`: 白/头发 or 白头/发) nothing is cut.
   */
  cutsInside: (start: number, end: number) => boolean
  /**
   * The parts of the word around `[start, end)` that the stretch cuts, in
   * the word's likeliest split: the fewest words, and among those the
   * likeliest by Jieba's frequencies (`相冲突`: 相/冲突, not 相冲/突), so
   * `相冲` cuts `冲突`. Empty when the stretch is not strictly inside one
   * word, cuts no part, or two splits tie on both counts.
   */
  partsCut: (start: number, end: number) => Array<[number, number]>
}

/** Jieba's segmentation and tags. */
export interface Jieba {
  /** Words (HMM off). */
  cut: Segment
  /** Words and tags (HMM on by default). */
  tag: Tagger
  /** The tag of a word on its own. */
  tagOf: (word: string) => string
  /** A word's log probability in Jieba's dictionary (its frequency over the sum; a word it does not hold counts as seen once). */
  score: Score
  /** The tag of a word of the dictionary, `undefined` when it holds none (present with the compiled dictionary: no native load). */
  dictionaryTag?: (word: string) => string | undefined
}

/** Jieba, loaded once per thread and shared by every converter (its dictionary is the same for all). */
const jiebaMemo = new Map<'jieba', Jieba>()

/**
 * Load Jieba with its bundled dictionary, once per thread (six locale pairs
 * used to load six copies): the compiled dictionary (a few milliseconds),
 * the native Jieba (about 100 ms and tens of MB) only where needed.
 */
export function loadJieba(): Jieba {
  let loaded = jiebaMemo.get('jieba')
  if (!loaded) {
    loaded = createJieba()
    jiebaMemo.set('jieba', loaded)
  }

  return loaded
}

function createJieba(): Jieba {
  // Jieba's dictionary compiled with the package (`jieba.ts`): its words
  // without the native Jieba's 0.1–0.2 s start; the native Jieba loads
  // only for what needs its HMMs (a tag of a word the dictionary does not
  // hold, two single characters in a row with the HMM on), or when the
  // compiled dictionary is missing (running from the TypeScript sources).
  const compiled = packagedJiebaDictionary()
  let native: import('@node-rs/jieba').Jieba | undefined
  const jieba = () => (native ??= loadNative())
  let frequencies: JiebaDictionary | undefined
  // Sentences recur (headings, boilerplate, a book's refrains), and every
  // locale pair of an article segments the same ones: remember them.
  const known = createMemory<Array<string>>(recentBudget)
  // Tagged sentences too: the review tags a character's sentence for each
  // locale and each character of it (the results are only read).
  const tagged = createMemory<Array<{word: string; tag: string}>>(recentBudget)
  return {
    cut: (text) => known.recall(text, () => (compiled ? cutWords(compiled, text) : jieba().cut(text, false))),
    // HMM on by default (names: 于小明); off, the words of the dictionary only.
    tag: (text, hmm = true) => tagged.recall(hmm ? text : '\u0000' + text, () => (compiled ? tagWords(compiled, text, hmm) : undefined) ?? jieba().tag(text, hmm)),
    // Jieba's tags come from its dictionary: a word's tag is the same everywhere.
    tagOf: (word) => (compiled ? firstTag(compiled, word) : undefined) ?? jieba().tag(word, false)[0]?.tag ?? '',
    // The native Jieba gives no frequencies: read them from the compiled
    // dictionary of the package's build (`lib/`), else compile one (seconds).
    score: (word) => logProbability((frequencies ??= compiled ?? packagedJiebaDictionary(builtDictionaries) ?? compileJiebaDictionary()), word),
    ...(compiled ? {dictionaryTag: (word: string) => dictionaryTag(compiled, word)} : {})
  }
}

/** Where `npm run compile` (run by `npm ci`) puts the compiled dictionaries, seen from the TypeScript sources. */
const builtDictionaries = fileURLToPath(new URL('../../lib/dictionaries/', import.meta.url))

/** The native Jieba with its bundled dictionary. */
function loadNative(): import('@node-rs/jieba').Jieba {
  const require = createRequire(import.meta.url)
  const {Jieba} = require('@node-rs/jieba') as typeof import('@node-rs/jieba')
  // The dictionary file itself: `@node-rs/jieba/dict.js` also reads the
  // 6 MB IDF table, which word segmentation does not use.
  return Jieba.withDict(fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/dict.js')), 'dict.txt')))
}

/**
 * Code units of sentences each memory of Jieba's results holds (the oldest
 * forgotten first): about an article's worth (its locales and the review
 * ask for the same sentences), not a worker's history (a word list costs
 * tens of bytes per code unit).
 */
const recentBudget = 1 << 16

/**
 * The split of a word into the fewest words the segmenter gives for its two
 * halves, over every place to halve it; among equally short splits the one
 * whose words are likeliest together (the sum of their log probabilities,
 * as Jieba chooses a route); `undefined` when two different splits tie on
 * both, or on length where no score is given.
 */
function fewestWords(word: string, segment: Segment, score?: Score): Array<string> | undefined {
  let best: Array<string> | undefined
  let bestScore = 0
  let tied = false
  for (let cut = 1; cut < word.length; cut++) {
    const parts = [...segment(word.slice(0, cut)), ...segment(word.slice(cut))]
    if (best && (parts.length > best.length || parts.join('\u0000') === best.join('\u0000'))) continue
    const likelihood = score ? parts.reduce((sum, part) => sum + score(part), 0) : 0
    if (!best || parts.length < best.length || likelihood > bestScore) {
      best = parts
      bestScore = likelihood
      tied = false
    } else if (likelihood === bestScore) {
      tied = true
    }
  }

  return tied ? undefined : best
}

/** Characters that end a sentence-like stretch: segmenting stops there. */
function isBreak(code: number): boolean {
  return (
    code < 0x30 ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7f) ||
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0xff01 && code <= 0xff0f) ||
    (code >= 0xff1a && code <= 0xff20) ||
    code === 0x2014 ||
    code === 0x2026 ||
    (code >= 0x2018 && code <= 0x201f)
  )
}

/** 只 and 隻: a measure word or the adverb "only". */
const measureOrAdverb = new Set([0x53ea, 0x96bb])

/** Longest stretch segmented in one go either side of an offset. */
const reach = 120

/**
 * Whether every sentence-like stretch of a text is short enough to be
 * segmented whole: then the words a {@link createWordIndex} gives do not
 * depend on the order of the questions, and one index can serve every
 * converter that asks about the text.
 *
 * @param text The text.
 * @returns Whether no stretch between breaks is longer than the reach.
 */
export function segmentsWhole(text: string): boolean {
  let stretch = 0
  for (let index = 0; index < text.length; index++) {
    if (isBreak(text.charCodeAt(index))) stretch = 0
    else if (++stretch > reach) return false
  }

  return true
}

/**
 * Index the words of a text, segmenting lazily around each queried offset.
 *
 * @param text The text (in the coordinates the engine matches in).
 * @param segment The segmenter.
 * @param image Optional same-length rewrite of a stretch before segmenting
 *   (a Traditional text is segmented through its Simplified characters).
 * @param score Word probabilities, for {@link WordIndex.partsCut} (without
 *   them it finds no part cut).
 * @returns The index.
 */
export function createWordIndex(text: string, segment: Segment, tagOf: (word: string) => string, image?: (text: string) => string, score?: Score): WordIndex {
  // 0: not segmented yet; else the word's start + 1 and end + 1.
  const wordStart = new Int32Array(text.length)
  const wordEnd = new Int32Array(text.length)
  const tagAt = (offset: number) => {
    const [start, end] = wordAt(offset)
    // Jieba's dictionary is Simplified: tag a Traditional word through its image.
    const word = text.slice(start, end)
    return tagOf(image ? image(word) : word)
  }

  const fill = (offset: number) => {
    let start = offset
    while (start > 0 && offset - start < reach && !isBreak(text.charCodeAt(start - 1))) start--
    let end = offset + 1
    while (end < text.length && end - offset < reach && !isBreak(text.charCodeAt(end))) end++
    const slice = text.slice(start, end)
    const seen = image ? image(slice) : slice
    const words = seen.length === slice.length ? segment(seen) : []
    let at = start
    let total = 0
    for (const word of words) total += word.length
    if (total !== slice.length) {
      // Not a partition: every unit its own word (no phrase is refused).
      for (let index = start; index < end; index++) {
        wordStart[index] = index + 1
        wordEnd[index] = index + 2
      }

      return
    }

    for (const word of words) {
      for (let index = at; index < at + word.length; index++) {
        // A stretch cut short by `reach` must not claim words at its edges
        // that continue beyond it; those offsets are segmented again.
        if ((at === start && start > 0 && !isBreak(text.charCodeAt(start - 1))) || (at + word.length === end && end < text.length && !isBreak(text.charCodeAt(end)))) {
          if (index !== offset) continue
        }

        wordStart[index] = at + 1
        wordEnd[index] = at + word.length + 1
      }

      at += word.length
    }
  }

  const wordAt = (offset: number): [number, number] => {
    if (wordStart[offset] === 0) fill(offset)
    return [wordStart[offset]! - 1, wordEnd[offset]! - 1]
  }

  const partsOfWordCut = (start: number, end: number, likelihood?: Score): Array<[number, number]> => {
    const [wordStart, wordEnd] = wordAt(start)
    if (wordStart > start || wordEnd < end || (wordStart === start && wordEnd === end)) return []
    const slice = text.slice(wordStart, wordEnd)
    const parts = fewestWords(image ? image(slice) : slice, segment, likelihood)
    const cut: Array<[number, number]> = []
    let at = wordStart
    for (const part of parts ?? []) {
      const partEnd = at + part.length
      // A part cut: it overlaps the stretch, neither holding it nor lying in it.
      if (part.length > 1 && at < end && partEnd > start && !(at <= start && partEnd >= end) && !(at >= start && partEnd <= end)) cut.push([at, partEnd])
      at = partEnd
    }

    return cut
  }

  return {
    wordAt,
    tagAt,
    cutsInside: (start, end) => partsOfWordCut(start, end).length > 0,
    partsCut: (start, end) => (score ? partsOfWordCut(start, end, score) : []),
    cuts(start, end) {
      const [firstStart, firstEnd] = wordAt(start)
      // A phrase inside one word never cuts it.
      if (firstStart <= start && firstEnd >= end) return false
      if (firstStart < start) return 'word'
      const [lastStart, lastEnd] = wordAt(end - 1)
      if (lastEnd > end && lastStart >= start) return 'word'
      // 只 as a word of its own at the end of a phrase (这只, 那只) is the
      // measure word 隻 before a noun, and the adverb "only" before a verb,
      // preposition, adverb or conjunction (这只发生在): then it is cut.
      if (lastStart === end - 1 && lastStart > firstStart && measureOrAdverb.has(text.charCodeAt(end - 1)) && end < text.length) {
        const [nextStart] = wordAt(end)
        return nextStart === end && /^[vpdc]/.test(tagAt(end)) ? 'measure' : false
      }

      return false
    }
  }
}
