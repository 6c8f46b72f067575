/**
 * Converted front matter values, written safely. Conversion patches the
 * source text; in front matter that text is YAML, and a converted value
 * (`-{zh-Hans:甲;zh-TW:[乙]}-` → `[乙]`, a glossary value with a line break,
 * `-{#}-` → `#`) can change what the YAML means. When the patched scalar
 * no longer reads back as the converted value, it is replaced by the value
 * serialized by the YAML library; otherwise the patch stays, byte for byte.
 */
import type {VFile} from 'vfile'
import {parse, stringify} from 'yaml'
import type {Edit} from './types.ts'

/** Apply edits (offsets relative to `text`) to a text, taking each edit's text as it comes. */
function patch(text: string, edits: ReadonlyArray<Edit>, decode: (segment: string) => string): string {
  let result = ''
  let last = 0
  for (const edit of edits) {
    result += decode(text.slice(last, edit.start)) + edit.text
    last = edit.end
  }

  return result + decode(text.slice(last))
}

/** What a scalar's source text means, with the edits' texts taken as values (not YAML). */
function intendedValue(raw: string, edits: ReadonlyArray<Edit>): string | undefined {
  const quote = raw.charAt(0)
  if (quote === '"' || quote === "'") {
    if (raw.charAt(raw.length - 1) !== quote || raw.length < 2) return undefined
    const inner = raw.slice(1, -1)
    const shifted = edits.map((edit) => ({...edit, start: edit.start - 1, end: edit.end - 1}))
    if (shifted.some((edit) => edit.start < 0 || edit.end > inner.length)) return undefined
    const decode =
      quote === "'"
        ? (segment: string) => segment.replaceAll("''", "'")
        : (segment: string) => {
            const value = doubleQuotedValue(segment)
            if (value === undefined) throw new Error('segment')
            return value
          }
    try {
      return patch(inner, shifted, decode)
    } catch {
      return undefined
    }
  }

  // Block scalars keep their patch: their content is not read as YAML syntax.
  if (quote === '|' || quote === '>') return undefined
  // A plain scalar: its text is its value, line breaks folded to spaces.
  return patch(raw, edits, (segment) => segment.replace(/[ \t]*\r?\n[ \t]*/g, ' '))
}

/** The value of a quoted YAML scalar; NUL when it is not one (no value read back equals it). */
function parseScalar(text: string): string {
  try {
    const value: unknown = parse(text, {logLevel: 'silent'})
    return typeof value === 'string' ? value : '\u0000'
  } catch {
    return '\u0000'
  }
}

/**
 * Text a one-line quoted YAML scalar reads as itself: no quote, backslash,
 * line break or other control character, byte order mark, line or
 * paragraph separator, or surrogate.
 */
const literal = /^[^\x00-\x1F\x7F-\x9F"'\\\u2028\u2029\uFEFF\uD800-\uDFFF]*$/

/**
 * A plain YAML scalar that is surely a string and reads as itself: a CJK
 * ideograph or full-width character first (never a number, a boolean, an
 * indicator), then those and ASCII letters and digits (no space, no `:` or
 * `#`, no flow indicator).
 */
const plainLiteral = /^[\u3400-\u9FFF\uF900-\uFAFF\u3001-\u303F\uFF01-\uFF5E][\u3400-\u9FFF\uF900-\uFAFF\u3001-\u303F\uFF01-\uFF5EA-Za-z\d]*$/

/**
 * What the inside of a double-quoted YAML scalar means: itself when it holds
 * nothing YAML reads otherwise (see `literal`), else as the YAML library
 * reads `"…"`.
 *
 * @param segment Text between the quotes.
 * @returns The value, or `undefined` when `"segment"` is not one string.
 */
export function doubleQuotedValue(segment: string): string | undefined {
  if (literal.test(segment)) return segment
  try {
    const value: unknown = parse(`"${segment}"`, {logLevel: 'silent'})
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether a patched scalar reads back as `value`, in a mapping or in a flow
 * sequence. A quoted scalar holding only literal text, or a plain one of
 * CJK text (see `plainLiteral`), reads as its text: compared without
 * parsing.
 *
 * @param patched The scalar as written.
 * @param value What it must mean.
 * @param flow Whether it is an item of a flow sequence.
 * @returns Whether it does.
 */
export function readsBack(patched: string, value: string, flow: boolean): boolean {
  const quote = patched.charAt(0)
  if ((quote === '"' || quote === "'") && patched.length >= 2 && patched.endsWith(quote) && literal.test(patched.slice(1, -1))) return patched.slice(1, -1) === value
  if (plainLiteral.test(patched)) return patched === value
  return readsBackParsed(patched, value, flow)
}

/**
 * {@link readsBack} by the YAML library: `x: patched` (or `x: [patched]`) parsed.
 *
 * @param patched The scalar as written.
 * @param value What it must mean.
 * @param flow Whether it is an item of a flow sequence.
 * @returns Whether it reads back as `value`.
 */
export function readsBackParsed(patched: string, value: string, flow: boolean): boolean {
  try {
    const data: unknown = parse(flow ? `x: [${patched}]` : `x: ${patched}`, {logLevel: 'silent', maxAliasCount: 0})
    const read = (data as {x?: unknown} | null)?.x
    return flow ? Array.isArray(read) && read.length === 1 && read[0] === value : read === value
  } catch {
    return false
  }
}

/**
 * Make the edits of converted front matter values safe as YAML.
 *
 * @param file The parsed article (its `fieldRanges` and source).
 * @param edits Every edit of the conversion, sorted by `start`.
 * @returns The edits, with those of a value that would not read back
 *   replaced by one edit writing the whole value, serialized.
 */
export function safeFrontmatterEdits(file: VFile, edits: ReadonlyArray<Edit>): Array<Edit> {
  // TOML front matter converts only the text inside one-line strings, which conversion
  // (Han characters, curly quotes) never breaks: no YAML to keep safe.
  if (file.data.frontmatterKind === 'toml') return [...edits]
  const source = String(file.value)
  let result = [...edits]
  for (const range of file.data.fieldRanges ?? []) {
    const inside = result.filter((edit) => edit.start >= range.start && edit.end <= range.end)
    if (inside.length === 0) continue
    const raw = source.slice(range.start, range.end)
    const relative = inside.map((edit) => ({...edit, start: edit.start - range.start, end: edit.end - range.start}))
    // An edit that replaces the whole value with a quoted scalar is YAML
    // already (a `-{T|…}-` title written by the rules stage): keep it.
    const whole = relative.length === 1 && relative[0]!.start === 0 && relative[0]!.end === raw.length ? relative[0]!.text : undefined
    if (whole !== undefined && /^["']/.test(whole) && readsBack(whole, parseScalar(whole), false)) continue
    const value = intendedValue(raw, relative)
    if (value === undefined) continue
    const patched = patch(raw, relative, (segment) => segment)
    const flow = /[[,]\s*$/.test(source.slice(Math.max(0, range.start - 40), range.start))
    if (readsBack(patched, value, flow)) continue
    const text = stringify(value, {defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0}).trimEnd()
    result = result.filter((edit) => !inside.includes(edit))
    result.push({start: range.start, end: range.end, text})
    result.sort((a, b) => a.start - b.start)
  }

  return result
}
