/**
 * Rule `mojibake`: runs of text that are GBK or Big5 bytes decoded with the
 * wrong codec, or one byte off, are found and re-decoded.
 *
 * A run is repaired in place only when a re-decoding gives a clean run of
 * common characters, the bytes make the round trip back to the damaged run
 * exactly, and the run changed holds at least one non-ASCII sign of damage; otherwise, when the run holds an unmistakable sign of
 * damage, it is reported with the best re-decoding found and left as is. A
 * legitimate rare character alone is never reported: it has no sign of
 * damage besides being rare, and no re-decoding makes it common text.
 */
import iconv from 'iconv-lite'
import {isCommonHan, isHan} from '../hanzi.ts'
import type {Edit} from '../types.ts'
import {draftLines} from './draft.ts'
import type {CleanRule, RuleContext} from './types.ts'

/** Codecs a text may have been wrongly decoded with, and what its bytes may really have been. */
const misread = [
  {codec: 'gbk', name: 'GBK'},
  {codec: 'big5', name: 'Big5'}
] as const
const actual = [
  {codec: 'gbk', name: 'GBK'},
  {codec: 'big5', name: 'Big5'},
  {codec: 'utf-8', name: 'UTF-8'}
] as const

// How far from a suspicious character a run may reach, in characters.
const reach = 12

type Sign = 'strong' | 'weird' | 'rare' | undefined

/**
 * How suspicious a character is. Strong signs are damage whatever the
 * context; weird ones are odd among Han characters; rare Han characters are
 * suspicious only in numbers.
 */
function sign(chars: Array<string>, index: number): Sign {
  const char = chars[index]!
  const code = char.codePointAt(0)!
  const nearHan = isHan(chars[index - 1] ?? '') || isHan(chars[index + 1] ?? '')
  const bopomofo = (code: number | undefined) => code !== undefined && code >= 0x3100 && code <= 0x312f
  // U+FFFD is text already lost: rule `lost-text` reports it, nothing re-decodes it.
  if (code >= 0xe000 && code <= 0xf8ff) return 'strong'
  if (bopomofo(code)) {
    // A run of bopomofo is phonetic text; a single one among Han characters is damage.
    const alone = !bopomofo(chars[index - 1]?.codePointAt(0)) && !bopomofo(chars[index + 1]?.codePointAt(0))
    return alone && nearHan ? 'strong' : undefined
  }

  if (nearHan && /[@[\\\]^_`{|}~\u00C0-\u00FF\u0391-\u03C9\u0401-\u044F\u3041-\u30FF\u2500-\u257F\uFF61-\uFF9F]/.test(char)) return 'weird'
  if (isHan(char) && !isCommonHan(char)) return 'rare'
  return undefined
}

const cleanPunctuation = /^[\s\w，。、；：？！“”‘’（）《》〈〉「」『』【】—…·,.:;!?()%\-\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]$/u

/** Whether a re-decoding is a clean run: common Han characters and ordinary punctuation only. */
function isClean(text: string): boolean {
  let han = 0
  for (const char of text) {
    if (isHan(char)) {
      if (!isCommonHan(char)) return false
      han++
    } else if (!cleanPunctuation.test(char)) return false
  }

  return han >= 2
}

function cleanShare(text: string): number {
  const chars = [...text]
  if (chars.length === 0) return 0
  return chars.filter((char) => (isHan(char) ? isCommonHan(char) : cleanPunctuation.test(char))).length / chars.length
}

interface Candidate {
  /** Code point range of the changed run in the line. */
  from: number
  to: number
  /** Re-decoded text of the changed run. */
  text: string
  /** How it was re-decoded. */
  how: string
  /** A leading byte dropped to re-align, when one was. */
  dropped?: number
  signs: number
  window: number
}

interface Redecoding {
  text: string
  how: string
  dropped?: number
}

/**
 * Whether a character is damage only a re-decoding explains: not ASCII.
 * ASCII punctuation beside Han characters is a hint worth a look (`^` in
 * `梢酝ㄟ^`), never proof: valid text has `[图片]`, `详见[1]` and `_`.
 */
function isProof(chars: Array<string>, index: number, item: Sign): boolean {
  const char = chars[index]!
  if (item === undefined || char.codePointAt(0)! <= 0x7f) return false
  // Two letters of one alphabet in a row are a word (мир, ありがとう, café),
  // two box-drawing characters a frame: valid text, not damage.
  const script = scriptOf(char)
  return script === undefined || (scriptOf(chars[index - 1] ?? '') !== script && scriptOf(chars[index + 1] ?? '') !== script)
}

const scripts = [
  ['latin', /^[\u00C0-\u00FF]$/u],
  ['greek', /^\p{Script=Greek}$/u],
  ['cyrillic', /^\p{Script=Cyrillic}$/u],
  ['kana', /^[\u3041-\u3096\u30A1-\u30FA\u30FC\uFF66-\uFF9D]$/u],
  ['box', /^[\u2500-\u257F]$/u]
] as const

function scriptOf(char: string): string | undefined {
  return scripts.find(([, pattern]) => pattern.test(char))?.[0]
}

/** Common prefix and suffix lengths (in code points) of two code point arrays. */
function trim(a: Array<string>, b: Array<string>): [number, number] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  return [head, tail]
}

/** Every re-decoding of `chars[from, to)`, clean or not. */
function redecode(chars: Array<string>, from: number, to: number): Array<Redecoding> {
  const window = chars.slice(from, to).join('')
  const results: Array<Redecoding> = []
  for (const wrong of misread) {
    const bytes = iconv.encode(window, wrong.codec)
    if (iconv.decode(bytes, wrong.codec) !== window) continue
    for (const right of actual) {
      for (const shift of [0, 1]) {
        if (wrong.codec === right.codec && shift === 0) continue
        const text = iconv.decode(bytes.subarray(shift), right.codec)
        const how =
          (wrong.codec === right.codec ? `${right.name} bytes decoded` : `${right.name} bytes decoded as ${wrong.name}`) + (shift ? ' one byte off' : '')
        // The proof: the re-decoded text, encoded back and misread again,
        // must give exactly the damaged window. A decoder that skipped or
        // replaced bytes on the way fails it.
        const again = Buffer.concat([bytes.subarray(0, shift), iconv.encode(text, right.codec)])
        if (!again.equals(bytes) || iconv.decode(again, wrong.codec) !== window) continue
        results.push(shift ? {text, how, dropped: bytes[0]!} : {text, how})
      }
    }
  }

  return results
}

export const mojibake: CleanRule = {
  id: 'mojibake',
  summary: 'GBK or Big5 bytes decoded with the wrong codec or one byte off are re-decoded; repaired only when the result is clean common text',
  run(draft, context) {
    const edits: Array<Edit> = []
    for (const line of draftLines(draft.text)) {
      edits.push(...repairLine(line.text, line.start, context))
    }

    return edits
  }
}

function repairLine(text: string, start: number, context: RuleContext): Array<Edit> {
  const chars = [...text]
  const offsets: Array<number> = []
  let offset = start
  for (const char of chars) {
    offsets.push(offset)
    offset += char.length
  }

  offsets.push(offset)
  const signs = chars.map((_, index) => sign(chars, index))
  // Prefix counts of rare and of all Han characters, to judge a window against the rest of its line.
  const rareBefore = [0]
  const hanBefore = [0]
  for (const [index, char] of chars.entries()) {
    rareBefore.push(rareBefore[index]! + Number(signs[index] === 'rare'))
    hanBefore.push(hanBefore[index]! + Number(isHan(char)))
  }

  /**
   * Whether a window shows enough damage to try re-decoding it. A weird or
   * strong sign is enough. Rare characters alone are weak evidence (names,
   * classical text), so they must be dense — three or more, most of the
   * characters between the first and the last — in a line that is
   * otherwise common text.
   */
  const evidence = (from: number, to: number): boolean => {
    if (signs.slice(from, to).some((item) => item === 'strong' || item === 'weird')) return true
    const rare = rareBefore[to]! - rareBefore[from]!
    if (rare < 3) return false
    // Density is measured from the first rare character to the last: the window may reach beyond.
    const first = signs.indexOf('rare', from)
    const last = signs.lastIndexOf('rare', to - 1)
    const outsideHan = hanBefore.at(-1)! - (hanBefore[to]! - hanBefore[from]!)
    const outsideRare = rareBefore.at(-1)! - rare
    return rare / (last - first + 1) >= 0.6 && outsideRare <= outsideHan * 0.1
  }

  // Windows of neighbouring anchors overlap: re-decode each one once.
  const memo = new Map<string, ReturnType<typeof redecode>>()
  const redecodeOnce = (from: number, to: number) => {
    const key = from + ':' + to
    let results = memo.get(key)
    if (!results) {
      results = redecode(chars, from, to)
      memo.set(key, results)
    }

    return results
  }

  const edits: Array<Edit> = []
  let covered = -1
  for (let anchor = 0; anchor < chars.length; anchor++) {
    if (!signs[anchor] || anchor < covered) continue
    const candidates: Array<Candidate> = []
    let best: {text: string; how: string; share: number; from: number; to: number} | undefined
    // A run never crosses white space or `?` (text already lost stays a boundary).
    const stop = (index: number) => /[\s?]/.test(chars[index]!)
    let low = anchor
    while (low > Math.max(covered, anchor - reach) && !stop(low - 1)) low--
    let high = anchor + 1
    while (high < Math.min(chars.length, anchor + reach + 1) && !stop(high)) high++
    for (let from = low; from <= anchor; from++) {
      for (let to = anchor + 1; to <= high; to++) {
        if (!evidence(from, to)) continue
        const inside = signs.slice(from, to)
        const original = chars.slice(from, to)
        for (const result of redecodeOnce(from, to)) {
          const share = cleanShare(result.text)
          if (!best || share > best.share || (share === best.share && to - from < best.to - best.from)) {
            best = {text: result.text, how: result.how, share, from, to}
          }

          if (!isClean(result.text)) continue
          const decoded = [...result.text]
          const [head, tail] = trim(original, decoded)
          // Re-aligned bytes that turn into ASCII letters or digits are a misreading, not a repair.
          if (/[A-Za-z\d]/.test(decoded.slice(head, decoded.length - tail).join(''))) continue
          const changed = inside.slice(head, inside.length - tail).filter(Boolean).length
          let proofs = 0
          for (let index = from + head; index < to - tail; index++) proofs += Number(isProof(chars, index, signs[index]))
          if (proofs === 0) continue
          candidates.push({
            from: from + head,
            to: to - tail,
            text: decoded.slice(head, decoded.length - tail).join(''),
            how: result.how,
            dropped: head === 0 ? result.dropped : undefined,
            signs: changed,
            window: to - from
          })
        }
      }
    }

    // Most signs of damage explained first, then no dropped byte, then the longest run, then the least context.
    candidates.sort(
      (a, b) =>
        b.signs - a.signs ||
        Number(a.dropped !== undefined) - Number(b.dropped !== undefined) ||
        b.to - b.from - (a.to - a.from) ||
        a.window - b.window
    )
    const chosen = candidates[0]
    if (chosen && chosen.signs > 0) {
      const run = chars.slice(chosen.from, chosen.to).join('')
      const lost =
        chosen.dropped === undefined
          ? ''
          : `; not recoverable: the character before it, of which only the second byte (0x${chosen.dropped.toString(16).toUpperCase()}) survived: restore it by hand`
      edits.push({start: offsets[chosen.from]!, end: offsets[chosen.to]!, text: chosen.text})
      context.report({
        offset: offsets[chosen.from]!,
        ruleId: 'mojibake',
        params: {reason: `repaired mojibake \`${run}\` → \`${chosen.text}\` (${chosen.how})${lost}`},
        expected: [chosen.text]
      })
      covered = chosen.to
      continue
    }

    if (signs[anchor] === 'strong') {
      const guess = best && best.share > 0 ? `; best re-decoding: \`${best.text}\` (${best.how}), not clean enough to repair` : ''
      context.report({
        offset: offsets[anchor]!,
        ruleId: 'mojibake',
        params: {reason: `suspected mojibake at \`${chars.slice(Math.max(0, anchor - 2), anchor + 3).join('')}\`${guess}; check the original and fix it by hand`}
      })
      covered = anchor + 1
    }
  }

  return edits
}
