/**
 * Inline conversion rules in the syntax Chinese Wikipedia editors know:
 * `-{樂信}-` keeps its text as written in every variant;
 * `-{zh-Hans:鼠标;zh-TW:滑鼠;zh-HK:滑鼠}-` picks a text per variant.
 */
import {fallbackChain, resolveLocale, type Locale} from '../locales.ts'

/** One value of a per-variant rule or glossary entry. */
export interface Variant {
  locale: Locale
  text: string
}

/** A `-{…}-` rule found in a text. Offsets are in that text. */
export interface Rule {
  /** Offset of `-{`. */
  start: number
  /** Offset after `}-`. */
  end: number
  /** Per-variant values in written order; empty when the rule keeps its text as written. */
  variants: Array<Variant>
}

/** Malformed markup, at an offset of the text. */
export interface RuleProblem {
  offset: number
  reason: string
  ruleId: 'unterminated-rule' | 'malformed-rule'
}

const open = '-{'
const close = '}-'
/** A variant tag followed by a colon: `zh-Hans:`, `zh-tw :`. */
const variantTag = /(^|;)\s*(zh(?:-[A-Za-z]+)*)\s*:/g
/** Wikipedia's flags (`-{R|…}-`, `-{H|…}-`), which zhpress does not implement. */
const flags = /^\s*[A-Za-z+-](?:\s*;\s*[A-Za-z+-]+)*\s*\|/

/**
 * Find the rules of a text.
 *
 * @param text A run of article text (never code).
 * @returns The rules in order, and the problems of markup that is not a rule.
 */
export function findRules(text: string): {rules: Array<Rule>; problems: Array<RuleProblem>} {
  const rules: Array<Rule> = []
  const problems: Array<RuleProblem> = []
  let from = 0

  while (true) {
    const start = text.indexOf(open, from)
    if (start === -1) break
    const end = text.indexOf(close, start + open.length)
    const nested = text.indexOf(open, start + open.length)

    if (end === -1) {
      problems.push({
        offset: start,
        reason: 'unterminated `-{`: close the rule with `}-` (or write `-\\{` for a literal `-{`)',
        ruleId: 'unterminated-rule'
      })
      break
    }

    if (nested !== -1 && nested < end) {
      problems.push({
        offset: nested,
        reason: '`-{` inside a rule: rules do not nest; close the first rule with `}-` before opening another',
        ruleId: 'malformed-rule'
      })
      from = end + close.length
      continue
    }

    const content = text.slice(start + open.length, end)
    const parsed = parseContent(content)
    if (typeof parsed === 'string') {
      problems.push({offset: start, reason: parsed, ruleId: 'malformed-rule'})
    } else {
      rules.push({start, end: end + close.length, variants: parsed})
    }

    from = end + close.length
  }

  return {rules, problems}
}

/** Variants of a rule's content (empty: keep as written), or the reason it is malformed. */
function parseContent(content: string): Array<Variant> | string {
  if (content === '') return 'empty rule `-{}-`: write the text to keep between `-{` and `}-`, or remove the markup'
  if (flags.test(content)) {
    return 'rule flags such as `R|` or `H|` are not supported; write `-{text}-` or `-{zh-Hans:…;zh-TW:…}-`'
  }

  const tags = [...content.matchAll(variantTag)]
  if (tags.length === 0 || tags[0]!.index !== 0) return []

  const variants: Array<Variant> = []
  for (const [index, match] of tags.entries()) {
    const tag = match[2]!
    const locale = resolveLocale(tag)
    if (!locale) return `unknown variant \`${tag}\` in rule; use zh-Hans, zh-Hant, zh-TW or zh-HK (or zh-CN, zh-SG, zh-MO)`
    const valueStart = match.index + match[0].length
    const next = tags[index + 1]
    let value = content.slice(valueStart, next ? next.index : content.length)
    // A trailing `;` ends the last value (`zh-TW:滑鼠;`), as on Wikipedia.
    if (!next) value = value.replace(/;\s*$/, '')
    if (variants.some((variant) => variant.locale === locale)) continue
    variants.push({locale, text: value.trim()})
  }

  return variants
}

/**
 * The text a per-variant rule (or glossary entry) gives a locale: its own
 * value, else the first value along the fallback chain of DESIGN.md.
 *
 * @param variants Values in written order (not empty).
 * @param locale Target locale.
 * @returns The text, or `undefined` when the chain finds nothing: convert
 *   the first value from its locale with OpenCC then.
 */
export function pickVariant(variants: ReadonlyArray<Variant>, locale: Locale): string | undefined {
  for (const candidate of [locale, ...fallbackChain[locale]]) {
    const found = variants.find((variant) => variant.locale === candidate)
    if (found) return found.text
  }

  return undefined
}
