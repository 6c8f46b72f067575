/**
 * Convert an article into one locale as edits against its source text.
 *
 * Per run of text (see `blocks.ts`): inline rules and glossary terms are cut
 * out first (their text is protected, and a boundary OpenCC's phrases never
 * cross), OpenCC converts the stretches between them with alignment, the
 * quotation marks are restyled, and every changed piece is mapped back onto
 * the source spans it covers.
 */
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {location} from 'vfile-location'
import {report, stopOnErrors} from '../diagnostics.ts'
import {traditional, type Locale} from '../locales.ts'
import {yaml} from '../lazy.ts'
import {applyEdits} from '../render-markdown.ts'
import type {Edit} from '../types.ts'
import {collectBlocks, type Block, type Run} from './blocks.ts'
import {detectScript} from './detect.ts'
import {getConverter, type Converter} from './engine.ts'
import {findTerms, mergeGlossaries, type Glossary, type GlossaryEntry} from './glossary.ts'
import {lintTraditional, type LintFinding} from './lint.ts'
import {contentMarks, createQuoteState, mapQuotes, resolveQuoteStyle, type QuoteSetting, type QuoteState, type QuoteStyle} from './quotes.ts'
import type {ReviewItem} from './review.ts'
import {context, reviewItems, standardForms} from './shared.ts'
import {
  applyRuleTables,
  findRules,
  parseRule,
  pickVariant,
  ruleOutcome,
  tableFor,
  variantChain,
  variantLocale,
  type RuleNode,
  type RuleProblem,
  type MwVariant,
  type RuleTables,
  type Variant
} from './rules.ts'

export {context, reviewItems, reviewPiece, roundTrips, standardForms} from './shared.ts'

/** The lint's findings per stretch of an article's text. */
type LintCache = Map<string, Array<LintFinding>>

declare module 'vfile' {
  interface DataMap {
    /** Front matter `glossary:` of the article. */
    glossary?: Glossary
    /** Front matter `quotes:` of the article. */
    quotes?: QuoteSetting
    /** Word-aware corrections (default on); `false`: exactly opencc-js (`--no-corrections`). */
    corrections?: boolean
    /** Keep a Traditional source's non-standard forms (`--keep-source-forms`). */
    keepSourceForms?: boolean
    /** The lint's findings per stretch of text, shared by every locale's conversion and the report. */
    lintCache?: LintCache
  }
}

export interface ConvertOptions {
  /** Locale to convert into. */
  to: Locale
  /** Project glossary; the article's own `glossary:` comes first. */
  glossary?: Glossary
  /** Quote style of the output; default: front matter `quotes`, then the locale's default. */
  quotes?: QuoteStyle
  /** Word-aware corrections; default: `file.data.corrections`, then on. */
  corrections?: boolean
}

export interface ConvertResult {
  /** Replacements of source ranges, sorted by offset, never overlapping. */
  edits: Array<Edit>
  /** How many characters OpenCC or the glossary changed. */
  converted: number
  /** Characters converted by a one-to-many fallback, to review. */
  review: Array<ReviewItem>
  /** The title a `-{T|…}-` rule gives this locale (the last one wins). */
  title?: string
}

/** Options of {@link convertText}. */
export interface TextOptions {
  from: Locale
  to: Locale
  glossary?: Glossary
  /** Default: the locale's default (corner brackets for zh-TW and zh-HK, curly quotes for zh-Hans). */
  quotes?: QuoteStyle
  /** Word-aware corrections (default on); `false` gives exactly opencc-js's conversion. */
  corrections?: boolean
  /** Keep a Traditional text's non-standard forms (聯系) as written (default: standard forms). */
  keepSourceForms?: boolean
}

/** A glossary term (or a term of an `H`/`A` rule) found in a run. */
interface Region {
  start: number
  end: number
  variants: Array<Variant>
}

/** A run with its text. */
interface Prepared {
  run: Run
  /** Offset in `text` where each span starts. */
  starts: Array<number>
  text: string
}

/** Output for a range of a run's text. */
interface OutputPiece {
  start: number
  end: number
  text: string
  /** Whether the change counts as converted characters. */
  counted: boolean
}

/**
 * Convert every text run of an article into one locale.
 *
 * @param tree Parsed article.
 * @param file The article (source text, front matter ranges, source locale,
 *   its own glossary and quote setting). Malformed `-{` markup fails it.
 * @param options Target locale, project glossary, quote style.
 * @returns Edits against the source text, and the characters to review.
 */
export function convertArticle(tree: Root, file: VFile, options: ConvertOptions): ConvertResult {
  return convertBlocks(collectBlocks(tree, file), file, options)
}

/**
 * Convert a plain text file (no Markdown): the whole text is one run.
 *
 * @param file The text, with `data.sourceLocale` set.
 * @param options Target locale, glossary, quote style.
 * @returns Edits and the characters to review.
 */
export function convertPlain(file: VFile, options: ConvertOptions): ConvertResult {
  const length = String(file.value).length
  return convertBlocks(length > 0 ? [[[{start: 0, end: length}]]] : [], file, options)
}

/** What {@link convertTextReport} gives back. */
export interface TextReport {
  /** The converted text (the input as written when an error stopped the conversion). */
  value: string
  /** Every problem of the text's rule markup, in order; errors are `fatal`. */
  messages: Array<VFileMessage>
  /** The title a `-{T|…}-` rule gives the target locale. */
  title?: string
}

/**
 * Convert a plain text and report every problem of its rule markup as data;
 * never throws on content.
 *
 * @param text Text in `options.from`.
 * @param options Locales, glossary, quote style.
 * @returns The converted text and the messages.
 */
export function convertTextReport(text: string, options: TextOptions): TextReport {
  const file = new VFile({value: text})
  file.data.sourceLocale = options.from
  if (options.keepSourceForms) file.data.keepSourceForms = true
  const convertOptions: ConvertOptions = {to: options.to}
  if (options.glossary) convertOptions.glossary = options.glossary
  if (options.quotes) convertOptions.quotes = options.quotes
  if (options.corrections !== undefined) convertOptions.corrections = options.corrections
  try {
    const result = convertPlain(file, convertOptions)
    const report: TextReport = {value: applyEdits(text, result.edits), messages: file.messages}
    if (result.title !== undefined) report.title = result.title
    return report
  } catch (error) {
    if (error instanceof VFileMessage && file.messages.includes(error)) return {value: text, messages: file.messages}
    throw error
  }
}

/**
 * Convert a plain text: zhpress's conversion entry point for programs.
 * Inline rules and the glossary apply; quotes follow `options.quotes`.
 *
 * @param text Text in `options.from`.
 * @param options Locales, glossary, quote style.
 * @returns The converted text; throws an `AggregateError` whose `errors` are
 *   every error of the text's `-{…}-` markup (`VFileMessage`s with line and
 *   column) and whose message lists them all.
 */
export function convertText(text: string, options: TextOptions): string {
  const report = convertTextReport(text, options)
  const errors = report.messages.filter((message) => message.fatal)
  if (errors.length > 0) {
    const lines = errors.map((message) => `${message.line ?? 1}:${message.column ?? 1} ${message.reason} [${message.ruleId}]`)
    throw new AggregateError(errors, `${errors.length} problem${errors.length === 1 ? '' : 's'} in rule markup:\n${lines.join('\n')}`)
  }

  return report.value
}

/** A non-standard word of a Traditional source, at its place in the source. */
export interface SourceFix {
  /** Source offset of the word. */
  start: number
  /** Source end offset of the word. */
  end: number
  /** Source offset of its first non-standard character. */
  offset: number
  found: string
  fix: string
  /** The text around it, the word in 【】. */
  context: string
}

/**
 * The non-standard words of a Traditional source (protected text excluded),
 * with their standard forms: what the build publishes and `check --fix`
 * writes. Nothing for a Simplified source.
 *
 * @param tree Parsed article.
 * @param file The article; converted already, so its markup is valid.
 * @param options Project glossary.
 * @returns Fixes in source order; a word split by formatting is left out.
 */
export function sourceFixes(tree: Root, file: VFile, options: {glossary?: Glossary} = {}): Array<SourceFix> {
  const from = file.data.sourceLocale ?? 'zh-Hant'
  if (!traditional[from]) return []
  const fixes: Array<SourceFix> = []
  const glossary = mergeGlossaries(file.data.glossary, options.glossary)
  const source = String(file.value)
  for (const block of collectBlocks(tree, file)) {
    for (const run of block) {
      // A value written with escapes has no source offsets to fix.
      if (run.some((span) => span.text !== undefined)) continue
      const prepared = prepareRun(run, source)
      for (const finding of textFixes(file, prepared.text, from, glossary)) {
        const start = toSource(prepared, finding.start)
        const end = toSource(prepared, finding.end - 1) + 1
        if (end - start !== finding.end - finding.start) continue
        fixes.push({
          start,
          end,
          offset: toSource(prepared, finding.offset),
          found: finding.found,
          fix: finding.fix,
          context: context(prepared.text, finding.start, finding.end)
        })
      }
    }
  }

  return fixes.sort((a, b) => a.start - b.start)
}

/**
 * The lint's findings on one run of a Traditional source's text: rules and
 * glossary terms are protected, only the text between them is linted.
 */
function textFixes(file: VFile, text: string, from: Locale, glossary: Glossary): Array<LintFinding> {
  const rules = findRules(text).rules
  const regions: Array<{start: number; end: number}> = [...rules]
  if (glossary.entries.length > 0) regions.push(...findTerms(glossary, text, rules))
  regions.sort((a, b) => a.start - b.start)
  const found: Array<LintFinding> = []
  let cursor = 0
  for (const region of [...regions, {start: text.length, end: text.length}]) {
    const gapStart = cursor
    cursor = Math.max(cursor, region.end)
    if (region.start <= gapStart) continue
    for (const finding of lintCached(file, text.slice(gapStart, region.start), from)) {
      found.push({...finding, start: gapStart + finding.start, end: gapStart + finding.end, offset: gapStart + finding.offset})
    }
  }

  return found
}

/**
 * Whether an article's outputs carry the standard forms of its source's
 * non-standard words: a Traditional source, corrections on, and no
 * `--keep-source-forms`.
 */
export function publishesStandardForms(file: VFile): boolean {
  return traditional[file.data.sourceLocale ?? 'zh-Hant'] && (file.data.corrections ?? true) && !file.data.keepSourceForms
}

/**
 * A link's fragment written against the source's heading text
 * (`#逾期后的補救措施`), in the standard forms the pages' ids are made of
 * (`逾期後的補救措施`, see {@link publishesStandardForms}). A fragment whose
 * other characters are Simplified (`#之后的步骤`) names a heading of a
 * Simplified article, whose ids keep their forms: it is returned as it
 * is, as it is when the article publishes no standard forms.
 *
 * @param file The article the link is in.
 * @param fragment The fragment, decoded.
 * @param options Project glossary (its terms are kept as written).
 */
export function standardFragment(file: VFile, fragment: string, options: {glossary?: Glossary} = {}): string {
  if (!publishesStandardForms(file)) return fragment
  const from = file.data.sourceLocale ?? 'zh-Hant'
  let result = ''
  let rest = ''
  let cursor = 0
  for (const finding of textFixes(file, fragment, from, mergeGlossaries(file.data.glossary, options.glossary))) {
    if (finding.start < cursor) continue
    result += fragment.slice(cursor, finding.start) + finding.fix
    rest += fragment.slice(cursor, finding.start)
    cursor = finding.end
  }

  if (cursor === 0) return fragment
  const evidence = detectScript(rest + fragment.slice(cursor))
  return evidence.simplified > evidence.traditional ? fragment : result + fragment.slice(cursor)
}

/**
 * Report the non-standard words of a Traditional source once per word: as
 * `standard-form` info when the outputs carry the standard form (the
 * default), as `non-standard-traditional` warnings when
 * `--keep-source-forms` (or `--no-corrections`) publishes them as written.
 *
 * @param tree Parsed article.
 * @param file The article; converted already, so its markup is valid.
 * @param options Project glossary.
 */
export function lintArticle(tree: Root, file: VFile, options: {glossary?: Glossary} = {}): void {
  const where = location(file)
  const fixed = publishesStandardForms(file)
  const terms = new Map<string, {first: SourceFix; count: number}>()
  for (const fix of sourceFixes(tree, file, options)) {
    const key = fix.found + '\u0000' + fix.fix
    const term = terms.get(key)
    if (term) term.count++
    else terms.set(key, {first: fix, count: 1})
  }

  for (const {first, count} of terms.values()) {
    const params = {found: first.found, fix: first.fix, count}
    const note = `first at ${first.context}; a sign of text converted from Simplified character by character`
    if (fixed) report(file, 'standard-form', params, {place: where.toPoint(first.offset), expected: [first.fix], note})
    else report(file, 'non-standard-traditional', params, {place: where.toPoint(first.offset), expected: [first.fix], note})
  }
}

/** The state of one walk through an article, in document order. */
interface Walk {
  from: Locale
  to: Locale
  glossary: Glossary | undefined
  /** Conversions of the `H`/`A` rules met so far. */
  tables: RuleTables
  /** Rule terms and glossary as one glossary; recomputed when a rule changes the tables. */
  terms: Glossary | undefined
  problems: Array<RuleProblem>
  title: string | undefined
  /** Convert a text written for a locale (`undefined`: the article's own) into the target (default: the walk's). */
  convert: (text: string, from: Locale | undefined, into?: Locale) => string
}

function convertBlocks(blocks: Array<Block>, file: VFile, options: ConvertOptions): ConvertResult {
  const from = file.data.sourceLocale ?? 'zh-Hant'
  const to = options.to
  const source = String(file.value)
  // The source locale's output is the source as written: only the rule
  // markup goes (and quotes, when the article asks for a style).
  const glossary = from === to ? undefined : mergeGlossaries(file.data.glossary, options.glossary)
  const corrections = options.corrections ?? file.data.corrections ?? true
  const converter = getConverter(from, to, {corrections})
  const style = options.quotes ?? resolveQuoteStyle(file.data.quotes, from, to, corrections)
  const result: ConvertResult = {edits: [], converted: 0, review: []}
  // A Traditional source's non-standard forms (聯系, 后果) are published in
  // OpenCC's standard forms, in every output, its own locale's included.
  const standardize = corrections && traditional[from] && !file.data.keepSourceForms
  const lint = (text: string) => lintCached(file, text, from)
  const walk: Walk = {
    from,
    to,
    glossary,
    tables: new Map(),
    terms: undefined,
    problems: [],
    title: undefined,
    convert: (text, textFrom, into) => getConverter(textFrom ?? from, into ?? to, {corrections}).convert(text)
  }

  for (const block of blocks) {
    const quotes = createQuoteState()
    // Marks standing alone or unpaired in the block are content (`“ ”`).
    const runs = block.map((run) => prepareRun(run, source))
    const content = style === 'keep' ? new Set<number>() : contentMarks(runs.map((run) => run.text).join('\n'))
    let runOffset = 0
    for (const prepared of runs) {
      const found = findRules(prepared.text)
      for (const problem of found.problems) walk.problems.push({...problem, offset: toSource(prepared, problem.offset)})
      const base = runOffset
      const isContent = (offset: number) => content.has(base + offset)
      const state: GapState = {converter, style, quotes, pieces: [], result, standardize, isContent, lint}
      let cursor = 0
      // Rules act in document order: an `H` rule changes the text after it.
      for (const node of found.rules) {
        convertSegment(prepared, cursor, node.start, walk, state)
        state.pieces.push(...evaluateRule(prepared, node, walk).pieces)
        cursor = node.end
      }

      convertSegment(prepared, cursor, prepared.text.length, walk, state)
      mapPieces(prepared, state.pieces, result)
      runOffset += prepared.text.length + 1
    }
  }

  if (walk.title !== undefined) applyTitle(file, walk, result)
  reportProblems(file, walk.problems)
  result.edits.sort((a, b) => a.start - b.start)
  return result
}

/** The lint's findings on a stretch of an article's text, computed once per article. */
function lintCached(file: VFile, text: string, from: Locale): Array<LintFinding> {
  // A Map: an object's keys would be internalized, long texts copied into V8's string table.
  file.data.lintCache ??= new Map()
  let findings = file.data.lintCache.get(text)
  if (!findings) {
    findings = lintTraditional(text, from)
    file.data.lintCache.set(text, findings)
  }

  return findings
}

/** A run's text, joined from its spans. */
function prepareRun(run: Run, source: string): Prepared {
  const starts: Array<number> = []
  let text = ''
  for (const span of run) {
    starts.push(text.length)
    text += span.text ?? source.slice(span.start, span.end)
  }

  return {run, starts, text}
}

/** Convert a stretch of a run between rules: glossary and rule terms first, OpenCC between them. */
function convertSegment(run: Prepared, start: number, end: number, walk: Walk, state: GapState): void {
  if (end <= start) return
  walk.terms ??= termsOf(walk)
  let cursor = start
  if (walk.terms.entries.length > 0) {
    for (const match of findTerms(walk.terms, run.text.slice(start, end), [])) {
      convertGap(run, cursor, start + match.start, state)
      termPiece({start: start + match.start, end: start + match.end, variants: match.variants}, walk, state.pieces)
      cursor = start + match.end
    }
  }

  convertGap(run, cursor, end, state)
}

/** The conversions of the `H`/`A` rules so far (they win), then the glossary. */
function termsOf(walk: Walk): Glossary {
  const entries: Array<GlossaryEntry> = []
  const variant = variantChain[walk.to][0]!
  for (const [from, to] of tableFor(walk.tables, walk.to)) entries.push({terms: [from], variants: [{variant, text: to}]})
  return mergeGlossaries({entries}, walk.glossary)
}

/** What a rule (and the rules nested in it) puts in place of its markup, applying its effect on the walk. */
function evaluateRule(run: Prepared, node: RuleNode, walk: Walk): {display: string; pieces: Array<OutputPiece>} {
  const children = node.children.map((child) => evaluateRule(run, child, walk))
  let content = ''
  let cursor = node.start + 2
  let firstChild = Infinity
  for (const [index, child] of node.children.entries()) {
    content += run.text.slice(cursor, child.start)
    if (index === 0) firstChild = content.length
    content += children[index]!.display
    cursor = child.end
  }

  content += run.text.slice(cursor, node.end - 2)
  const rule = parseRule(content)
  const offset = toSource(run, node.start)
  for (const problem of rule.problems) walk.problems.push({...problem, offset})
  const outcome = ruleOutcome(rule, walk.to, walk.convert, (text, variant) => autoConvert(text, variant, walk))

  if (outcome.action) {
    const removed = applyRuleTables(walk.tables, rule, outcome.action)
    walk.terms = undefined
    if (outcome.action === 'remove' && removed === 0) {
      walk.problems.push({
        offset,
        reason: 'this `-|` rule removes nothing: it only removes what an earlier `H` or `A` rule of the article added (OpenCC\'s own conversions cannot be removed; keep a text as written with `-{…}-`)',
        ruleId: 'rule-not-applied'
      })
    }
  }

  if (outcome.title !== undefined) walk.title = outcome.title

  // Kept as written: only the markup goes, so formatting inside survives.
  if (outcome.raw && firstChild >= rule.rulesOffset) {
    const pieces: Array<OutputPiece> = [{start: node.start, end: node.start + 2 + rule.rulesOffset, text: '', counted: false}]
    for (const child of children) pieces.push(...child.pieces)
    pieces.push({start: node.end - 2, end: node.end, text: '', counted: false})
    return {display: outcome.display, pieces}
  }

  // A value replaces the whole rule, which formatting inside it would lose.
  if (outcome.display !== '' && spanAt(run.starts, node.end - 1, 0) !== spanAt(run.starts, node.start, 0)) {
    walk.problems.push({
      offset,
      reason: 'a per-variant rule cannot contain formatting; put `**`, links and the like outside `-{…}-`',
      ruleId: 'malformed-rule'
    })
  }

  return {display: outcome.display, pieces: [{start: node.start, end: node.end, text: outcome.display, counted: false}]}
}

/**
 * Convert a text into a variant as MediaWiki's `autoConvert` does for a
 * filter rule: that variant's `H`/`A` conversions first, OpenCC (from the
 * other script, so that any text converts) between them.
 */
function autoConvert(text: string, variant: MwVariant, walk: Walk): string {
  const target = variantLocale[variant] ?? walk.to
  const convert = (part: string) => walk.convert(part, traditional[target] ? 'zh-Hans' : 'zh-TW', target)
  const table = walk.tables.get(variant)
  if (!table || table.size === 0) return convert(text)
  const terms: Glossary = {entries: [...table].map(([from, to]) => ({terms: [from], variants: [{variant, text: to}]}))}
  let result = ''
  let cursor = 0
  for (const match of findTerms(terms, text, [])) {
    result += convert(text.slice(cursor, match.start)) + match.variants[0]!.text
    cursor = match.end
  }

  return result + convert(text.slice(cursor))
}

/** A `T` rule's title replaces the front matter `title` of this locale's output. */
function applyTitle(file: VFile, walk: Walk, result: ConvertResult): void {
  result.title = walk.title
  const range = file.data.fieldRanges?.find((each) => each.field === 'title')
  if (!range) {
    if (file.data.fieldRanges) {
      walk.problems.push({
        offset: 0,
        reason: 'a `T` (title) rule needs a front matter `title` to replace; add `title:` or put the per-variant rule in it',
        ruleId: 'rule-not-applied'
      })
    }

    return
  }

  result.edits = result.edits.filter((edit) => edit.end <= range.start || edit.start >= range.end)
  // A double-quoted YAML string holds any title.
  result.edits.push({start: range.start, end: range.end, text: JSON.stringify(walk.title)})
}

/** Every problem is reported once; an error stops the article. */
function reportProblems(file: VFile, problems: Array<RuleProblem>): void {
  if (problems.length === 0) return
  const where = location(file)
  problems.sort((a, b) => a.offset - b.offset)
  const seen = new Set(file.messages.map((message) => `${JSON.stringify(message.place ?? null)} ${message.ruleId} ${message.reason}`))
  for (const problem of problems) {
    const place = where.toPoint(problem.offset)
    // Each locale walks the article again: report a problem once.
    const key = `${JSON.stringify(place ?? null)} ${problem.ruleId} ${problem.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    report(file, problem.ruleId, {reason: problem.reason}, {place})
  }

  stopOnErrors(file)
}

interface GapState {
  converter: Converter
  style: QuoteStyle
  quotes: QuoteState
  pieces: Array<OutputPiece>
  result: ConvertResult
  /** Rewrite non-standard Traditional forms before converting. */
  standardize: boolean
  /** Whether the quotation mark at an offset of the run's text is content. */
  isContent: (offset: number) => boolean
  /** The lint's findings on a stretch of the source (cached per article). */
  lint: (text: string) => Array<LintFinding>
}

/** Convert the text between protected regions with OpenCC, then restyle its quotes. */
function convertGap(run: Prepared, start: number, end: number, state: GapState): void {
  if (end <= start) return
  const written = run.text.slice(start, end)
  const {from, to} = state.converter
  // Same length as written: offsets stay.
  const text = state.standardize ? standardForms(written, state.lint(written)) : written
  const marks = new Map<number, string>()
  for (const mark of mapQuotes(written, state.quotes, state.style, (offset) => state.isContent(start + offset))) marks.set(mark.offset, mark.text)

  for (const piece of state.converter.align(text)) {
    const original = written.slice(piece.start, piece.end)
    const input = text.slice(piece.start, piece.end)
    for (const {start: itemStart, end: itemEnd, item} of reviewItems(piece, input, from, to, text)) {
      state.result.review.push({...item, offset: toSource(run, start + itemStart), context: context(run.text, start + itemStart, start + itemEnd)})
    }

    if (!piece.matched && input !== original) {
      // Copied from the standardized text: only its fixed characters change.
      for (let offset = piece.start; offset < piece.end; offset++) {
        const fixed = text.charAt(offset) !== written.charAt(offset)
        if (fixed) state.pieces.push({start: start + offset, end: start + offset + 1, text: text.charAt(offset), counted: true})
        else pushUnchanged(written, start, offset, offset + 1, marks, state.pieces)
      }

      continue
    }

    if (piece.text !== original || marks.size === 0) {
      state.pieces.push({start: start + piece.start, end: start + piece.end, text: piece.text, counted: true})
      continue
    }

    pushUnchanged(written, start, piece.start, piece.end, marks, state.pieces)
  }
}

/** An unchanged stretch of a gap, its quotation marks cut out to restyle. */
function pushUnchanged(text: string, start: number, from: number, to: number, marks: Map<number, string>, pieces: Array<OutputPiece>): void {
  let cursor = from
  for (let offset = from; offset < to; offset++) {
    const mark = marks.get(offset)
    if (mark === undefined) continue
    if (offset > cursor) pieces.push({start: start + cursor, end: start + offset, text: text.slice(cursor, offset), counted: true})
    pieces.push({start: start + offset, end: start + offset + 1, text: mark, counted: false})
    cursor = offset + 1
  }

  if (to > cursor) pieces.push({start: start + cursor, end: start + to, text: text.slice(cursor, to), counted: true})
}

/** Output of a glossary or rule term. */
function termPiece(region: Region, walk: Walk, pieces: Array<OutputPiece>): void {
  if (region.variants.length === 0) return
  let text = pickVariant(region.variants, walk.to)
  if (text === undefined) {
    const first = region.variants[0]!
    text = walk.convert(first.text, variantLocale[first.variant])
  }

  pieces.push({start: region.start, end: region.end, text, counted: true})
}

/**
 * Map output pieces of a run back onto the source spans they cover.
 */
function mapPieces(run: Prepared, pieces: Array<OutputPiece>, result: ConvertResult): void {
  const {text, starts} = run
  const spans = run.run
  if (spans.length === 1 && spans[0]!.text !== undefined) {
    mapDecoded(run, pieces, result)
    return
  }

  let spanIndex = 0
  for (const piece of pieces) {
    const original = text.slice(piece.start, piece.end)
    if (piece.text === original) continue
    if (piece.counted) result.converted += countChanged(original, piece.text)

    while (spanIndex + 1 < spans.length && starts[spanIndex + 1]! <= piece.start) spanIndex++
    const toSpan = (offset: number, index: number) => spans[index]!.start + offset - starts[index]!
    const lastIndex = spanAt(starts, Math.max(piece.start, piece.end - 1), spanIndex)

    if (lastIndex === spanIndex) {
      result.edits.push({start: toSpan(piece.start, spanIndex), end: toSpan(piece.end, spanIndex), text: piece.text})
      continue
    }

    // A phrase across formatting (`理**发**店`): give each span its share of
    // the output, character by character when the lengths agree.
    const inputChars = [...original]
    const outputChars = [...piece.text]
    const same = inputChars.length === outputChars.length
    let consumed = 0
    for (let index = spanIndex; index <= lastIndex; index++) {
      const from = Math.max(piece.start, starts[index]!)
      const to = Math.min(piece.end, starts[index]! + spans[index]!.end - spans[index]!.start)
      if (to <= from) continue
      const length = [...text.slice(from, to)].length
      const share = same ? outputChars.slice(consumed, consumed + length).join('') : index === spanIndex ? piece.text : ''
      consumed += length
      if (share !== text.slice(from, to)) {
        result.edits.push({start: toSpan(from, index), end: toSpan(to, index), text: share})
      }
    }
  }
}

/**
 * The output of a front matter value written with escapes: its converted
 * text, written back whole as a double-quoted string serialized by the
 * YAML library, or nothing when it did not change.
 */
function mapDecoded(run: Prepared, pieces: Array<OutputPiece>, result: ConvertResult): void {
  let output = ''
  let cursor = 0
  for (const piece of pieces) {
    const original = run.text.slice(piece.start, piece.end)
    if (piece.counted && piece.text !== original) result.converted += countChanged(original, piece.text)
    output += run.text.slice(cursor, piece.start) + piece.text
    cursor = piece.end
  }

  output += run.text.slice(cursor)
  if (output === run.text) return
  const span = run.run[0]!
  result.edits.push({start: span.start, end: span.end, text: yaml().stringify(output, {defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0}).trimEnd()})
}

/** Source offset of an offset in a run's text (the start of a span whose text is not its source's). */
function toSource(run: Prepared, offset: number): number {
  const index = spanAt(run.starts, offset, 0)
  const span = run.run[index]!
  return span.text === undefined ? span.start + offset - run.starts[index]! : span.start
}

function spanAt(starts: Array<number>, offset: number, from: number): number {
  let index = from
  while (index + 1 < starts.length && starts[index + 1]! <= offset) index++
  return index
}

/** Characters (code points) that differ between two strings; all of the longer one's when their lengths differ. */
function countChanged(before: string, after: string): number {
  // Most pieces have no surrogate: compare code units, no arrays.
  if (before.length === after.length && !hasSurrogate(before) && !hasSurrogate(after)) {
    let count = 0
    for (let index = 0; index < before.length; index++) if (before.charCodeAt(index) !== after.charCodeAt(index)) count++
    return count
  }

  const a = [...before]
  const b = [...after]
  if (a.length !== b.length) return Math.max(a.length, b.length)
  let count = 0
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) count++
  return count
}

function hasSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code >= 0xd800 && code <= 0xdfff) return true
  }

  return false
}
