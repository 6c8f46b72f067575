/**
 * Plain text for the `convert` command, fast: a text without rule markup
 * (and converted without a glossary) goes through the converter's string
 * path in one call — no alignment, no pieces. Without corrections the
 * review is read from that same conversion (the converter's `scan`: which
 * characters a piece of their own converted); with them, only the lines
 * that may hold something to review (a character with an unreliable
 * one-to-many mapping, a disputed phrase) are aligned again. The output
 * is the one `convertPlain` gives; a text with `-{…}-` markup or a glossary
 * takes `convertPlain` itself (`index.ts`, loaded then: the fast path loads
 * neither the Markdown stack nor YAML).
 *
 * The review of a long text is folded: one warning per term (character or
 * phrase and its output) with the number of times it occurs and its first
 * place, instead of one per occurrence.
 */
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {location} from 'vfile-location'
import type {Point} from 'unist'
import {createBudget, type BoundedBudget, type BoundedMemory} from '../bounded-memory.ts'
import {report} from '../diagnostics.ts'
import {traditional, type Locale} from '../locales.ts'
import {applyEdits} from '../render-markdown.ts'
import {codeUnits, getConverter, type Converter, type Piece} from './engine.ts'
import type {Glossary} from './glossary.ts'
import {context, reviewItems, standardForms} from './shared.ts'
import {lintTraditional, mayDiffer} from './lint.ts'
import {contentMarks, createQuoteState, mapQuotes, quoteMarks, resolveQuoteStyle, type QuoteStyle} from './quotes.ts'
import {alternativesFor, isReliable, roleChecked, type ReviewItem} from './review.ts'
import {compiledTable} from './compiled.ts'

/** Options of {@link createPlainConverter}. */
export interface PlainOptions {
  /** Locale to convert into. */
  to: Locale
  /** Glossary (a text converted with one takes the general path). */
  glossary?: Glossary
  /** Quote style; default: the locale's. */
  quotes?: QuoteStyle
  /** Word-aware corrections (default on); `false`: exactly opencc-js. */
  corrections?: boolean
  /** Keep a Traditional source's non-standard forms. */
  keepSourceForms?: boolean
}

/** Converts a text a chunk at a time and reports its review once per term. */
export interface PlainConverter {
  /**
   * Convert the next chunk (a VFile whose `data.sourceLocale` is set).
   * Problems of its rule markup are reported on the chunk, in its own
   * coordinates.
   *
   * @returns The converted chunk, or `undefined` when an error stopped it.
   */
  convert: (chunk: VFile) => Promise<string | undefined>
  /**
   * Report the review of every chunk so far on the whole file: one warning
   * per term, at its first place.
   */
  finish: (file: VFile) => void
  /** Where the next chunk starts in the whole file: lines and columns before it (0-based). */
  position: () => {line: number; column: number}
}

/** A line converted, with the offsets of its disputed phrases. */
interface ConvertedLine extends LineEntry {
  text: string
  disputed: Array<number>
}

/** What is remembered of a line: its review, made on first need. */
interface LineEntry {
  /** The review items of the line as converted (`undefined`: not made yet). */
  review?: Array<LineItem>
}

/** A Traditional source's line in standard forms (the line itself when it has none to change). */
interface StandardLine extends LineEntry {
  standard: string
  /** Where it differs from the line: offset, code unit, offset, code unit… */
  changes: Array<number>
  /** The standard line converted (set the first time it is converted), and the offsets of its disputed phrases. */
  converted?: string
  disputed?: Array<number>
}

/**
 * Code units the memories of one plain-text conversion hold together (the
 * oldest forgotten first): its converted lines (a line and its output),
 * reviewed lines and the lint's findings per line. Recurring lines
 * (headings, separators, a book's refrains) and the round trip's own
 * conversions are worked out once.
 */
const plainMemoryBudget = 4_000_000

/** Convert one line, remembered per converter (a line converts the same wherever it stands: no phrase crosses a line break). */
type ConvertLine = (converter: Converter, line: string) => ConvertedLine

/**
 * The review of a line a converter converts, when it is read from the
 * line's alignment (`undefined`: the line is not reviewed that way).
 */
type ReviewFromPieces = (converter: Converter, line: string) => ((pieces: ReadonlyArray<Piece>) => Array<LineItem>) | undefined

/**
 * The memory of converted lines, per converter.
 *
 * @param budget The memories' budget.
 * @param reviewFromPieces For a line the review will align (a watched line
 *   of a Simplified source), the alignment is made first and gives the
 *   conversion too (its pieces' texts joined, its disputed phrases where
 *   `convert` would report them) and the entry's review: one word-checked
 *   conversion of the line instead of two.
 */
function createLineMemory(budget: BoundedBudget, reviewFromPieces?: ReviewFromPieces): ConvertLine {
  const known = new Map<Converter, BoundedMemory<ConvertedLine>>()
  const size = (line: string, converted: ConvertedLine) => line.length + converted.text.length
  return (converter, line) => {
    let lines = known.get(converter)
    if (!lines) {
      lines = budget.memory({size})
      known.set(converter, lines)
    }

    return lines.recall(line, () => {
      const disputed: Array<number> = []
      const review = reviewFromPieces?.(converter, line)
      if (review) {
        const pieces = converter.align(line)
        let text = ''
        for (const piece of pieces) {
          text += piece.text
          if (piece.disputed) disputed.push(piece.start)
        }

        return {text, disputed, review: review(pieces)}
      }

      return {text: converter.convert(line, converter.corrections ? disputed : undefined), disputed}
    })
  }
}

/** The lines of a chunk: where each starts, and its entry (`undefined`: none holds the line as converted). */
interface Lines {
  starts: Array<number>
  entries: Array<LineEntry | undefined>
  /** Whether a line's text was changed in the code units (standard forms). */
  patched: boolean
}

/** A review item of a line, at its offsets in the line. */
interface LineItem {
  start: number
  end: number
  /** {@link termKey} of the item. */
  key: string
  item: Omit<ReviewItem, 'offset' | 'context'>
}

/** The review items of a line read from its alignment. */
function itemsOfPieces(pieces: ReadonlyArray<Piece>, line: string, from: Locale, to: Locale): Array<LineItem> {
  const found: Array<LineItem> = []
  for (const piece of pieces) {
    for (const {start, end, item} of reviewItems(piece, line.slice(piece.start, piece.end), from, to, line)) found.push({start, end, key: termKey(item), item})
  }

  return found
}

/**
 * What the exact stretches of a Traditional source's corrected conversion
 * tell the review: the exact converter's `scan` pieces (five numbers each:
 * start and end in the text, matched, start and end in the output), and
 * the starts of the lines converted with word checks instead.
 */
interface ExactScan {
  pieces: Array<number>
  checked: Set<number>
}

/** What makes a term of the folded review: kind, character (or phrase) and output. */
function termKey(item: Omit<ReviewItem, 'offset' | 'context'>): string {
  return `${item.kind ?? ''}\u0000${item.char}\u0000${item.output}`
}

/** One term of the folded review. */
interface Term {
  item: Omit<ReviewItem, 'offset'>
  count: number
  place: Point
}

/**
 * A converter for a plain text read in chunks (cut at line breaks or
 * sentence ends: no phrase crosses two chunks).
 *
 * @param options Target locale, glossary, quotes, corrections.
 * @returns The converter.
 */
export function createPlainConverter(options: PlainOptions): PlainConverter {
  const corrections = options.corrections ?? true
  const terms = new Map<string, Term>()
  // Where the next chunk starts in the whole file.
  const base = {line: 0, column: 0}
  const budget = createBudget(plainMemoryBudget)
  // A watched line of a Simplified source (its corrected conversion checks
  // phrases against the words; a Traditional source's review reads the
  // exact scan instead) is aligned once, for its conversion and its review.
  const convertLine = createLineMemory(budget, (converter, line) => {
    const {from, to} = converter
    if (!converter.corrections || converter.exactUnless || from === to || !lineWatched(line, watchTable(from, to), from, to)) return undefined
    return (pieces) => itemsOfPieces(pieces, line, from, to)
  })

  const add = (chunk: VFile, offset: number, item: Omit<ReviewItem, 'offset'>, where: {toPoint: (offset: number) => Point | undefined}) => {
    addTerm(termKey(item), offset, () => item, where)
  }

  // The item (its context) is made only for a term's first occurrence.
  const addTerm = (key: string, offset: number, item: () => Omit<ReviewItem, 'offset'>, where: {toPoint: (offset: number) => Point | undefined}) => {
    const term = terms.get(key)
    if (term) {
      term.count++
      return
    }

    const point = where.toPoint(offset) ?? {line: 1, column: 1}
    terms.set(key, {item: item(), count: 1, place: {line: point.line + base.line, column: point.line === 1 ? point.column + base.column : point.column}})
  }

  // The review items of a line, by offset in the line (a line reviews the
  // same wherever it stands), remembered like converted lines.
  const lineReviews = new Map<string, BoundedMemory<Array<LineItem>>>()
  const reviewLine = (line: string, from: Locale, to: Locale): Array<LineItem> => {
    const key = from + '>' + to
    let byLocale = lineReviews.get(key)
    if (!byLocale) {
      byLocale = budget.memory()
      lineReviews.set(key, byLocale)
    }

    return byLocale.recall(line, () => {
      const converter = getConverter(from, to, {corrections})
      const exact = getConverter(from, to)
      // Where the corrected conversion departs from the exact one only on
      // listed units (a Traditional source) and the line holds none, its
      // alignment is the exact one's: the review is read from the exact
      // scan, as without corrections, not from a second alignment.
      if (exact.scan && converter.exactUnless && !holdsAny(line, converter.exactUnless)) {
        const pieces: Array<number> = []
        const output = exact.scan(line, codeUnits(line), watchTable(from, to), pieces)
        return scannedItems(line, output, pieces, from, to)
      }

      return itemsOfPieces(converter.align(line), line, from, to)
    })
  }

  /** The review items of a line from its exact scan (`pieces`, in the line's offsets and `output`'s). */
  const scannedItems = (line: string, output: string, pieces: Array<number>, from: Locale, to: Locale): Array<LineItem> => {
    const found: Array<LineItem> = []
    foundItems(line, output, pieces, from, to, (start, end, item) => found.push({start, end, key: termKey(item), item}))
    return found
  }

  const convert = async (chunk: VFile): Promise<string | undefined> => {
    const text = String(chunk.value)
    const from = chunk.data.sourceLocale ?? 'zh-Hant'
    const to = options.to
    let output: string | undefined
    let where: ReturnType<typeof location> | undefined
    const at = () => (where ??= location(chunk))
    // Line breaks in the chunk, when a pass over it counted them.
    let breaks: number | undefined

    if (text.includes('-{') || (options.glossary && options.glossary.entries.length > 0) || (chunk.data.glossary?.entries.length ?? 0) > 0) {
      // Rule markup or a glossary: the general path.
      chunk.data.corrections = corrections
      if (options.keepSourceForms) chunk.data.keepSourceForms = true
      if (options.quotes) chunk.data.quotes = options.quotes
      const {convertPlain} = await import('./index.ts')
      try {
        const result = convertPlain(chunk, {to, corrections, ...(options.glossary ? {glossary: options.glossary} : {})})
        output = applyEdits(text, result.edits)
        for (const {offset, ...item} of result.review) add(chunk, offset, item, at())
      } catch (error) {
        if (!(error instanceof VFileMessage)) throw error
      }
    } else {
      output = convertFast(text, from, to)
    }

    const lastBreak = text.lastIndexOf('\n')
    if (lastBreak === -1) {
      base.column += text.length
    } else {
      // Counted by the review's pass over the text when it made one.
      breaks ??= countBreaks(text)

      base.line += breaks
      base.column = text.length - lastBreak - 1
    }

    return output

    function convertFast(text: string, from: Locale, to: Locale): string {
      const converter = getConverter(from, to, {corrections})
      // The text's code units, made once: same-length changes (standard
      // forms, restyled quotation marks) are written into them, and the
      // engine and the review read them.
      const units = codeUnits(text)
      let patched = false
      // A Traditional source's non-standard forms become standard ones
      // (same length), line by line: each line's entry then also holds its review.
      let lines: Lines | undefined
      if (corrections && traditional[from] && !options.keepSourceForms) {
        lines = standardText(text, from, units)
        patched = lines.patched
      }

      const style = resolveQuoteStyle(options.quotes, from, to, corrections)
      const offsets = style === 'keep' ? [] : quoteMarks(text)
      if (offsets.length > 0) {
        // No dictionary key holds a quotation mark: restyling them first changes no match.
        const content = contentMarks(text, offsets)
        const marks = mapQuotes(text, createQuoteState(), style, (offset) => content.has(offset), offsets)
        let line = 0
        for (const mark of marks) {
          // A mark is one code unit; written into the units, not concatenated.
          if (mark.text.length !== 1) throw new Error(`quote mark \`${mark.text}\` is not one code unit`)
          units[mark.offset] = mark.text.charCodeAt(0)
          patched = true
          // Its line is no longer the entry's text.
          if (lines) {
            while (line + 1 < lines.starts.length && lines.starts[line + 1]! <= mark.offset) line++
            lines.entries[line] = undefined
          }
        }
      }

      if (lines && from !== to) {
        // Each line in standard forms converted once (a line converts the
        // same wherever it stands), the rest in stretches.
        const output = convertStandardLines(converter, text, units, lines)
        reviewLines(text, from, to, lines, output.disputed, (index, start, end) => (lines.entries[index] as StandardLine | undefined)?.standard ?? decodeUnits(units, start, end))
        breaks = lines.starts.length - 1
        return output.text
      }

      const input = patched ? decodeUnits(units, 0, units.length) : text
      if (!corrections && from !== to && converter.scan) {
        // Exact: the review from the conversion's own groups, no second alignment.
        const found: Array<number> = []
        const output = converter.scan(input, units, watchTable(from, to), found)
        reviewFound(input, text, output, found, from, to)
        breaks = countBreaks(input)
        return output
      }

      const disputed: Array<number> = []
      const converted = corrections ? convertCorrected(converter, input, units, disputed, lines === undefined) : {text: converter.convert(input, undefined, units)}
      if (from === to) return converted.text
      const reviewed = lines ?? converted.lines
      if (reviewed) {
        reviewLines(text, from, to, reviewed, disputed, (_index, start, end) => input.slice(start, end))
        breaks = reviewed.starts.length - 1
      } else {
        breaks = review(input, units, text, from, to, disputed)
      }

      return converted.text
    }
  }

  /**
   * The corrected conversion of a Traditional text put in standard forms
   * line by line (`standardText`): a line whose entry holds its conversion
   * takes it; the others (new lines, and lines whose quotation marks were
   * restyled: they have no entry) are converted together, a stretch of
   * consecutive ones at a time, as `convertCorrected` converts a text, and
   * each entry keeps its line's output. The same output as converting the
   * whole text: no phrase crosses a line break, and no conversion adds or
   * removes one.
   */
  const convertStandardLines = (converter: Converter, text: string, units: Uint16Array, lines: Lines): {text: string; disputed: Array<number>} => {
    const count = lines.starts.length
    const outputs: Array<string> = []
    const disputed: Array<number> = []
    const entryAt = (index: number) => lines.entries[index] as StandardLine | undefined
    let index = 0
    while (index < count) {
      const entry = entryAt(index)
      if (entry?.converted !== undefined) {
        outputs.push(entry.converted)
        for (const offset of entry.disputed!) disputed.push(lines.starts[index]! + offset)
        index++
        continue
      }

      let last = index + 1
      while (last < count && entryAt(last)?.converted === undefined) last++
      const start = lines.starts[index]!
      const end = last < count ? lines.starts[last]! - 1 : text.length
      const found: Array<number> = []
      const stretchUnits = units.subarray(start, end)
      // The exact stretches' scan (their review's pieces), in the stretch's offsets and the output's.
      const scan: ExactScan = {pieces: [], checked: new Set()}
      const stretch = decodeUnits(units, start, end)
      const converted = convertCorrected(converter, stretch, stretchUnits, found, false, scan).text
      if (found.length > 1) found.sort((a, b) => a - b)
      let at = 0
      let next = 0
      let nextScanned = 0
      for (let line = index; line < last; line++) {
        const breakAt = line + 1 < last ? converted.indexOf('\n', at) : converted.length
        if (breakAt === -1) throw new Error('a conversion changed the number of lines')
        const piece = converted.slice(at, breakAt)
        outputs.push(piece)
        const lineStart = lines.starts[line]! - start
        const lineEnd = line + 1 < last ? lines.starts[line + 1]! - 1 - start : end - start
        const own: Array<number> = []
        while (next < found.length && found[next]! < lineEnd + 1) {
          if (found[next]! >= lineStart) own.push(found[next]! - lineStart)
          next++
        }

        for (const offset of own) disputed.push(start + lineStart + offset)
        const lineEntry = entryAt(line)
        // A line converted exactly is reviewed from the scan's pieces of it, as `reviewLine` reads them.
        const reviewed = lineEntry !== undefined && lineEntry.review === undefined && !scan.checked.has(lineStart)
        const lineScanned: Array<number> = []
        const {pieces} = scan
        for (; nextScanned < pieces.length && pieces[nextScanned]! < lineEnd; nextScanned += 5) {
          if (reviewed && pieces[nextScanned]! >= lineStart) {
            lineScanned.push(pieces[nextScanned]! - lineStart, pieces[nextScanned + 1]! - lineStart, pieces[nextScanned + 2]!, pieces[nextScanned + 3]! - at, pieces[nextScanned + 4]! - at)
          }
        }

        if (lineEntry) {
          lineEntry.converted = piece
          lineEntry.disputed = own
          if (reviewed) lineEntry.review = scannedItems(stretch.slice(lineStart, lineEnd), piece, lineScanned, converter.from, converter.to)
        }

        at = breakAt + 1
      }

      index = last
    }

    return {text: outputs.join('\n'), disputed}
  }

  /**
   * The corrected conversion of a text. Where the converter departs from
   * the exact conversion only on some code units (a Traditional source: the
   * word form of 著), the lines holding none of them take the exact
   * conversion, a stretch at a time; the others (and every line, for a
   * Simplified source, whose phrases are checked against the words) are
   * converted one by one, remembered.
   */
  const convertCorrected = (converter: Converter, input: string, units: Uint16Array, disputed: Array<number>, wantLines: boolean, scan?: ExactScan): {text: string; lines?: Lines} => {
    const unless = converter.exactUnless
    const holding = unless ? linesHolding(input, unless) : undefined
    const exact = getConverter(converter.from, converter.to)
    const outputs: Array<string> = []
    let written = 0
    // A stretch converted exactly; with `scan`, by the exact converter's scan, its pieces kept.
    const convertExactly = (start: number, end: number) => {
      const stretchUnits = units.subarray(start, end)
      let output: string
      if (scan && exact.scan) {
        const found: Array<number> = []
        output = exact.scan(input.slice(start, end), stretchUnits, watchTable(converter.from, converter.to), found)
        for (let at = 0; at < found.length; at += 5) scan.pieces.push(found[at]! + start, found[at + 1]! + start, found[at + 2]!, found[at + 3]! + written, found[at + 4]! + written)
      } else {
        output = exact.convert(input.slice(start, end), undefined, stretchUnits)
      }

      outputs.push(output)
      written += output.length
    }

    if (holding?.length === 0) {
      convertExactly(0, input.length)
      return {text: outputs[0]!}
    }

    let cursor = 0
    const convertLineAt = (start: number) => {
      const endAt = input.indexOf('\n', start)
      const end = endAt === -1 ? input.length : endAt
      const line = convertLine(converter, input.slice(start, end))
      outputs.push(line.text)
      written += line.text.length
      scan?.checked.add(start)
      for (const offset of line.disputed) disputed.push(start + offset)
      return {end, line}
    }

    if (holding) {
      for (const start of holding) {
        if (start > cursor) convertExactly(cursor, start)
        cursor = convertLineAt(start).end
      }

      if (cursor < input.length) convertExactly(cursor, input.length)
      return {text: outputs.join('')}
    }

    // Line by line: with corrections a line costs more, and recurs. Each
    // line's entry holds its review too.
    const lines: Lines = {starts: [], entries: [], patched: false}
    while (cursor <= input.length) {
      const {end, line} = convertLineAt(cursor)
      if (wantLines) {
        lines.starts.push(cursor)
        lines.entries.push(line)
      }

      cursor = end + 1
      if (cursor <= input.length) outputs.push('\n')
    }

    return {text: outputs.join(''), ...(wantLines ? {lines} : {})}
  }

  // Per character and locale pair: 1 reviewable in some context, 2 never (0: not known yet).
  const watched = new Map<string, Int8Array>()

  /**
   * The review of a converted text: only the lines that may hold an item (a
   * character with an unreliable one-to-many mapping, a disputed phrase)
   * are aligned again, each line's items remembered; one term per item,
   * counted, its context made at its first occurrence.
   */
  let precomputed: Record<string, string> | undefined | false
  const watchTable = (from: Locale, to: Locale): Int8Array => {
    const key = `${from}>${to}`
    let table = watched.get(key)
    if (!table) {
      table = new Int8Array(0x10000)
      // Nothing below U+3400 is watched (the review's own test).
      table.fill(2, 0, 0x3400)
      // Computed ahead of time by `npm run compile`: the review's tables
      // and ranks are then read only when a text holds a watched character.
      precomputed ??= readWatched() ?? false
      const characters = precomputed ? precomputed[key] : undefined
      if (characters !== undefined) {
        table.fill(2, 0x3400, 0xd800)
        table.fill(2, 0xe000)
        for (let index = 0; index < characters.length; index++) table[characters.charCodeAt(index)] = 1
      }

      watched.set(key, table)
    }

    return table
  }

  const review = (input: string, units: Uint16Array, text: string, from: Locale, to: Locale, disputed: Array<number>): number => {
    const table = watchTable(from, to)

    // One pass over the code units: the start of each line holding a
    // watched character (a line is not looked at again once it is in).
    const starts: Array<number> = []
    const length = input.length
    let lineStart = 0
    let taken = -1
    let breaks = 0
    for (let index = 0; index < length; index++) {
      const code = units[index]!
      if (code === 0x0a) {
        lineStart = index + 1
        breaks++
        continue
      }

      if (code < 0x3400 || lineStart === taken) continue
      let state = table[code]!
      if (state === 2) continue
      if (state === 0) {
        const astral = code >= 0xd800 && code <= 0xdbff && index + 1 < length
        // The character as a string only when it is new (a string per character is most of the scan's cost).
        const char = astral ? input.slice(index, index + 2) : input.charAt(index)
        // Unreliable characters, and the role-checked ones (后, 面, 只…) of a Simplified text.
        state = watches(char, from, to) ? 1 : 2
        if (!astral) table[code] = state
        if (state === 2) continue
      }

      starts.push(lineStart)
      taken = lineStart
    }

    // The lines of disputed phrases too, in order, once each.
    let lines = starts
    if (disputed.length > 0) {
      lines = [...starts, ...disputed.map((offset) => input.lastIndexOf('\n', offset - 1) + 1)].sort((a, b) => a - b)
      lines = lines.filter((start, index) => index === 0 || start !== lines[index - 1])
    }

    let where: ReturnType<typeof location> | undefined
    for (const start of lines) {
      const endAt = input.indexOf('\n', start)
      const end = endAt === -1 ? input.length : endAt
      for (const found of reviewLine(input.slice(start, end), from, to)) {
        where ??= location(text)
        addTerm(found.key, start + found.start, () => ({...found.item, context: context(text, start + found.start, start + found.end)}), where)
      }
    }

    return breaks
  }

  /**
   * The review of an exact conversion from what the converter's `scan`
   * found: each piece of one character on a watched code unit, reviewed as
   * the aligned review does (`reviewItems`, the chunk as its context: no
   * sentence crosses a line break), one term per item, counted, its context
   * made at its first occurrence.
   */
  const reviewFound = (input: string, text: string, output: string, found: Array<number>, from: Locale, to: Locale) => {
    let where: ReturnType<typeof location> | undefined
    foundItems(input, output, found, from, to, (start, end, item) => {
      where ??= location(text)
      addTerm(termKey(item), start, () => ({...item, context: context(text, start, end)}), where)
    })
  }

  /** The review items of an exact conversion from its `scan`: each piece of one character on a watched code unit, as the aligned review reads it. */
  const foundItems = (input: string, output: string, found: Array<number>, from: Locale, to: Locale, take: (start: number, end: number, item: Omit<ReviewItem, 'offset' | 'context'>) => void) => {
    const table = watchTable(from, to)
    for (let at = 0; at < found.length; at += 5) {
      const start = found[at]!
      const end = found[at + 1]!
      const code = input.charCodeAt(start)
      let state = table[code]!
      if (state === 2) continue
      const char = end - start === 1 ? input.charAt(start) : input.slice(start, end)
      if (state === 0) {
        state = watches(char, from, to) ? 1 : 2
        // Surrogates are asked each time (an astral character is two units).
        if (code < 0xd800 || code > 0xdfff) table[code] = state
        if (state === 2) continue
      }

      const piece: Piece = {start, end, text: output.slice(found[at + 3], found[at + 4]), phrase: false, matched: found[at + 2] === 1}
      for (const item of reviewItems(piece, char, from, to, input)) take(item.start, item.end, item.item)
    }
  }

  /** Whether a line holds a character to watch (see `review`). */
  const lineWatched = (line: string, table: Int8Array, from: Locale, to: Locale): boolean => {
    for (let index = 0; index < line.length; index++) {
      const code = line.charCodeAt(index)
      if (code < 0x3400) continue
      let state = table[code]!
      if (state === 0) {
        const astral = code >= 0xd800 && code <= 0xdbff && index + 1 < line.length
        const char = astral ? line.slice(index, index + 2) : line.charAt(index)
        state = watches(char, from, to) ? 1 : 2
        if (!astral) table[code] = state
      }

      if (state === 1) return true
    }

    return false
  }

  /**
   * The review of a text converted line by line (or whose lines were put
   * in standard forms one by one): each line's items come from its entry,
   * made once per distinct line (a line holding no watched character and
   * no disputed phrase has none); a line whose entry no longer holds its
   * text (quotation marks restyled) is reviewed as `review` would.
   */
  const reviewLines = (text: string, from: Locale, to: Locale, lines: Lines, disputed: Array<number>, lineText: (index: number, start: number, end: number) => string) => {
    const table = watchTable(from, to)
    let where: ReturnType<typeof location> | undefined
    if (disputed.length > 1) disputed.sort((a, b) => a - b)
    let next = 0
    for (let index = 0; index < lines.starts.length; index++) {
      const start = lines.starts[index]!
      const end = index + 1 < lines.starts.length ? lines.starts[index + 1]! - 1 : text.length
      let hasDisputed = false
      while (next < disputed.length && disputed[next]! < end) {
        if (disputed[next]! >= start) hasDisputed = true
        next++
      }

      const entry = lines.entries[index]
      let items: Array<LineItem>
      if (entry) {
        // The entry's review is of its text: a disputed phrase of that text is the entry's too.
        if (entry.review === undefined) {
          const line = lineText(index, start, end)
          entry.review = lineWatched(line, table, from, to) || hasDisputed ? reviewLine(line, from, to) : []
        }

        items = entry.review
      } else {
        const line = lineText(index, start, end)
        items = hasDisputed || lineWatched(line, table, from, to) ? reviewLine(line, from, to) : []
      }

      for (const found of items) {
        where ??= location(text)
        addTerm(found.key, start + found.start, () => ({...found.item, context: context(text, start + found.start, start + found.end)}), where)
      }
    }
  }

  // Per character and source locale: 1 its standard form could be another (the lint's `mayDiffer`), 2 not.
  const differing = new Map<Locale, Int8Array>()
  const lineMayDiffer = (line: string, from: Locale): boolean => {
    let table = differing.get(from)
    if (!table) {
      table = new Int8Array(0x10000)
      differing.set(from, table)
    }

    for (let index = 0; index < line.length; index++) {
      const code = line.charCodeAt(index)
      if (code < 0x2e80) continue
      if (code >= 0xd800 && code <= 0xdbff) {
        // An astral character: asked each time (rare).
        if (mayDiffer(line, index, Math.min(line.length, index + 2), from)) return true
        index++
        continue
      }

      let state = table[code]!
      if (state === 0) {
        state = mayDiffer(line, index, index + 1, from) ? 1 : 2
        table[code] = state
      }

      if (state === 1) return true
    }

    return false
  }

  // Each line in standard forms (a line's findings are the same alone as
  // in its text: no phrase crosses a line break), remembered per source locale.
  const standardLines = new Map<Locale, BoundedMemory<StandardLine>>()
  const standardText = (text: string, from: Locale, units: Uint16Array): Lines => {
    let memory = standardLines.get(from)
    if (!memory) {
      // An entry holds its line, its standard form when it differs, and later its conversion.
      memory = budget.memory<StandardLine>({size: (key, value) => (value.changes.length > 0 ? 3 : 2) * key.length})
      standardLines.set(from, memory)
    }

    const lines: Lines = {starts: [], entries: [], patched: false}
    let start = 0
    while (start <= text.length) {
      const endAt = text.indexOf('\n', start)
      const end = endAt === -1 ? text.length : endAt
      const line = text.slice(start, end)
      const entry = memory.recall(line, () => {
        // No character that could differ from its standard form: nothing for the lint (and no round trip to try).
        if (!lineMayDiffer(line, from)) return {standard: line, changes: []}
        // The lint itself, without the round trip's own pre-check: a line
        // that comes back from it has no finding, but most lines of a Taiwan
        // text (its vocabulary) or of a text with findings do not, and the
        // lint skips clauses and remembers the clauses it has linted.
        // The line is converted without alignment: the lint aligns only what it lints.
        const findings = lintTraditional(line, from, {wholeAlignment: false})
        const standard = findings.length > 0 ? standardForms(line, findings) : line
        const changes: Array<number> = []
        for (let index = 0; index < line.length; index++) if (standard.charCodeAt(index) !== line.charCodeAt(index)) changes.push(index, standard.charCodeAt(index))
        return {standard, changes}
      })
      const {changes} = entry
      for (let index = 0; index < changes.length; index += 2) units[start + changes[index]!] = changes[index + 1]!
      if (changes.length > 0) lines.patched = true
      lines.starts.push(start)
      lines.entries.push(entry)
      start = end + 1
    }

    return lines
  }

  const finish = (file: VFile) => {
    const sorted = [...terms.values()].sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column)
    for (const {item, count: times, place} of sorted) {
      // A count only where there is more than one.
      const count = times > 1 ? times : undefined
      if (item.kind === 'phrase') {
        report(file, 'disputed-phrase', {phrase: item.char, output: item.output, locales: item.locale, ...(count ? {count} : {})}, {
          place,
          expected: item.alternatives,
          note: `first here: ${item.context}; character by character: ${item.alternatives.at(-1)}; pin the right one with a glossary entry or a -{…}- rule`
        })
        continue
      }

      report(file, 'ambiguous-conversion', {char: item.char, output: item.output, locales: item.locale, ...(count ? {count} : {})}, {
        place,
        expected: item.alternatives,
        note: `first here: ${item.context}; candidates: ${item.alternatives.join(' ')}; pin the right one with a glossary entry or a -{…}- rule`
      })
    }
  }

  return {convert, finish, position: () => ({...base})}
}

/** The line breaks of a text. */
function countBreaks(text: string): number {
  let breaks = 0
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) breaks++
  return breaks
}

/** Whether a text holds one of `units`. */
function holdsAny(text: string, units: ReadonlySet<number>): boolean {
  if (units.size === 0) return false
  for (let index = 0; index < text.length; index++) if (units.has(text.charCodeAt(index))) return true
  return false
}

/** Start offsets of the lines of `text` that hold one of `units`, in order, once each. */
function linesHolding(text: string, units: ReadonlySet<number>): Array<number> {
  const starts: Array<number> = []
  for (const unit of units) {
    const char = String.fromCharCode(unit)
    for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) {
      const start = text.lastIndexOf('\n', at - 1) + 1
      if (starts.at(-1) !== start) starts.push(start)
    }
  }

  if (units.size > 1) starts.sort((a, b) => a - b)
  return starts.filter((start, index) => index === 0 || start !== starts[index - 1])
}

/** Whether the review watches a character: an unreliable one-to-many mapping, or (a Simplified source) a role-checked character with alternatives. */
function watches(char: string, from: Locale, to: Locale): boolean {
  return (!isReliable(char, from, to) || (!traditional[from] && roleChecked.has(char))) && alternativesFor(char, from, to) !== undefined
}

/**
 * The characters of the Basic Multilingual Plane (from U+3400, surrogates
 * left out) that the review of a plain text watches for a locale pair:
 * a line without any holds nothing to review. `npm run compile` writes
 * them for every pair (`lib/convert/watched.json`), so a conversion reads
 * the review's tables only for a text that holds one.
 *
 * @param from Source locale.
 * @param to Output locale.
 * @returns The characters, in code order.
 */
export function watchedCharacters(from: Locale, to: Locale): string {
  let result = ''
  for (let code = 0x3400; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const char = String.fromCharCode(code)
    if (watches(char, from, to)) result += char
  }

  return result
}

/** The watched characters `npm run compile` wrote beside this module, if it did. */
function readWatched(): Record<string, string> | undefined {
  return compiledTable<Record<string, string> | undefined>('watched.json', () => undefined)
}

/** The code units `[start, end)` as a string (lone surrogates kept). */
function decodeUnits(units: Uint16Array, start: number, end: number): string {
  return Buffer.from(units.buffer, units.byteOffset + start * 2, (end - start) * 2).toString('utf16le')
}
