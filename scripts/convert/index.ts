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
import {location} from 'vfile-location'
import {report, stopOnErrors} from '../diagnostics.ts'
import {traditional, type Locale} from '../locales.ts'
import {applyEdits} from '../render-markdown.ts'
import type {Edit} from '../types.ts'
import {collectBlocks, type Block, type Run} from './blocks.ts'
import {getConverter, type Converter} from './engine.ts'
import {findTerms, mergeGlossaries, type Glossary} from './glossary.ts'
import {lintTraditional, type LintFinding} from './lint.ts'
import {contentMarks, createQuoteState, mapQuotes, resolveQuoteStyle, type QuoteSetting, type QuoteState, type QuoteStyle} from './quotes.ts'
import {alternativesFor, isReliable, type ReviewItem} from './review.ts'
import {findRules, pickVariant, type RuleProblem, type Variant} from './rules.ts'

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
    lintCache?: Record<string, Array<LintFinding> | undefined>
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

/** A protected stretch of a run: an inline rule or a glossary term. */
interface Region {
  start: number
  end: number
  variants: Array<Variant>
  /** Whether it is `-{…}-` markup (removed from every output). */
  rule: boolean
}

/** A run with its text and protected regions. */
interface Prepared {
  run: Run
  /** Offset in `text` where each span starts. */
  starts: Array<number>
  text: string
  regions: Array<Region>
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

/**
 * Convert a plain text: zhpress's conversion entry point for programs.
 * Inline rules and the glossary apply; quotes follow `options.quotes`.
 *
 * @param text Text in `options.from`.
 * @param options Locales, glossary, quote style.
 * @returns The converted text; throws a `VFileMessage` on malformed `-{` markup.
 */
export function convertText(text: string, options: TextOptions): string {
  const file = new VFile({value: text})
  file.data.sourceLocale = options.from
  if (options.keepSourceForms) file.data.keepSourceForms = true
  const convertOptions: ConvertOptions = {to: options.to}
  if (options.glossary) convertOptions.glossary = options.glossary
  if (options.quotes) convertOptions.quotes = options.quotes
  if (options.corrections !== undefined) convertOptions.corrections = options.corrections
  return applyEdits(text, convertPlain(file, convertOptions).edits)
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
  for (const block of collectBlocks(tree, file)) {
    for (const prepared of prepareBlock(block, String(file.value), glossary, [])) {
      forEachGap(prepared, (gapStart, gapEnd) => {
        for (const finding of lintCached(file, prepared.text.slice(gapStart, gapEnd), from)) {
          const start = toSource(prepared, gapStart + finding.start)
          const end = toSource(prepared, gapStart + finding.end - 1) + 1
          if (end - start !== finding.end - finding.start) continue
          fixes.push({
            start,
            end,
            offset: toSource(prepared, gapStart + finding.offset),
            found: finding.found,
            fix: finding.fix,
            context: context(prepared.text, gapStart + finding.start, gapStart + finding.end)
          })
        }
      })
    }
  }

  return fixes.sort((a, b) => a.start - b.start)
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
  const fixed = (file.data.corrections ?? true) && !file.data.keepSourceForms
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

function convertBlocks(blocks: Array<Block>, file: VFile, options: ConvertOptions): ConvertResult {
  const from = file.data.sourceLocale ?? 'zh-Hant'
  const to = options.to
  const source = String(file.value)
  // The source locale's output is the source as written: only the rule
  // markup goes (and quotes, when the article asks for a style).
  const glossary = from === to ? undefined : mergeGlossaries(file.data.glossary, options.glossary)
  const problems: Array<RuleProblem> = []
  const prepared = blocks.map((block) => prepareBlock(block, source, glossary, problems))
  failOnProblems(file, problems)

  const corrections = options.corrections ?? file.data.corrections ?? true
  const converter = getConverter(from, to, {corrections})
  const style = options.quotes ?? resolveQuoteStyle(file.data.quotes, from, to)
  const result: ConvertResult = {edits: [], converted: 0, review: []}
  // A Traditional source's non-standard forms (聯系, 后果) are published in
  // OpenCC's standard forms, in every output, its own locale's included.
  const standardize = corrections && traditional[from] && !file.data.keepSourceForms
  const lint = (text: string) => lintCached(file, text, from)

  for (const block of prepared) {
    const quotes = createQuoteState()
    // Marks standing alone or unpaired in the block are content (`“ ”`).
    const content = style === 'keep' ? new Set<number>() : contentMarks(block.map((run) => run.text).join('\n'))
    let runOffset = 0
    for (const run of block) {
      const pieces: Array<OutputPiece> = []
      let cursor = 0
      const base = runOffset
      const isContent = (offset: number) => content.has(base + offset)
      for (const region of run.regions) {
        convertGap(run, cursor, region.start, {converter, style, quotes, pieces, result, standardize, isContent, lint})
        regionPieces(region, to, corrections, pieces)
        cursor = region.end
      }

      convertGap(run, cursor, run.text.length, {converter, style, quotes, pieces, result, standardize, isContent, lint})
      runOffset += run.text.length + 1
      mapPieces(run, pieces, result)
    }
  }

  result.edits.sort((a, b) => a.start - b.start)
  return result
}

/** The lint's findings on a stretch of an article's text, computed once per article. */
function lintCached(file: VFile, text: string, from: Locale): Array<LintFinding> {
  file.data.lintCache ??= Object.create(null) as Record<string, Array<LintFinding> | undefined>
  let findings = file.data.lintCache[text]
  if (!findings) {
    findings = lintTraditional(text, from)
    file.data.lintCache[text] = findings
  }

  return findings
}

/** Find the rules and glossary terms of every run of a block. */
function prepareBlock(
  block: Block,
  source: string,
  glossary: Glossary | undefined,
  problems: Array<RuleProblem>
): Array<Prepared> {
  return block.map((run) => {
    const starts: Array<number> = []
    let text = ''
    for (const span of run) {
      starts.push(text.length)
      text += source.slice(span.start, span.end)
    }

    const prepared: Prepared = {run, starts, text, regions: []}
    const found = findRules(text)
    for (const problem of found.problems) problems.push({...problem, offset: toSource(prepared, problem.offset)})
    for (const rule of found.rules) {
      // A value replaces the whole rule, which formatting inside it would lose.
      if (rule.variants.length > 0 && spanAt(starts, rule.end - 1, 0) !== spanAt(starts, rule.start, 0)) {
        problems.push({
          offset: toSource(prepared, rule.start),
          reason: 'a per-variant rule cannot contain formatting; put `**`, links and the like outside `-{…}-`',
          ruleId: 'malformed-rule'
        })
        continue
      }

      prepared.regions.push({start: rule.start, end: rule.end, variants: rule.variants, rule: true})
    }

    if (glossary && glossary.entries.length > 0) {
      for (const match of findTerms(glossary, text, prepared.regions)) prepared.regions.push({...match, rule: false})
      prepared.regions.sort((a, b) => a.start - b.start)
    }

    return prepared
  })
}

/** Every malformed rule is reported; the last one stops the article. */
function failOnProblems(file: VFile, problems: Array<RuleProblem>): void {
  if (problems.length === 0) return
  const where = location(file)
  problems.sort((a, b) => a.offset - b.offset)
  for (const problem of problems) report(file, problem.ruleId, {reason: problem.reason}, {place: where.toPoint(problem.offset)})
  stopOnErrors(file)
}

function forEachGap(prepared: Prepared, callback: (start: number, end: number) => void): void {
  let cursor = 0
  for (const region of prepared.regions) {
    if (region.start > cursor) callback(cursor, region.start)
    cursor = region.end
  }

  if (cursor < prepared.text.length) callback(cursor, prepared.text.length)
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
    if (piece.disputed && piece.text !== input) {
      const characters = [...input].map((char) => getConverter(from, to).convert(char)).join('')
      if (characters !== piece.text) {
        state.result.review.push({
          offset: toSource(run, start + piece.start),
          char: input,
          output: piece.text,
          locale: to,
          alternatives: [piece.text, characters],
          context: context(run.text, start + piece.start, start + piece.end),
          kind: 'phrase'
        })
      }
    }

    if (piece.matched && !piece.phrase && piece.text !== input && [...input].length === 1 && !isReliable(input, from, to)) {
      const alternatives = alternativesFor(input, from, to)
      if (alternatives) {
        state.result.review.push({
          offset: toSource(run, start + piece.start),
          char: input,
          output: piece.text,
          locale: to,
          alternatives,
          context: context(run.text, start + piece.start, start + piece.end)
        })
      }
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

/**
 * A Traditional text with its non-standard forms (the lint's findings)
 * replaced by OpenCC's standard ones, where the lengths agree.
 */
function standardForms(text: string, findings: ReadonlyArray<LintFinding>): string {
  let result = ''
  let cursor = 0
  for (const finding of findings) {
    if (finding.fix.length !== finding.end - finding.start || finding.start < cursor) continue
    result += text.slice(cursor, finding.start) + finding.fix
    cursor = finding.end
  }

  return cursor === 0 ? text : result + text.slice(cursor)
}

/** Output of a rule or glossary term. */
function regionPieces(region: Region, to: Locale, corrections: boolean, pieces: Array<OutputPiece>): void {
  if (region.variants.length === 0) {
    // Kept as written: only the markup of a rule goes.
    if (region.rule) {
      pieces.push({start: region.start, end: region.start + 2, text: '', counted: false})
      pieces.push({start: region.end - 2, end: region.end, text: '', counted: false})
    }

    return
  }

  let text = pickVariant(region.variants, to)
  if (text === undefined) {
    const first = region.variants[0]!
    text = getConverter(first.locale, to, {corrections}).convert(first.text)
  }

  pieces.push({start: region.start, end: region.end, text, counted: !region.rule})
}

/**
 * Map output pieces of a run back onto the source spans they cover.
 */
function mapPieces(run: Prepared, pieces: Array<OutputPiece>, result: ConvertResult): void {
  const {text, starts} = run
  const spans = run.run
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

/** Source offset of an offset in a run's text. */
function toSource(run: Prepared, offset: number): number {
  const index = spanAt(run.starts, offset, 0)
  return run.run[index]!.start + offset - run.starts[index]!
}

function spanAt(starts: Array<number>, offset: number, from: number): number {
  let index = from
  while (index + 1 < starts.length && starts[index + 1]! <= offset) index++
  return index
}

/** A few characters either side of a range, the range in 【】. */
function context(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 8), start)
  const after = text.slice(end, end + 8)
  const clean = (value: string) => value.replace(/\s+/g, ' ')
  return `${start > 8 ? '…' : ''}${clean(before)}【${text.slice(start, end)}】${clean(after)}${end + 8 < text.length ? '…' : ''}`
}

function countChanged(before: string, after: string): number {
  const a = [...before]
  const b = [...after]
  if (a.length !== b.length) return Math.max(a.length, b.length)
  let count = 0
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) count++
  return count
}
