/**
 * Quotation marks per variant: corner brackets (「」 outside, 『』 inside) or
 * curly quotes (“” outside, ‘’ inside). Nesting is taken from the order of
 * the marks in a block, so a quote inside a quote gets the inner pair even
 * when the source used the outer pair twice.
 */
import {resolveLocale, type Locale} from '../locales.ts'

export const quoteStyles = ['corner', 'curly', 'keep'] as const

/** `corner`: 「」『』; `curly`: “”‘’; `keep`: as written. */
export type QuoteStyle = (typeof quoteStyles)[number]

/** One style for every output, or a style per locale. */
export type QuoteSetting = QuoteStyle | Partial<Record<Locale, QuoteStyle>>

/** DESIGN.md: zh-TW and zh-HK use corner brackets, zh-Hans curly quotes, zh-Hant follows the source. */
export const defaultQuoteStyle: Record<Locale, QuoteStyle> = {
  'zh-Hans': 'curly',
  'zh-Hant': 'keep',
  'zh-TW': 'corner',
  'zh-HK': 'corner'
}

const pairs: Record<Exclude<QuoteStyle, 'keep'>, ReadonlyArray<readonly [string, string]>> = {
  corner: [
    ['「', '」'],
    ['『', '』']
  ],
  curly: [
    ['“', '”'],
    ['‘', '’']
  ]
}

/** Level (0 outer, 1 inner) of each opening and closing mark. */
const openers = new Map([['“', 0], ['「', 0], ['‘', 1], ['『', 1]])
const closers = new Map([['”', 0], ['」', 0], ['’', 1], ['』', 1]])
const latin = /[A-Za-z0-9\u00C0-\u024F]/

/**
 * The style of one output: the setting for that locale, else the default —
 * except for the source locale, whose output is the source as written unless
 * the setting names a style, and for an exact conversion (corrections off:
 * opencc-js's output, which leaves quotation marks alone), likewise.
 *
 * @param setting Front matter `quotes` or a command option.
 * @param from Source locale.
 * @param to Output locale.
 * @param corrections Whether the conversion corrects OpenCC (default `true`).
 * @returns The style to apply.
 */
export function resolveQuoteStyle(setting: QuoteSetting | undefined, from: Locale, to: Locale, corrections = true): QuoteStyle {
  const explicit = typeof setting === 'string' ? setting : setting?.[to]
  if (explicit) return explicit
  return from === to || !corrections ? 'keep' : defaultQuoteStyle[to]
}

/**
 * Read a `quotes` setting (front matter value or option).
 *
 * @param value A style name, or a mapping of locale to style name.
 * @returns The setting, or a sentence saying what is wrong.
 */
export function readQuoteSetting(value: unknown): QuoteSetting | {problem: string} {
  const styles = quoteStyles.join(', ')
  if (typeof value === 'string') {
    return (quoteStyles as ReadonlyArray<string>).includes(value) ? (value as QuoteStyle) : {problem: `unknown quote style \`${value}\`; use ${styles}`}
  }

  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const setting: Partial<Record<Locale, QuoteStyle>> = {}
    for (const [key, style] of Object.entries(value)) {
      const locale = resolveLocale(key)
      if (!locale) return {problem: `unknown locale \`${key}\` in \`quotes\`; use zh-Hans, zh-Hant, zh-TW or zh-HK`}
      if (typeof style !== 'string' || !(quoteStyles as ReadonlyArray<string>).includes(style)) {
        return {problem: `unknown quote style \`${String(style)}\` for ${locale}; use ${styles}`}
      }

      setting[locale] = style as QuoteStyle
    }

    return setting
  }

  return {problem: `\`quotes\` is a style (${styles}) or a mapping of locale to style`}
}

/** Open quotes of a block so far, innermost last (their levels). */
export interface QuoteState {
  stack: Array<number>
}

/** A fresh state, for the start of a block. */
export function createQuoteState(): QuoteState {
  return {stack: []}
}

/**
 * Restyle the quotation marks of a text.
 *
 * @param text Text to look at (never code, never protected text).
 * @param state Open quotes of the block so far; updated.
 * @param style Wanted style.
 * @returns Replacements: offset in `text` and the mark to write there.
 */
export function mapQuotes(
  text: string,
  state: QuoteState,
  style: QuoteStyle,
  isContent: (offset: number) => boolean = () => false,
  offsets: ReadonlyArray<number> = quoteMarks(text)
): Array<{offset: number; text: string}> {
  const replacements: Array<{offset: number; text: string}> = []
  if (style === 'keep') return replacements
  const marks = pairs[style]

  // Only the marks matter: jump from one to the next.
  for (const offset of offsets) {
    const char = text.charAt(offset)
    if ((openers.has(char) || closers.has(char)) && isContent(offset)) continue
    const opening = openers.get(char)
    const closing = closers.get(char)
    let wanted: string | undefined

    if (opening !== undefined) {
      if (char === '‘' && isApostrophe(text, offset, state)) continue
      const level = state.stack.length % 2
      state.stack.push(level)
      wanted = marks[level]![0]
    } else if (closing !== undefined) {
      if (char === '’' && isApostrophe(text, offset, state)) continue
      const level = state.stack.pop() ?? closing
      wanted = marks[level]![1]
    }

    if (wanted !== undefined && wanted !== char) replacements.push({offset, text: wanted})
  }

  return replacements
}

/**
 * Quotation marks of a block that are content, not quotation: a mark with
 * white space (or the edge of the block) on both sides (`使用 “ ” 和 ‘ ’`),
 * a closing mark with no opening one before it, and an opening mark never
 * closed in the block. Apostrophes are left to {@link mapQuotes}.
 *
 * @param text The text of the block (its runs, in order).
 * @param offsets Where its quotation marks are ({@link quoteMarks}), when known.
 * @returns Offsets of the marks to leave as written.
 */
export function contentMarks(text: string, offsets: ReadonlyArray<number> = quoteMarks(text)): Set<number> {
  const content = new Set<number>()
  const open: Array<number> = []
  const blank = (char: string) => char === '' || /\s/.test(char)
  for (const offset of offsets) {
    const char = text.charAt(offset)
    const opening = openers.has(char)
    if (!opening && !closers.has(char)) continue
    if (blank(text.charAt(offset - 1)) && blank(text.charAt(offset + 1))) {
      content.add(offset)
      continue
    }

    if ((char === '‘' || char === '’') && latin.test(text.charAt(offset - 1))) continue
    if (opening) open.push(offset)
    else if (open.length > 0) open.pop()
    else content.add(offset)
  }

  for (const offset of open) content.add(offset)
  return content
}

/**
 * Where the quotation marks of a text are (`“”‘’「」『』`), found in one
 * pass: {@link contentMarks} and {@link mapQuotes} can share them.
 *
 * @param text The text.
 * @returns Their offsets, in order.
 */
export function quoteMarks(text: string): Array<number> {
  const offsets: Array<number> = []
  for (const match of text.matchAll(/[“”‘’「」『』]/g)) offsets.push(match.index)
  return offsets
}

/** `it’s`, `students’`: a single mark inside or after Latin text is an apostrophe. */
function isApostrophe(text: string, offset: number, state: QuoteState): boolean {
  const before = text.charAt(offset - 1)
  const after = text.charAt(offset + 1)
  if (!latin.test(before)) return false
  if (latin.test(after)) return true
  return text.charAt(offset) === '’' && state.stack.at(-1) !== 1
}
