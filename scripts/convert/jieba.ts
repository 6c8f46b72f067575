/**
 * Jieba's word segmentation without HMM, in JavaScript over Jieba's own
 * dictionary compiled into typed arrays: the same words as `@node-rs/jieba`'s
 * `cut(text, false)` (jieba-rs: the dictionary's directed acyclic graph of
 * words, the route of highest probability, ties to the longer word, runs
 * of single ASCII letters and digits joined), but a process reads the
 * compiled dictionary in milliseconds where `Jieba.withDict` spends
 * 0.1–0.2 s building its own from the 5 MB text. `npm run compile` writes
 * it beside OpenCC's (`lib/dictionaries/`); without it (running from the
 * TypeScript sources) the native Jieba serves.
 *
 * The probabilities are jieba-rs's: the natural logarithm of each word's
 * frequency is computed correctly rounded (what glibc's `log`, which
 * jieba-rs calls, gives; V8's `Math.log` differs in the last bit for about
 * 1.5 % of the dictionary's frequencies, which would flip exact ties), and
 * the route adds them in jieba-rs's order. Tags are the dictionary's; a
 * word the dictionary does not hold is tagged as jieba-rs guesses only
 * when it holds no CJK character (the guess for others takes jieba-rs's
 * part-of-speech model: {@link tagWords} answers `undefined` then).
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {compileDictionaryGroup, replacement} from './dictionary.ts'

/** Bump when the layout below changes. */
const formatVersion = 1

/** Jieba's dictionary as a trie (children of a node consecutive, sorted by code unit), with each word's record. */
export interface JiebaDictionary {
  unit: Uint16Array
  first: Int32Array
  count: Int32Array
  /** Record of the word ending at each node, or -1. */
  record: Int32Array
  /** Child of the root for each code unit (0: none). */
  root: Int32Array
  /** Natural logarithm of each record's frequency (correctly rounded). */
  logFrequency: Float64Array
  /** Index into `tags` of each record's tag. */
  tag: Uint8Array
  tags: Array<string>
  /** Natural logarithm of the frequencies' sum. */
  logTotal: number
}

interface Header {
  format: number
  jieba: string
  nodes: number
  records: number
  tags: Array<string>
  logTotal: number
}

/** The version of `@node-rs/jieba` (its dictionary) the compiled file is for. */
function jiebaVersion(): string {
  const require = createRequire(import.meta.url)
  return (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/dict.js')), 'package.json'), 'utf8')) as {version: string}).version
}

/** Jieba's bundled dictionary text. */
function dictionaryText(): string {
  const require = createRequire(import.meta.url)
  return fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/dict.js')), 'dict.txt'), 'utf8')
}

/**
 * Compile Jieba's dictionary text as jieba-rs's `load_dict` reads it: one
 * word per line with its frequency and tag; a word seen again keeps its
 * first tag and takes the later frequency.
 *
 * @param text The dictionary (default: `@node-rs/jieba`'s bundled one).
 * @returns The compiled dictionary.
 */
export function compileJiebaDictionary(text: string = dictionaryText()): JiebaDictionary {
  const records = new Map<string, {frequency: number; tag: string}>()
  for (const line of text.split('\n')) {
    const [word, frequency, tag] = line.trim().split(/\s+/)
    if (!word) continue
    const value = frequency === undefined ? 0 : Number.parseInt(frequency, 10)
    const known = records.get(word)
    if (known) known.frequency = value
    else records.set(word, {frequency: value, tag: tag ?? ''})
  }

  const words = [...records.keys()]
  const trie = compileDictionaryGroup([new Map(words.map((word, index) => [word, String(index)]))])
  const record = new Int32Array(trie.unit.length).fill(-1)
  for (let node = 0; node < trie.unit.length; node++) if (trie.value[node]! >= 0) record[node] = Number(replacement(trie, trie.value[node]!))
  const tags: Array<string> = []
  const tagIds = new Map<string, number>()
  const tag = new Uint8Array(words.length)
  const logFrequency = new Float64Array(words.length)
  // A few thousand distinct frequencies: each logarithm computed once.
  const logs = new Map<number, number>()
  let total = 0
  for (const [index, {frequency, tag: name}] of [...records.values()].entries()) {
    let id = tagIds.get(name)
    if (id === undefined) {
      id = tags.length
      if (id > 255) throw new Error('Jieba dictionary: more than 256 tags')
      tags.push(name)
      tagIds.set(name, id)
    }

    tag[index] = id
    let log = logs.get(frequency)
    if (log === undefined) {
      log = naturalLog(frequency)
      logs.set(frequency, log)
    }

    logFrequency[index] = log
    total += frequency
  }

  return {unit: trie.unit, first: trie.first, count: trie.count, record, root: trie.root, logFrequency, tag, tags, logTotal: naturalLog(total)}
}

/**
 * Serialize a compiled dictionary: a length-prefixed JSON header, then its
 * arrays (8-byte aligned), read back as views.
 *
 * @param dictionary The compiled dictionary.
 * @returns The bytes.
 */
export function serializeJiebaDictionary(dictionary: JiebaDictionary): Uint8Array {
  const header: Header = {
    format: formatVersion,
    jieba: jiebaVersion(),
    nodes: dictionary.unit.length,
    records: dictionary.logFrequency.length,
    tags: dictionary.tags,
    logTotal: dictionary.logTotal
  }
  const json = pad(Buffer.from(JSON.stringify(header), 'utf8'), 8, 4)
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, json.length, true)
  const parts = [dictionary.logFrequency, dictionary.first, dictionary.count, dictionary.record, dictionary.unit, dictionary.tag].map((array) =>
    pad(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 8, 0)
  )
  return Buffer.concat([length, json, ...parts])
}

/**
 * Read a serialized dictionary (views of the bytes, not copies).
 *
 * @param bytes What {@link serializeJiebaDictionary} wrote.
 * @returns The dictionary, or `undefined` when the bytes are of another format or Jieba version.
 */
export function deserializeJiebaDictionary(bytes: Uint8Array): JiebaDictionary | undefined {
  const buffer = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes)
  if (buffer.byteLength < 4) return undefined
  const length = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getUint32(0, true)
  if (4 + length > buffer.byteLength) return undefined
  let header: Header
  try {
    header = JSON.parse(new TextDecoder().decode(buffer.subarray(4, 4 + length)).trimEnd()) as Header
  } catch {
    return undefined
  }

  if (header.format !== formatVersion || header.jieba !== jiebaVersion()) return undefined
  const {nodes, records} = header
  const expected = 4 + length + align(records * 8) + 3 * align(nodes * 4) + align(nodes * 2) + align(records)
  if (expected !== buffer.byteLength) return undefined
  let offset = buffer.byteOffset + 4 + length
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, count: number) => T, count: number, size: number): T => {
    const result = make(buffer.buffer, offset, count)
    offset += align(count * size)
    return result
  }

  const logFrequency = take((b, o, c) => new Float64Array(b, o, c), records, 8)
  const first = take((b, o, c) => new Int32Array(b, o, c), nodes, 4)
  const count = take((b, o, c) => new Int32Array(b, o, c), nodes, 4)
  const record = take((b, o, c) => new Int32Array(b, o, c), nodes, 4)
  const unit = take((b, o, c) => new Uint16Array(b, o, c), nodes, 2)
  const tag = take((b, o, c) => new Uint8Array(b, o, c), records, 1)
  const root = new Int32Array(0x10000)
  if (nodes > 0) for (let child = first[0]!, last = child + count[0]!; child < last; child++) root[unit[child]!] = child
  return {unit, first, count, record, root, logFrequency, tag, tags: header.tags, logTotal: header.logTotal}
}

/** File name of the compiled dictionary. */
function dictionaryFile(): string {
  return `jieba-${jiebaVersion()}-v${formatVersion}.bin`
}

/**
 * Compile Jieba's dictionary into a folder (what `npm run compile` ships in
 * `lib/dictionaries/`).
 *
 * @param folder Where to write it.
 * @returns The name of the file written.
 */
export function precompileJiebaDictionary(folder: string): string {
  fs.mkdirSync(folder, {recursive: true})
  const file = dictionaryFile()
  fs.writeFileSync(path.join(folder, file), serializeJiebaDictionary(compileJiebaDictionary()))
  return file
}

/**
 * The dictionary compiled with the package, or `undefined` (running from
 * the TypeScript sources, or a stale file).
 *
 * @param folder Where to look (default: `lib/dictionaries/` beside the compiled code).
 * @returns The dictionary.
 */
export function packagedJiebaDictionary(folder = fileURLToPath(new URL('../dictionaries/', import.meta.url))): JiebaDictionary | undefined {
  try {
    return deserializeJiebaDictionary(fs.readFileSync(path.join(folder, dictionaryFile())))
  } catch {
    return undefined
  }
}

/** Whether a code point is in jieba-rs's CJK ranges. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2ebef) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  )
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}

/** jieba-rs's `is_han_default`: what it segments with the dictionary (the rest goes character by character). */
function isHanDefault(code: number): boolean {
  return isCjk(code) || isAsciiAlphanumeric(code) || code === 0x2b || code === 0x23 || code === 0x26 || code === 0x2e || code === 0x5f || code === 0x25 || code === 0x2d
}

/** A token of a cut: `[start, end)` in the text, and whether the route took it as a single character (HMM's input). */
interface Token {
  start: number
  end: number
}

/**
 * Segment a text as `@node-rs/jieba`'s `cut(text, false)` does.
 *
 * @param dictionary The compiled dictionary.
 * @param text The text.
 * @returns The words (they concatenate to the text).
 */
export function cutWords(dictionary: JiebaDictionary, text: string): Array<string> {
  const words: Array<string> = []
  for (const {start, end} of tokens(dictionary, text, false)!) words.push(text.slice(start, end))
  return words
}

/**
 * Tag a text as `@node-rs/jieba`'s `tag(text, hmm)` does, where that needs
 * neither of jieba-rs's hidden Markov models: with `hmm`, where no two
 * single characters follow each other on the route (the only place the
 * HMM re-cuts); and every word either in the dictionary or holding no CJK
 * character. Otherwise `undefined` (ask the native Jieba).
 *
 * @param dictionary The compiled dictionary.
 * @param text The text.
 * @param hmm Whether the HMM is on.
 * @returns The words with their tags, or `undefined`.
 */
export function tagWords(dictionary: JiebaDictionary, text: string, hmm: boolean): Array<{word: string; tag: string}> | undefined {
  const found = tokens(dictionary, text, hmm)
  if (!found) return undefined
  const result: Array<{word: string; tag: string}> = []
  for (const {start, end} of found) {
    const word = text.slice(start, end)
    const tag = tagOf(dictionary, word)
    if (tag === undefined) return undefined
    result.push({word, tag})
  }

  return result
}

/**
 * The tag jieba-rs gives a word on its own (`tag(word, false)[0].tag`), or
 * `undefined` where that takes its part-of-speech model.
 *
 * @param dictionary The compiled dictionary.
 * @param word The word.
 * @returns The tag (`''` for an empty word).
 */
export function firstTag(dictionary: JiebaDictionary, word: string): string | undefined {
  const [token] = tokens(dictionary, word, false)!
  return token ? tagOf(dictionary, word.slice(token.start, token.end)) : ''
}

/**
 * The tag of a word of the dictionary (what jieba-rs's tagger gives a word
 * its route keeps whole), or `undefined` when the dictionary does not hold it.
 *
 * @param dictionary The compiled dictionary.
 * @param word The word.
 * @returns Its tag.
 */
export function dictionaryTag(dictionary: JiebaDictionary, word: string): string | undefined {
  const record = lookup(dictionary, word)
  return record >= 0 ? dictionary.tags[dictionary.tag[record]!]! : undefined
}

/** A word's tag: the dictionary's, else jieba-rs's guess where it needs no model (`undefined` where it does). */
function tagOf(dictionary: JiebaDictionary, word: string): string | undefined {
  const record = lookup(dictionary, word)
  if (record >= 0) return dictionary.tags[dictionary.tag[record]!]!
  let letters = 0
  let digits = 0
  let cjk = false
  for (const char of word) {
    const code = char.codePointAt(0)!
    if (isAsciiAlphanumeric(code)) {
      letters++
      if (code <= 0x39) digits++
    } else if (isCjk(code)) {
      cjk = true
    }
  }

  if (letters > 0) return letters === digits ? 'm' : 'eng'
  return cjk ? undefined : 'x'
}

/**
 * The natural logarithm of a word's probability in Jieba's unigram model
 * (its frequency over the frequencies' sum); a word the dictionary does not
 * hold counts as seen once, as jieba-rs scores a character it does not know.
 *
 * @param dictionary The compiled dictionary.
 * @param word The word.
 * @returns Its log probability.
 */
export function logProbability(dictionary: JiebaDictionary, word: string): number {
  const record = lookup(dictionary, word)
  return (record >= 0 ? dictionary.logFrequency[record]! : 0) - dictionary.logTotal
}

/** The record of a word, or -1. */
function lookup(dictionary: JiebaDictionary, word: string): number {
  if (word.length === 0) return -1
  let node = dictionary.root[word.charCodeAt(0)]!
  for (let at = 1; node !== 0 && at < word.length; at++) node = child(dictionary, node, word.charCodeAt(at))
  return node === 0 ? -1 : dictionary.record[node]!
}

/** The child of a node on a code unit, or 0. */
function child(dictionary: JiebaDictionary, node: number, code: number): number {
  const {unit, first, count} = dictionary
  let low = first[node]!
  let high = low + count[node]! - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const candidate = unit[middle]!
    if (candidate === code) return middle
    if (candidate < code) low = middle + 1
    else high = middle - 1
  }

  return 0
}

/**
 * The tokens of a text, as jieba-rs's `cut_internal` makes them without HMM;
 * with `hmm`, `undefined` where the HMM would re-cut (two single
 * characters in a row on a block's route).
 */
function tokens(dictionary: JiebaDictionary, text: string, hmm: boolean): Array<Token> | undefined {
  const result: Array<Token> = []
  let index = 0
  while (index < text.length) {
    const code = text.codePointAt(index)!
    const size = code > 0xffff ? 2 : 1
    if (isHanDefault(code)) {
      let end = index + size
      while (end < text.length) {
        const next = text.codePointAt(end)!
        if (!isHanDefault(next)) break
        end += next > 0xffff ? 2 : 1
      }

      if (!cutBlock(dictionary, text, index, end, result, hmm)) return undefined
      index = end
      continue
    }

    // Outside the blocks: each character a token, `\r\n` one.
    const end = code === 0x0d && text.charCodeAt(index + 1) === 0x0a ? index + 2 : index + size
    result.push({start: index, end})
    index = end
  }

  return result
}

/** jieba-rs's `cut_dag_no_hmm` over `text[start, end)` (`false` with `hmm` where the HMM would re-cut). */
function cutBlock(dictionary: JiebaDictionary, text: string, start: number, end: number, tokens: Array<Token>, hmm: boolean): boolean {
  const length = end - start
  const probability = new Float64Array(length + 1)
  const next = new Int32Array(length + 1)
  const {root, record, logFrequency, logTotal} = dictionary
  const single = 0 - logTotal
  let previous = length
  for (let x = length - 1; x >= 0; x--) {
    const code = text.charCodeAt(start + x)
    // A low surrogate after a high one is not where a character starts.
    if (code >= 0xdc00 && code <= 0xdfff && x > 0) {
      const before = text.charCodeAt(start + x - 1)
      if (before >= 0xd800 && before <= 0xdbff) continue
    }

    // The words starting here, shortest first; the best route's end (ties: the longer word).
    let best = -Infinity
    let bestEnd = -1
    let node = root[code]!
    let at = x + 1
    while (node !== 0) {
      const word = record[node]!
      if (word >= 0) {
        const candidate = logFrequency[word]! - logTotal + probability[at]!
        if (candidate >= best) {
          best = candidate
          bestEnd = at
        }
      }

      if (at >= length) break
      node = child(dictionary, node, text.charCodeAt(start + at))
      at++
    }

    if (bestEnd < 0) {
      probability[x] = single + probability[previous]!
      next[x] = previous
    } else {
      probability[x] = best
      next[x] = bestEnd
    }

    previous = x
  }

  let x = 0
  let left = -1
  let singles = 0
  while (x < length) {
    const y = next[x]!
    const code = text.charCodeAt(start + x)
    const one = y - x === 1 || (y - x === 2 && code >= 0xd800 && code <= 0xdbff)
    if (one) {
      if (hmm && ++singles >= 2) return false
    } else {
      singles = 0
    }

    if (one && isAsciiAlphanumeric(code)) {
      if (left < 0) left = x
    } else {
      if (left >= 0) {
        tokens.push({start: start + left, end: start + x})
        left = -1
      }

      tokens.push({start: start + x, end: start + y})
    }

    x = y
  }

  if (left >= 0) tokens.push({start: start + left, end})
  return true
}

/**
 * The natural logarithm of a non-negative integer below 2^53, correctly
 * rounded (double-double arithmetic: ln m = 2 atanh((m - 1) / (m + 1)) for
 * the mantissa m, plus k ln 2).
 */
function naturalLog(value: number): number {
  if (value === 0) return -Infinity
  let exponent = 0
  let mantissa = value
  while (mantissa >= 2) {
    mantissa /= 2
    exponent++
  }

  const s = divide([mantissa - 1, 0], [mantissa + 1, 0])
  const square = multiply(s, s)
  let term = s
  let sum: Pair = [0, 0]
  for (let odd = 1; odd < 400 && Math.abs(term[0]) > 1e-40; odd += 2) {
    sum = add(sum, divide(term, [odd, 0]))
    term = multiply(term, square)
  }

  const result = add(multiply([2, 0], sum), multiply([exponent, 0], ln2))
  return result[0] + result[1]
}

type Pair = [number, number]

const ln2: Pair = [0.6931471805599453, 2.3190468138462996e-17]

function twoSum(a: number, b: number): Pair {
  const sum = a + b
  const bPart = sum - a
  return [sum, a - (sum - bPart) + (b - bPart)]
}

function split(a: number): Pair {
  const scaled = 134217729 * a
  const high = scaled - (scaled - a)
  return [high, a - high]
}

function twoProduct(a: number, b: number): Pair {
  const product = a * b
  const [aHigh, aLow] = split(a)
  const [bHigh, bLow] = split(b)
  return [product, aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow]
}

function add(x: Pair, y: Pair): Pair {
  const [sum, error] = twoSum(x[0], y[0])
  return twoSum(sum, error + x[1] + y[1])
}

function multiply(x: Pair, y: Pair): Pair {
  const [product, error] = twoProduct(x[0], y[0])
  return twoSum(product, error + x[0] * y[1] + x[1] * y[0])
}

function divide(x: Pair, y: Pair): Pair {
  const first = x[0] / y[0]
  const rest = add(x, multiply([-first, 0], y))
  const second = rest[0] / y[0]
  const last = add(rest, multiply([-second, 0], y))
  return add(twoSum(first, second), [last[0] / y[0], 0])
}

function align(size: number): number {
  return (size + 7) & ~7
}

/** Pad bytes so that `extra + length` is a multiple of `to`. */
function pad(bytes: Uint8Array, to: number, extra: number): Uint8Array {
  let size = bytes.length
  while ((size + extra) % to !== 0) size++
  if (size === bytes.length) return bytes
  const result = new Uint8Array(size)
  // JSON headers are padded with spaces (trimmed when read), arrays with zeros.
  if (extra > 0) result.fill(0x20)
  result.set(bytes)
  return result
}
