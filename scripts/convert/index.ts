/**
 * Convert an article into one locale as edits against its source text.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {Locale} from '../locales.ts'
import type {Edit} from '../types.ts'
import {collectRuns, type Run} from './blocks.ts'
import {getConverter, type Piece} from './engine.ts'

export interface ConvertOptions {
  /** Locale to convert into. */
  to: Locale
}

export interface ConvertResult {
  /** Replacements of source ranges, sorted by offset, never overlapping. */
  edits: Array<Edit>
  /** How many characters conversion changed. */
  converted: number
}

/**
 * Convert every text run of an article into one locale.
 *
 * @param tree Parsed article.
 * @param file The article (source text, front matter ranges, source locale).
 * @param options Target locale.
 * @returns Edits against the source text; none when the target is the source locale.
 */
export function convertArticle(tree: Root, file: VFile, options: ConvertOptions): ConvertResult {
  const from = file.data.sourceLocale ?? 'zh-Hant'
  const result: ConvertResult = {edits: [], converted: 0}
  if (from === options.to) return result

  const converter = getConverter(from, options.to)
  const source = String(file.value)
  for (const run of collectRuns(tree, file)) {
    convertRun(source, run, converter.align, result)
  }

  result.edits.sort((a, b) => a.start - b.start)
  return result
}

/**
 * Convert a run as one string and map every changed piece back onto the
 * source spans it covers.
 */
function convertRun(source: string, run: Run, align: (text: string) => Array<Piece>, result: ConvertResult): void {
  const starts: Array<number> = []
  let text = ''
  for (const span of run) {
    starts.push(text.length)
    text += source.slice(span.start, span.end)
  }

  let spanIndex = 0
  for (const piece of align(text)) {
    const original = text.slice(piece.start, piece.end)
    if (piece.text === original) continue
    result.converted += countChanged(original, piece.text)

    while (spanIndex + 1 < run.length && starts[spanIndex + 1]! <= piece.start) spanIndex++
    const toSource = (offset: number, index: number) => run[index]!.start + offset - starts[index]!
    const lastIndex = spanAt(starts, piece.end - 1, spanIndex)

    if (lastIndex === spanIndex) {
      result.edits.push({start: toSource(piece.start, spanIndex), end: toSource(piece.end, spanIndex), text: piece.text})
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
      const to = Math.min(piece.end, starts[index]! + run[index]!.end - run[index]!.start)
      const length = [...text.slice(from, to)].length
      const share = same ? outputChars.slice(consumed, consumed + length).join('') : index === spanIndex ? piece.text : ''
      consumed += length
      if (share !== text.slice(from, to)) {
        result.edits.push({start: toSource(from, index), end: toSource(to, index), text: share})
      }
    }
  }
}

function spanAt(starts: Array<number>, offset: number, from: number): number {
  let index = from
  while (index + 1 < starts.length && starts[index + 1]! <= offset) index++
  return index
}

function countChanged(before: string, after: string): number {
  const a = [...before]
  const b = [...after]
  if (a.length !== b.length) return Math.max(a.length, b.length)
  let count = 0
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) count++
  return count
}
