/**
 * The glossary: protected terms (kept as written in every variant) and terms
 * with a form per variant. Project-wide in `source/glossary.yaml`, per
 * article in front matter `glossary:`; both win over OpenCC's dictionaries.
 *
 * ```yaml
 * protect: [于先生, 乐信]
 * variants:
 *   - {zh-Hans: 出租车, zh-TW: 計程車, zh-HK: 的士}
 * ```
 */
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import type {Node as YamlNode} from 'yaml'
import {report} from '../diagnostics.ts'
import {yaml} from '../lazy.ts'
import {parseRule, resolveVariant, type Variant} from './rules.ts'

/** One glossary entry. */
export interface GlossaryEntry {
  /** Texts to look for in the source: every form of the entry. */
  terms: Array<string>
  /** Forms per variant in written order; empty for a protected term. */
  variants: Array<Variant>
}

export interface Glossary {
  /** Entries in priority order: the first entry with a term wins. */
  entries: Array<GlossaryEntry>
}

/** A glossary term found in a text. Offsets are in that text. */
export interface TermMatch {
  start: number
  end: number
  variants: Array<Variant>
}

/** A problem in glossary YAML, at an offset of the YAML text. */
export interface GlossaryProblem {
  offset: number
  reason: string
}

const keys = ['protect', 'variants']

/**
 * Read a glossary from a YAML node (the whole glossary.yaml document, or the
 * value of front matter `glossary:`).
 *
 * @param node YAML node, with source ranges.
 * @param report Called for every problem, with the offset in the YAML text.
 * @returns The valid entries.
 */
export function glossaryFromYaml(node: unknown, report: (problem: GlossaryProblem) => void): Glossary {
  const glossary: Glossary = {entries: []}
  if (node === null || node === undefined || (yaml().isScalar(node) && node.value === null)) return glossary
  if (!yaml().isMap(node)) {
    report({offset: rangeOf(node), reason: 'a glossary is a mapping with `protect:` (a list of terms) and `variants:` (a list of `{zh-Hans: …, zh-TW: …}`)'})
    return glossary
  }

  for (const pair of node.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : ''
    if (!keys.includes(key)) {
      report({offset: rangeOf(pair.key), reason: `unknown glossary key \`${key}\`; use \`protect\` or \`variants\``})
      continue
    }

    const value = pair.value
    if (value === null || (yaml().isScalar(value) && value.value === null)) continue
    if (!yaml().isSeq(value)) {
      report({offset: rangeOf(value ?? pair.key), reason: `glossary \`${key}\` must be a list`})
      continue
    }

    for (const item of value.items) {
      const entry = key === 'protect' ? readProtected(item, report) : readVariants(item, report)
      if (entry) glossary.entries.push(entry)
    }
  }

  return glossary
}

function readProtected(item: unknown, report: (problem: GlossaryProblem) => void): GlossaryEntry | undefined {
  const text = scalarText(item)
  if (text === undefined || text.trim() === '') {
    report({offset: rangeOf(item), reason: 'a protected term is a non-empty text, such as `于先生`'})
    return undefined
  }

  return {terms: [text.trim()], variants: []}
}

function readVariants(item: unknown, report: (problem: GlossaryProblem) => void): GlossaryEntry | undefined {
  const line = scalarText(item)
  if (line !== undefined) return readRuleLine(line, item, report)
  if (!yaml().isMap(item) || item.items.length === 0) {
    report({offset: rangeOf(item), reason: 'a variants entry is a mapping of locale to text, such as `{zh-Hans: 出租车, zh-TW: 計程車}`'})
    return undefined
  }

  const variants: Array<Variant> = []
  for (const pair of item.items) {
    const tag = yaml().isScalar(pair.key) ? String(pair.key.value) : ''
    const variant = resolveVariant(tag)
    if (!variant) {
      report({offset: rangeOf(pair.key), reason: `unknown locale \`${tag}\` in glossary; use zh-Hans, zh-Hant, zh-TW or zh-HK (or the Wikipedia codes zh-cn, zh-sg, zh-my, zh-hans, zh-tw, zh-hk, zh-mo, zh-hant, zh)`})
      return undefined
    }

    if (variants.some((each) => each.variant === variant)) {
      report({offset: rangeOf(pair.key), reason: `\`${tag}\` is given twice in one glossary entry (zh-Hans is zh-hans, zh-TW is zh-tw)`})
      return undefined
    }

    const text = scalarText(pair.value)
    if (text === undefined || text.trim() === '') {
      report({offset: rangeOf(pair.value ?? pair.key), reason: `the \`${tag}\` form of a glossary entry must be a non-empty text`})
      return undefined
    }

    variants.push({variant, text: text.trim()})
  }

  return {terms: [...new Set(variants.map((variant) => variant.text))], variants}
}

/** A rule pasted from a Wikipedia conversion group: `zh-cn:内存; zh-sg:内存; zh-tw:記憶體;`. */
function readRuleLine(line: string, item: unknown, report: (problem: GlossaryProblem) => void): GlossaryEntry | undefined {
  const rule = parseRule(line)
  const [problem] = rule.problems
  if (problem || rule.bid.size === 0 || rule.unid.size > 0 || rule.flags[0] !== 'S') {
    report({
      offset: rangeOf(item),
      reason: problem?.reason ?? 'a variants line is a two-way Wikipedia rule such as `zh-cn:内存; zh-tw:記憶體;` (no flags, no `=>`), or a mapping `{zh-Hans: …, zh-TW: …}`'
    })
    return undefined
  }

  const variants: Array<Variant> = [...rule.bid].map(([variant, text]) => ({variant, text}))
  return {terms: [...new Set(variants.map((variant) => variant.text))], variants}
}

function scalarText(node: unknown): string | undefined {
  if (!yaml().isScalar(node)) return undefined
  const value = node.value
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

function rangeOf(node: unknown): number {
  return (node as YamlNode | undefined)?.range?.[0] ?? 0
}

/**
 * Parse a glossary file (`source/glossary.yaml`). Problems are fatal
 * messages on the file, with line and column; the valid entries are kept.
 *
 * @param file The glossary file, decoded.
 * @returns Its entries.
 */
export function parseGlossary(file: VFile): Glossary {
  const text = String(file.value)
  const where = location(file)
  const fail = (offset: number, reason: string) => {
    report(file, 'broken-glossary', {reason}, {place: where.toPoint(offset)})
  }

  const document = yaml().parseDocument(text, {prettyErrors: false, uniqueKeys: true, logLevel: 'error'})
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    fail(error.pos[0], `broken glossary: ${error.message.split('\n')[0]}; fix the YAML`)
    return {entries: []}
  }

  return glossaryFromYaml(document.contents, (problem) => fail(problem.offset, problem.reason))
}

/**
 * Join glossaries; earlier ones win where they share a term.
 *
 * @param glossaries Glossaries in priority order (article first, then project).
 * @returns One glossary.
 */
export function mergeGlossaries(...glossaries: Array<Glossary | undefined>): Glossary {
  return {entries: glossaries.flatMap((glossary) => glossary?.entries ?? [])}
}

/**
 * Find glossary terms in a text, leftmost and longest first.
 *
 * @param glossary Entries in priority order.
 * @param text A run of article text.
 * @param skip Ranges not to look in (inline rules), sorted.
 * @returns Matches in order, never overlapping `skip` or each other.
 */
export function findTerms(glossary: Glossary, text: string, skip: ReadonlyArray<{start: number; end: number}>): Array<TermMatch> {
  const byFirst = new Map<string, Array<{term: string; entry: GlossaryEntry}>>()
  for (const entry of glossary.entries) {
    for (const term of entry.terms) {
      const first = String.fromCodePoint(term.codePointAt(0)!)
      const list = byFirst.get(first) ?? []
      // The first entry with a term wins, so later duplicates are dropped.
      if (!list.some((item) => item.term === term)) list.push({term, entry})
      byFirst.set(first, list)
    }
  }

  for (const list of byFirst.values()) list.sort((a, b) => b.term.length - a.term.length)

  const matches: Array<TermMatch> = []
  let skipIndex = 0
  let index = 0
  while (index < text.length) {
    while (skipIndex < skip.length && skip[skipIndex]!.end <= index) skipIndex++
    const blocked = skip[skipIndex]
    if (blocked && blocked.start <= index) {
      index = blocked.end
      continue
    }

    const char = String.fromCodePoint(text.codePointAt(index)!)
    const limit = blocked ? blocked.start : text.length
    const found = byFirst.get(char)?.find((item) => index + item.term.length <= limit && text.startsWith(item.term, index))
    if (found) {
      matches.push({start: index, end: index + found.term.length, variants: found.entry.variants})
      index += found.term.length
    } else {
      index += char.length
    }
  }

  return matches
}

