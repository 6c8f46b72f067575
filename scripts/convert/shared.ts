/**
 * What the article path (`index.ts`) and the fast plain-text path
 * (`plain.ts`) share, without the Markdown and YAML stacks: the review of an
 * aligned piece, the lint's pre-check, standard forms, a review item's
 * context. `convert` of a plain text loads this, not `index.ts`.
 */
import {traditional, type Locale} from '../locales.ts'
import {getConverter, type Converter, type Piece} from './engine.ts'
import type {LintFinding} from './lint.ts'
import {alternativesFor, decidesCharacterForm, isAmbiguousInContext, isReliable, isRiskyInContext, isUnsettledInContext, roleChecked, type ReviewItem} from './review.ts'

/**
 * Whether a line of a Traditional source has nothing for the lint, known
 * without aligning: its word-aware round trip through Simplified gives it
 * back unchanged, lengths kept, and where OpenCC's standard form of the
 * Simplified reading differs from the line, the line's character reads as
 * that Simplified character on its own (the lint then keeps the line's
 * form). The lint reports a character only where the round trip's form (or,
 * where the reading differs, the standard form) differs from the source's.
 *
 * @param line Text of a Traditional source.
 * @param from Its locale.
 * @param convert How to convert (default: each converter's `convert`; the plain-text path remembers lines).
 * @returns Whether the lint has nothing to say about it.
 */
export function roundTrips(line: string, from: Locale, convert: (converter: Converter, text: string) => string = (converter, text) => converter.convert(text)): boolean {
  const simplified = convert(getConverter(from, 'zh-Hans', {corrections: true}), line)
  if (simplified.length !== line.length) return false
  if (convert(getConverter('zh-Hans', from, {corrections: true}), simplified) !== line) return false
  const standard = from === 'zh-Hant' ? line : convert(getConverter('zh-Hans', 'zh-Hant', {corrections: true}), simplified)
  if (standard.length !== line.length) return false
  const single = getConverter(from, 'zh-Hans')
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index)
    if (standard.charCodeAt(index) === code) continue
    if (code >= 0xd800 && code <= 0xdfff) return false
    if (single.convert(line.charAt(index)) !== simplified.charAt(index)) return false
  }

  return true
}

/**
 * What the review says about one piece of an alignment: a phrase kept
 * although it cuts a word and converts otherwise than its characters, or a
 * character converted by an unreliable one-to-many fallback.
 *
 * @param piece A piece of `align`'s output.
 * @param input The text the piece replaces.
 * @param from Source locale.
 * @param to Output locale.
 * @param text The text the piece's offsets are in, for the character's
 *   context (a locative `里` is not reviewed); without it, no context is read.
 * @returns The item without its place, or `undefined` when there is nothing to review.
 */
export function reviewPiece(piece: Piece, input: string, from: Locale, to: Locale, text?: string): Omit<ReviewItem, 'offset' | 'context'> | undefined {
  if (piece.disputed && piece.text !== input) {
    const characters = [...input].map((char) => getConverter(from, to).convert(char)).join('')
    // Only a phrase deciding a character's form, not one swapping regional vocabulary on purpose.
    if (characters !== piece.text && decidesCharacterForm(input, piece.text, characters, from, to)) {
      return {char: input, output: piece.text, locale: to, alternatives: [piece.text, characters], kind: 'phrase'}
    }
  }

  if (!piece.matched || piece.phrase || [...input].length !== 1) return undefined
  const changed = piece.text !== input
  if (
    (changed && !isReliable(input, from, to) && (text === undefined || isAmbiguousInContext(text, piece.start, from))) ||
    (text !== undefined && changed && isRiskyInContext(text, piece.start, from)) ||
    // 后, 面, 只, 系…: judged by their role and neighbours, whatever their rank.
    (text !== undefined && !traditional[from] && roleChecked.has(input) && isUnsettledInContext(text, piece.start, piece.text))
  ) {
    const alternatives = alternativesFor(input, from, to)
    if (alternatives) return {char: input, output: piece.text, locale: to, alternatives}
  }

  return undefined
}

/**
 * Every review item of one piece of an alignment: {@link reviewPiece}'s, or,
 * in a stretch OpenCC copied unchanged, each role-checked character it left
 * as it is where its context does not settle it (`面`, `只`, `系` are their
 * own first candidates: `3 只猫` keeps 只 where 隻 is meant).
 *
 * @returns Each item with the range of `text` it covers.
 */
export function reviewItems(piece: Piece, input: string, from: Locale, to: Locale, text?: string): Array<{start: number; end: number; item: Omit<ReviewItem, 'offset' | 'context'>}> {
  const item = reviewPiece(piece, input, from, to, text)
  if (item) return [{start: piece.start, end: piece.end, item}]
  if (piece.matched || text === undefined || traditional[from]) return []
  const items: Array<{start: number; end: number; item: Omit<ReviewItem, 'offset' | 'context'>}> = []
  for (let offset = piece.start; offset < piece.end; offset++) {
    const char = text.charAt(offset)
    if (!roleChecked.has(char) || !isUnsettledInContext(text, offset, char)) continue
    const alternatives = alternativesFor(char, from, to)
    if (alternatives) items.push({start: offset, end: offset + 1, item: {char, output: char, locale: to, alternatives}})
  }

  return items
}

/**
 * A Traditional text with its non-standard forms (the lint's findings)
 * replaced by OpenCC's standard ones, where the lengths agree.
 *
 * @param text Text of a Traditional source.
 * @param findings The lint's findings on it.
 * @returns The text, same length, in standard forms.
 */
export function standardForms(text: string, findings: ReadonlyArray<LintFinding>): string {
  let result = ''
  let cursor = 0
  for (const finding of findings) {
    if (finding.fix.length !== finding.end - finding.start || finding.start < cursor) continue
    result += text.slice(cursor, finding.start) + finding.fix
    cursor = finding.end
  }

  return cursor === 0 ? text : result + text.slice(cursor)
}

/**
 * A few characters either side of a range, the range in 【】.
 *
 * @param text The text.
 * @param start Start of the range.
 * @param end End of the range.
 * @returns The context, white space folded.
 */
export function context(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 8), start)
  const after = text.slice(end, end + 8)
  const clean = (value: string) => value.replace(/\s+/g, ' ')
  return `${start > 8 ? '…' : ''}${clean(before)}【${text.slice(start, end)}】${clean(after)}${end + 8 < text.length ? '…' : ''}`
}
