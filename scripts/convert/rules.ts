/**
 * Inline conversion rules in the syntax Chinese Wikipedia editors know —
 * MediaWiki's LanguageConverter markup, flags included:
 * `-{樂信}-` keeps its text as written in every variant;
 * `-{zh-cn:鼠标;zh-tw:滑鼠;zh-hk:滑鼠}-` picks a text per variant;
 * `-{H|zh-cn:计算机;zh-tw:電腦}-` adds a conversion for the rest of the article.
 *
 * This module holds the syntax (finding, parsing, describing a rule) and the
 * per-article tables that `H`/`A` rules fill; `index.ts` walks an article and
 * applies them in order.
 */
import {traditional, type Locale} from '../locales.ts'

/** MediaWiki's Chinese variant codes. `zh` is the text as written, the last fallback. */
export const mwVariants = ['zh', 'zh-hans', 'zh-hant', 'zh-cn', 'zh-hk', 'zh-mo', 'zh-my', 'zh-sg', 'zh-tw'] as const

export type MwVariant = (typeof mwVariants)[number]

/** One value of a per-variant rule or glossary entry. */
export interface Variant {
  variant: MwVariant
  text: string
}

/** A `-{…}-` found in a text, with the rules nested in it. Offsets are in that text. */
export interface RuleNode {
  /** Offset of `-{`. */
  start: number
  /** Offset after `}-`. */
  end: number
  children: Array<RuleNode>
}

/** Rule ids of the problems of inline rules. */
export type RuleProblemId = 'unterminated-rule' | 'malformed-rule' | 'rule-flag-ignored' | 'rule-not-applied'

/** A problem of rule markup, at an offset of the text. */
export interface RuleProblem {
  offset: number
  reason: string
  /** Its severity is the catalogue's (`scripts/diagnostics.ts`): errors stop the article. */
  ruleId: RuleProblemId
}

/** A rule's flags and tables, as MediaWiki's ConverterRule reads them. */
export interface ParsedRule {
  /** Effective flags in MediaWiki's order: S (show), R (raw), N, D, H, -, +, T. */
  flags: Array<string>
  /** Variants of a filter `-{zh-hans;zh-hant|…}-`; empty otherwise. */
  filter: Array<MwVariant>
  /** The text after the flags. */
  rules: string
  /** Offset of `rules` in the rule's content. */
  rulesOffset: number
  /** Two-way values, in written order (a variant written twice keeps its place, the last value wins). */
  bid: Map<MwVariant, string>
  /** One-way rules `from=>variant:to`. */
  unid: Map<MwVariant, Map<string, string>>
  problems: Array<Omit<RuleProblem, 'offset'>>
}

/** What a rule gives one locale. */
export interface RuleOutcome {
  /** The text that replaces the markup. */
  display: string
  /** Whether `display` is the rule's text as written (only the markup goes). */
  raw: boolean
  /** Page title set by a `T` rule. */
  title?: string
  /** `add` for `A`/`H` rules, `remove` for `-` rules. */
  action?: 'add' | 'remove'
}

const bcp47: Record<string, MwVariant> = {
  'zh-hans-cn': 'zh-cn',
  'zh-hans-sg': 'zh-sg',
  'zh-hans-my': 'zh-my',
  'zh-hant-tw': 'zh-tw',
  'zh-hant-hk': 'zh-hk',
  'zh-hant-mo': 'zh-mo'
}

/**
 * Where an output locale looks for its text among a rule's values, in order:
 * its own codes (zh-cn before zh-sg, zh-hk before zh-mo), the fallbacks of
 * Chinese Wikipedia, then `zh` (the text as written), as zhconv does.
 */
export const variantChain: Record<Locale, ReadonlyArray<MwVariant>> = {
  'zh-Hans': ['zh-cn', 'zh-hans', 'zh-sg', 'zh-my', 'zh'],
  'zh-Hant': ['zh-hant', 'zh-tw', 'zh-hk', 'zh-mo', 'zh'],
  'zh-TW': ['zh-tw', 'zh-hant', 'zh-hk', 'zh-mo', 'zh'],
  'zh-HK': ['zh-hk', 'zh-mo', 'zh-hant', 'zh-tw', 'zh']
}

/** MediaWiki's fallbacks, used to fill a rule's table for every variant. */
const mwFallbacks: Record<MwVariant, ReadonlyArray<MwVariant>> = {
  zh: ['zh-hans', 'zh-hant', 'zh-cn', 'zh-tw', 'zh-hk', 'zh-sg', 'zh-mo', 'zh-my'],
  'zh-hans': ['zh-cn', 'zh-sg', 'zh-my'],
  'zh-hant': ['zh-tw', 'zh-hk', 'zh-mo'],
  'zh-cn': ['zh-hans', 'zh-sg', 'zh-my'],
  'zh-sg': ['zh-hans', 'zh-cn', 'zh-my'],
  'zh-my': ['zh-hans', 'zh-sg', 'zh-cn'],
  'zh-tw': ['zh-hant', 'zh-hk', 'zh-mo'],
  'zh-hk': ['zh-hant', 'zh-mo', 'zh-tw'],
  'zh-mo': ['zh-hant', 'zh-hk', 'zh-tw']
}

/**
 * The MediaWiki view each output is (README, Coming from Wikipedia): the
 * variant whose conversion table `H`/`A` rules fill for it.
 */
export const localeView: Record<Locale, MwVariant> = {
  'zh-Hans': 'zh-cn',
  'zh-Hant': 'zh-hant',
  'zh-TW': 'zh-tw',
  'zh-HK': 'zh-hk'
}

/**
 * MediaWiki's manual conversion levels for Chinese (`LanguageZh`): the
 * script-only views zh-hans and zh-hant take only one-way rules written for
 * them, `zh` takes none, the regional variants take both kinds.
 */
const manualLevel: Record<MwVariant, 'bidirectional' | 'unidirectional' | 'disable'> = {
  zh: 'disable',
  'zh-hans': 'unidirectional',
  'zh-hant': 'unidirectional',
  'zh-cn': 'bidirectional',
  'zh-hk': 'bidirectional',
  'zh-mo': 'bidirectional',
  'zh-my': 'bidirectional',
  'zh-sg': 'bidirectional',
  'zh-tw': 'bidirectional'
}

/** The output locale a variant's value is written for; `zh` is in the article's own script. */
export const variantLocale: Record<MwVariant, Locale | undefined> = {
  zh: undefined,
  'zh-hans': 'zh-Hans',
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-my': 'zh-Hans',
  'zh-hant': 'zh-Hant',
  'zh-tw': 'zh-TW',
  'zh-hk': 'zh-HK',
  'zh-mo': 'zh-HK'
}

/** Names MediaWiki shows for the variants (`D` and `N` flags). */
export const variantNames: Record<MwVariant, string> = {
  zh: '原文',
  'zh-hans': '简体',
  'zh-hant': '繁體',
  'zh-cn': '大陆',
  'zh-tw': '臺灣',
  'zh-hk': '香港',
  'zh-mo': '澳門',
  'zh-sg': '新加坡',
  'zh-my': '大马'
}

const flagLetters = new Set(['A', 'T', 'R', 'D', '-', 'H', 'N'])
/** MediaWiki nests rules at most this deep. */
const maxDepth = 10
/** A tag that looks like a Chinese variant: `zh-xx:` or `zh-Hant-TW :`. */
const variantLike = /^zh(?:-[A-Za-z]+)*$/
/** A `;` that starts a new value: followed by `variant:` or `from=>variant:`. */
const separator = /;\s*(?=(zh(?:-[A-Za-z]+)*)\s*:|[^;]*?=>\s*(zh(?:-[A-Za-z]+)*)\s*:|\s*$)/g

/**
 * Resolve a variant code as MediaWiki does: case-insensitive, BCP 47 forms
 * (`zh-Hant-TW`) and zhpress's tags (`zh-Hans`, `zh-TW`) included.
 *
 * @param tag The code as written.
 * @returns The code, or `undefined` when it is not a Chinese variant.
 */
export function resolveVariant(tag: string): MwVariant | undefined {
  const lower = tag.trim().toLowerCase()
  if ((mwVariants as ReadonlyArray<string>).includes(lower)) return lower as MwVariant
  return bcp47[lower]
}

/** A Latin letter, digit, `_` or `-` just before `-{`: the `-{` is part of a name. */
const nameCharacter = /[\w-]/
/**
 * A placeholder's name: one token of ASCII, with none of MediaWiki's rule
 * syntax (`zh-…:`, `X|`, `;`). Kept as written by a rule, such a token would
 * read the same anyway: OpenCC converts no ASCII.
 */
const placeholderName = /^[^\s{}:|;\u0080-\uFFFF]+\}/

/**
 * Whether the `-{` at `open` is text, not a rule: it continues a name or an
 * option and encloses one token up to `}` (`prometheus-{version}-linux-{arch}.tar.gz`,
 * `--{component}`: placeholders as technical documentation writes them).
 * A rule right after a Latin word (`iPhone-{zh-cn:手机;zh-tw:手機}-`,
 * `App-{樂信}-`, `X-{ 外 }-X`) keeps working: its content has rule syntax,
 * Chinese or spaces.
 */
function isPlaceholder(text: string, open: number): boolean {
  return open > 0 && nameCharacter.test(text[open - 1]!) && placeholderName.test(text.slice(open + 2, open + 200))
}

/**
 * Find the rules of a text, nested ones inside their parent.
 * A `}-` outside a rule is text, as on Wikipedia, and so is a `-{` that
 * continues a name, such as a placeholder `name-{version}` (see `isPlaceholder`).
 *
 * @param text A run of article text (never code).
 * @returns The outermost rules in order, and the problems of markup that is not a rule.
 */
export function findRules(text: string): {rules: Array<RuleNode>; problems: Array<RuleProblem>} {
  const rules: Array<RuleNode> = []
  const problems: Array<RuleProblem> = []
  const stack: Array<RuleNode> = []
  const token = /-\{|\}-/g
  let index = 0

  while (true) {
    if (stack.length === 0) {
      const open = text.indexOf('-{', index)
      if (open === -1) break
      if (isPlaceholder(text, open)) {
        index = open + 2
        continue
      }
      stack.push({start: open, end: -1, children: []})
      index = open + 2
      continue
    }

    token.lastIndex = index
    const found = token.exec(text)
    if (!found) {
      problems.push({
        offset: stack[0]!.start,
        reason: 'unterminated `-{`: close the rule with `}-` (or write `-\\{` for a literal `-{`)',
        ruleId: 'unterminated-rule'
      })
      break
    }

    if (found[0] === '-{') {
      if (stack.length >= maxDepth) {
        problems.push({
          offset: found.index,
          reason: `rules nested more than ${maxDepth} deep; MediaWiki stops there too: flatten the rules`,
          ruleId: 'malformed-rule'
        })
        // Skip the rest of the outermost rule.
        stack.splice(1)
        index = found.index + 2
        continue
      }

      stack.push({start: found.index, end: -1, children: []})
      index = found.index + 2
      continue
    }

    const node = stack.pop()!
    node.end = found.index + 2
    const parent = stack.at(-1)
    if (parent) parent.children.push(node)
    else rules.push(node)
    index = node.end
  }

  return {rules, problems}
}

/**
 * Read the content of a rule (between `-{` and `}-`, nested rules already
 * replaced by what they show) as MediaWiki's ConverterRule does.
 *
 * @param content The rule's content.
 * @returns Flags, values and problems.
 */
export function parseRule(content: string): ParsedRule {
  const problems: ParsedRule['problems'] = []
  const given: Array<string> = []
  const filter: Array<MwVariant> = []
  let rules = content
  let rulesOffset = 0
  const bar = content.indexOf('|')

  if (bar !== -1) {
    // In a Markdown table the bar is written `\|`.
    const head = content.slice(0, bar).replace(/\\$/, '')
    rules = content.slice(bar + 1)
    rulesOffset = bar + 1
    const unknown: Array<string> = []
    for (const part of head.split(';')) {
      const flag = part.trim()
      if (flagLetters.has(flag)) given.push(flag)
      else if (resolveVariant(flag) && variantLike.test(flag)) filter.push(resolveVariant(flag)!)
      else unknown.push(flag)
    }

    if (given.length === 0 && filter.length === 0) {
      problems.push({
        reason: `\`${head}|\` is no flag: the rule shows only the text after \`|\`, as on Wikipedia; remove \`${head}|\` or write a flag (A, H, T, R, D, -, N) or variants (zh-hans;zh-hant)`,
        ruleId: 'rule-flag-ignored'
      })
    } else if (unknown.length > 0) {
      problems.push({
        reason: `unknown rule flag ${unknown.map((flag) => `\`${flag}\``).join(', ')} is ignored, as on Wikipedia; flags are A, H, T, R, D, -, N or variants`,
        ruleId: 'rule-flag-ignored'
      })
    }
  }

  let flags = normaliseFlags(given, filter.length)
  // Variants among the flags make a filter only where MediaWiki looks for them.
  if (flags.length === 0) flags = ['R']
  else filter.splice(0)

  const bid = new Map<MwVariant, string>()
  const unid = new Map<MwVariant, Map<string, string>>()
  // `-{zh-hans:;zh-hant:}-`: every value given is empty, so the rule shows nothing (as zhconv does).
  let empty = false
  if (filter.length === 0 && !flags.includes('R') && !flags.includes('N')) {
    empty = readTables(rules, bid, unid, problems)
  }

  if (bid.size === 0 && unid.size === 0 && filter.length === 0 && !empty) {
    if (flags.includes('+') || flags.includes('-')) {
      // `-{H|text}-`: the text, as written, in every variant.
      if (rules !== '') for (const variant of mwVariants) bid.set(variant, rules)
    } else if (!flags.includes('N') && !flags.includes('T')) {
      flags = ['R']
    }
  }

  if (flags.includes('N') && !resolveVariant(rules)) {
    problems.push({
      reason: `\`-{N|…}-\` names only the Chinese variants (zh-cn, zh-tw, zh-hk…); \`${rules.trim()}\` is not one, so it shows nothing: write the language's name as text`,
      ruleId: 'rule-not-applied'
    })
  }

  return {flags, filter, rules, rulesOffset, bid, unid, problems}
}

/** MediaWiki's reading of the flags given; empty when the variants given make a filter. */
function normaliseFlags(given: Array<string>, variants: number): Array<string> {
  const has = (flag: string) => given.includes(flag)
  const unique = [...new Set(given)]
  if (unique.length + variants === 0) return ['S']
  if (has('R')) return ['R']
  if (has('N')) return ['N']
  if (has('-')) return ['-']
  if (unique.length === 1 && variants === 0 && has('T')) return ['T', 'H']
  if (has('H')) return ['+', 'H', ...(has('T') ? ['T'] : []), ...(has('D') ? ['D'] : [])]
  if (variants > 0) return []
  const flags = [...unique]
  if (has('A')) flags.push('+', 'S')
  return has('D') ? flags.filter((flag) => flag !== 'S') : flags
}

/** Split a rule's text into two-way and one-way values. */
function readTables(
  rules: string,
  bid: Map<MwVariant, string>,
  unid: Map<MwVariant, Map<string, string>>,
  problems: ParsedRule['problems']
): boolean {
  let empty = false
  const choices: Array<string> = []
  let last = 0
  separator.lastIndex = 0
  for (const match of rules.matchAll(separator)) {
    const tag = match[1] ?? match[2]
    // Only a real variant starts a value: `;zh-xx:` stays part of the value, as on Wikipedia.
    if (tag !== undefined && !resolveVariant(tag)) {
      problems.push({reason: unknownVariant(tag), ruleId: 'malformed-rule'})
      continue
    }

    choices.push(rules.slice(last, match.index))
    last = match.index + 1
  }

  choices.push(rules.slice(last))

  for (const choice of choices) {
    const colon = choice.indexOf(':')
    if (colon === -1) continue
    const to = choice.slice(colon + 1).trim()
    const head = choice.slice(0, colon).trim()
    const arrow = head.indexOf('=>')
    const tag = arrow === -1 ? head : head.slice(arrow + 2).trim()
    const variant = resolveVariant(tag)
    if (!variant) {
      if (variantLike.test(tag)) problems.push({reason: unknownVariant(tag), ruleId: 'malformed-rule'})
      // Not a rule: MediaWiki shows the whole text as written.
      bid.clear()
      unid.clear()
      return false
    }

    if (arrow === -1) {
      if (to !== '') bid.set(variant, to)
      else empty = true
      continue
    }

    const from = head.slice(0, arrow).trim()
    if (from === '') continue
    const table = unid.get(variant) ?? new Map<string, string>()
    table.set(from, to)
    unid.set(variant, table)
  }

  return empty
}

function unknownVariant(tag: string): string {
  return `unknown variant \`${tag}\` in rule; use zh-cn, zh-sg, zh-my, zh-hans, zh-tw, zh-hk, zh-mo, zh-hant or zh (or the zhpress tags zh-Hans, zh-Hant, zh-TW, zh-HK)`
}

/**
 * The text a per-variant rule (or glossary entry) gives a locale: the first
 * value along the locale's chain ({@link variantChain}).
 *
 * @param variants Values in written order.
 * @param locale Target locale.
 * @returns The text, or `undefined` when the chain finds nothing: convert
 *   the first value from its locale with OpenCC then.
 */
export function pickVariant(variants: ReadonlyArray<Variant>, locale: Locale): string | undefined {
  for (const candidate of variantChain[locale]) {
    let found: string | undefined
    for (const variant of variants) if (variant.variant === candidate) found = variant.text
    if (found !== undefined) return found
  }

  return undefined
}

/**
 * What a parsed rule gives a locale, following MediaWiki's flags.
 *
 * @param rule The parsed rule.
 * @param locale Target locale.
 * @param convert Converts a text written for `from` (`undefined`: the article's own script) into the target.
 * @param autoConvert Converts a text, whatever its script, into a variant
 *   with the article's rules for it (a filter's text); default: `convert`.
 * @returns The display and the rule's effect.
 */
export function ruleOutcome(
  rule: ParsedRule,
  locale: Locale,
  convert: (text: string, from: Locale | undefined) => string,
  autoConvert?: (text: string, variant: MwVariant) => string
): RuleOutcome {
  if (rule.filter.length > 0) {
    // MediaWiki's ConverterRule: the output's own variant if listed, else
    // the first of its fallbacks that is; the text is converted into that
    // variant (its H/A rules included), whatever its script.
    const view = localeView[locale]
    const match = rule.filter.includes(view) ? view : mwFallbacks[view].find((variant) => rule.filter.includes(variant))
    if (match) return {display: autoConvert ? autoConvert(rule.rules, match) : convert(rule.rules, traditional[locale] ? 'zh-Hans' : 'zh-TW'), raw: false}
    return {display: rule.rules, raw: true}
  }

  const outcome: RuleOutcome = {display: '', raw: false}
  for (const flag of rule.flags) {
    if (flag === 'R') {
      outcome.display = rule.rules
      outcome.raw = true
    } else if (flag === 'N') {
      const variant = resolveVariant(rule.rules)
      outcome.display = variant ? variantNames[variant] : ''
      outcome.raw = false
    } else if (flag === 'D') {
      outcome.display = describeRule(rule)
      outcome.raw = false
    } else if (flag === 'H' || flag === '-' || flag === '+') {
      outcome.display = ''
      outcome.raw = false
      if (flag !== 'H') outcome.action = flag === '+' ? 'add' : 'remove'
    } else if (flag === 'S') {
      outcome.display = showRule(rule, locale, convert)
      outcome.raw = false
    } else if (flag === 'T') {
      outcome.title = rule.bid.size + rule.unid.size === 0 ? rule.rules : showRule(rule, locale, convert)
      outcome.display = ''
      outcome.raw = false
    }
  }

  return outcome
}

/** The text an `S` rule shows in a locale. */
function showRule(rule: ParsedRule, locale: Locale, convert: (text: string, from: Locale | undefined) => string): string {
  const chain = variantChain[locale]
  for (const variant of chain) {
    const text = rule.bid.get(variant)
    if (text !== undefined) return text
  }

  for (const variant of chain) {
    const table = rule.unid.get(variant)
    if (table) return table.values().next().value!
  }

  if (rule.bid.size + rule.unid.size === 0) return ''
  // Nothing along the chain: the first value, converted by OpenCC.
  const [first] = rule.bid
  if (first) return convert(first[1], variantLocale[first[0]])
  const [firstUnid] = rule.unid
  return firstUnid ? firstUnid[1].keys().next().value! : rule.rules
}

/**
 * A `D` rule's description, as MediaWiki writes it: `大陆：计算机；臺灣：電腦；`.
 *
 * @param rule The parsed rule.
 * @returns The description.
 */
export function describeRule(rule: ParsedRule): string {
  let text = ''
  for (const [variant, value] of rule.bid) text += `${variantNames[variant]}：${value}；`
  for (const [variant, table] of rule.unid) {
    for (const [from, to] of table) text += `${from}⇒${variantNames[variant]}：${to}；`
  }

  return text
}

/** Conversions added by `A`/`H` rules so far, per variant, as MediaWiki keeps them. */
export type RuleTables = Map<MwVariant, Map<string, string>>

/**
 * Add or remove a rule's conversions, as MediaWiki's `generateConvTable`
 * does: every value of a two-way rule converts to each variant's value
 * (missing variants filled from their fallbacks), one-way rules add theirs.
 *
 * @param tables The article's tables so far (changed in place: they are the walk's state).
 * @param rule The parsed rule.
 * @param action What to do.
 * @returns How many entries were removed (for `remove`).
 */
export function applyRuleTables(tables: RuleTables, rule: ParsedRule, action: 'add' | 'remove'): number {
  const pairs = new Map<MwVariant, Map<string, string>>()
  const filled = new Map<MwVariant, string>()
  const marked: Array<MwVariant> = []
  for (const variant of mwVariants) {
    let value = rule.bid.get(variant)
    if (value === undefined) {
      // `zh` last, as zhconv reads it (README: the last fallback).
      const fallback = mwFallbacks[variant].find((each) => rule.bid.has(each)) ?? (variant === 'zh' ? undefined : 'zh')
      if (fallback) value = rule.bid.get(fallback)
    }

    if (value !== undefined) {
      filled.set(variant, value)
      const own = pairs.get(variant) ?? new Map<string, string>()
      pairs.set(variant, own)
      for (const other of marked) {
        // MediaWiki's manual levels: only the regional variants take two-way pairs.
        if (manualLevel[variant] === 'bidirectional') own.set(filled.get(other)!, value)
        if (manualLevel[other] === 'bidirectional') pairs.get(other)!.set(value, filled.get(other)!)
      }

      marked.push(variant)
    }

    const oneWay = manualLevel[variant] === 'disable' ? undefined : rule.unid.get(variant)
    if (oneWay) {
      const own = pairs.get(variant) ?? new Map<string, string>()
      for (const [from, to] of oneWay) own.set(from, to)
      pairs.set(variant, own)
    }
  }

  let removed = 0
  for (const [variant, own] of pairs) {
    const table = tables.get(variant) ?? new Map<string, string>()
    tables.set(variant, table)
    for (const [from, to] of own) {
      if (action === 'add') table.set(from, to)
      else if (table.delete(from)) removed++
    }
  }

  return removed
}

/**
 * The conversions of the tables that apply to a locale: for each text, the
 * value of the first variant along the locale's chain that has one.
 *
 * @param tables The article's tables.
 * @param locale Target locale.
 * @returns Text → replacement.
 */
export function tableFor(tables: RuleTables, locale: Locale): Map<string, string> {
  return tables.get(localeView[locale]) ?? new Map<string, string>()
}
