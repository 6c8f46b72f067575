/**
 * OpenCC conversion with alignment: the same dictionaries, segmentation and
 * conversion chain as opencc-js's `Converter`, but every piece of output
 * remembers which range of the input it came from. Phrase-aware conversion
 * across inline formatting, source-preserving Markdown and the review report
 * all need that alignment, which opencc-js's string-to-string API loses.
 *
 * The one memo of the codebase lives here: one converter per locale pair.
 */
import {Trie} from 'opencc-js/core'
import {configs, from as fromDicts, to as toDicts} from 'opencc-js/preset'
import type {DictGroup, DictLike} from 'opencc-js'
import type {Locale} from '../locales.ts'

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
}

export interface Converter {
  /** Locale converted from. */
  from: Locale
  /** Locale converted to. */
  to: Locale
  /** Convert a string; equals opencc-js's `Converter` for the same pair. */
  convert: (text: string) => string
  /** Convert a string, keeping the input range of every output piece. */
  align: (text: string) => Array<Piece>
}

interface Pipeline {
  normalize?: Trie
  segmentation?: Trie
  chain: Array<Trie>
}

const memo = new Map<string, Converter>()

/**
 * Get the converter for a locale pair, building its dictionaries once.
 *
 * @param from Locale of the input text.
 * @param to Locale wanted.
 * @returns A converter; the identity when both locales are the same.
 */
export function getConverter(from: Locale, to: Locale): Converter {
  const key = from + '>' + to
  let converter = memo.get(key)
  if (!converter) {
    converter = createConverter(from, to)
    memo.set(key, converter)
  }
  return converter
}

function createConverter(from: Locale, to: Locale): Converter {
  if (from === to) {
    return {
      from,
      to,
      convert: (text) => text,
      align: (text) => (text ? [{start: 0, end: text.length, text, phrase: false, matched: false}] : [])
    }
  }

  const pipeline = createPipeline(openccCode[from], openccCode[to])
  return {
    from,
    to,
    convert: (text) => join(alignPipeline(pipeline, text)),
    align: (text) => alignPipeline(pipeline, text)
  }
}

/** Name of the OpenCC config for a pair of OpenCC codes, as opencc-js names them. */
function configName(from: string, to: string): string {
  if (from === 'cn') return 's2' + to
  if (to === 'cn') {
    if (from === 'hkp') return 'hk2sp'
    return from === 'twp' ? 'tw2sp' : from + '2s'
  }
  return from + '2' + to
}

interface FullConfig {
  normalizationChain?: ReadonlyArray<DictGroup>
  segmentation?: DictLike | DictGroup
  conversionChain: ReadonlyArray<DictGroup>
}

function createPipeline(from: string, to: string): Pipeline {
  const config = (configs as Record<string, FullConfig | undefined>)[configName(from, to)]

  if (config) {
    const pipeline: Pipeline = {chain: config.conversionChain.map((group) => trieOf(group))}
    const normalization = config.normalizationChain?.[0]
    if (normalization) pipeline.normalize = trieOf(normalization)
    if (config.segmentation) {
      const segmentation = config.segmentation
      pipeline.segmentation = Array.isArray(segmentation)
        ? trieOf(segmentation as DictGroup)
        : trieOf([segmentation as DictLike])
    }

    return pipeline
  }

  // No OpenCC config for this pair (t → twp, hk → twp, twp → hk…): chain the
  // "from" dictionaries to OpenCC standard and the "to" dictionaries from it,
  // as opencc-js's Converter does.
  const groups: Array<DictGroup> = []
  if (from !== 't') groups.push(...(fromDicts[from] ?? []))
  if (to !== 't') groups.push(...(toDicts[to] ?? []))
  return {chain: groups.map((group) => trieOf(group))}
}

function trieOf(group: DictGroup): Trie {
  const trie = new Trie()
  trie.loadDictGroup(group)
  return trie
}

function alignPipeline(pipeline: Pipeline, text: string): Array<Piece> {
  let base: Array<Piece> | undefined
  let input = text

  if (pipeline.normalize) {
    base = alignTrie(pipeline.normalize, input, 0)
    input = join(base)
  }

  const segments = pipeline.segmentation
    ? segment(pipeline.segmentation, input)
    : [[0, input.length] as const]
  const result: Array<Piece> = []

  // Like opencc-js, every stage of the chain converts each segment on its own.
  for (const [start, end] of segments) {
    let pieces = alignTrie(pipeline.chain[0]!, input.slice(start, end), start)
    for (let index = 1; index < pipeline.chain.length; index++) {
      pieces = compose(pieces, alignTrie(pipeline.chain[index]!, join(pieces), 0))
    }

    for (const piece of pieces) result.push(piece)
  }

  return base ? compose(base, result) : result
}

/**
 * Convert a text with one trie, longest match first; offsets in the result
 * are shifted by `offset`.
 */
function alignTrie(trie: Trie, text: string, offset: number): Array<Piece> {
  const pieces: Array<Piece> = []
  let plainStart = -1
  let index = 0

  while (index < text.length) {
    const match = trie.matchPrefix(text, index)
    if (match) {
      if (plainStart !== -1) {
        pieces.push({start: plainStart + offset, end: index + offset, text: text.slice(plainStart, index), phrase: false, matched: false})
        plainStart = -1
      }

      pieces.push({
        start: index + offset,
        end: match.end + offset,
        text: match.value,
        phrase: codePoints(text, index, match.end) > 1,
        matched: true
      })
      index = match.end
    } else {
      if (plainStart === -1) plainStart = index
      index += unmatchedLength(text, index)
    }
  }

  if (plainStart !== -1) {
    pieces.push({start: plainStart + offset, end: text.length + offset, text: text.slice(plainStart), phrase: false, matched: false})
  }

  return pieces
}

/** Split text into the segments OpenCC's maximum-match segmentation gives. */
function segment(trie: Trie, text: string): Array<readonly [number, number]> {
  const segments: Array<readonly [number, number]> = []
  let plainStart = -1
  let index = 0

  while (index < text.length) {
    const match = trie.matchPrefix(text, index)
    if (match) {
      if (plainStart !== -1) {
        segments.push([plainStart, index])
        plainStart = -1
      }

      segments.push([index, match.end])
      index = match.end
    } else {
      if (plainStart === -1) plainStart = index
      index += unmatchedLength(text, index)
    }
  }

  if (plainStart !== -1) segments.push([plainStart, text.length])
  return segments
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

  while (outerIndex < outer.length || innerIndex < inner.length) {
    const outerPiece = outer[outerIndex]
    const innerPiece = inner[innerIndex]
    const outerEnd = outerPiece ? outerY + outerPiece.text.length : Infinity
    const innerEnd = innerPiece ? innerPiece.end : Infinity
    const y = Math.min(outerEnd, innerEnd)
    if (outerPiece) {
      phrase ||= outerPiece.phrase
      matched ||= outerPiece.matched
    }

    if (innerPiece) {
      phrase ||= innerPiece.phrase
      matched ||= innerPiece.matched
    }

    const atOuterEnd = y === outerEnd
    const atInnerEnd = y === innerEnd
    if ((atOuterEnd || !outerPiece!.matched) && (atInnerEnd || !innerPiece!.matched)) {
      const x = atOuterEnd ? outerPiece!.end : outerPiece!.start + (y - outerY)
      const zEnd = atInnerEnd ? innerZ + innerPiece!.text.length : innerZ + (y - innerPiece!.start)
      if (x > lastX || zEnd > lastZ) {
        result.push({start: lastX, end: x, text: z.slice(lastZ, zEnd), phrase, matched})
        phrase = false
        matched = false
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

function codePointLength(text: string, index: number): number {
  return text.codePointAt(index)! > 0xffff ? 2 : 1
}

/** Operands of an ideographic description character (U+2FF0–U+2FFF). */
function descriptionArity(code: number): number {
  if (code < 0x2ff0 || code > 0x2fff) return 0
  return code === 0x2ff2 || code === 0x2ff3 ? 3 : 2
}

/**
 * End of an ideographic description sequence starting at `index`, or 0.
 * OpenCC never converts inside such a sequence (`⿰木木`).
 */
function descriptionEnd(text: string, index: number): number {
  const arity = descriptionArity(text.codePointAt(index)!)
  if (arity === 0) return 0
  let end = index + codePointLength(text, index)
  for (let operand = 0; operand < arity; operand++) {
    if (end >= text.length) return 0
    const inner = descriptionEnd(text, end)
    end = inner || end + codePointLength(text, end)
  }

  return end
}

function unmatchedLength(text: string, index: number): number {
  const end = descriptionEnd(text, index)
  return end > index ? end - index : codePointLength(text, index)
}
