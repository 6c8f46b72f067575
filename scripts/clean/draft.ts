/**
 * The text being cleaned, with the raw-input offset of every code unit, so
 * each rule reports its changes at the line and column of the raw input even
 * after earlier rules moved the text around.
 */
import type {Edit} from '../types.ts'

export interface Draft {
  /** Current text. */
  text: string
  /** Raw-input offset of each code unit of `text`, plus one for its end. */
  origins: Array<number>
}

/**
 * Start a draft from the raw text.
 *
 * @param raw Decoded input.
 * @returns A draft whose origins are the identity.
 */
export function createDraft(raw: string): Draft {
  return {text: raw, origins: Array.from({length: raw.length + 1}, (_, index) => index)}
}

/**
 * Apply edits to a draft. A replacement of the same length keeps the origin
 * of each code unit; any other inserted text takes the origin of the range it
 * replaces.
 *
 * @param draft Draft to change (not mutated).
 * @param edits Non-overlapping edits against `draft.text`, in any order.
 * @returns The new draft.
 */
export function applyDraftEdits(draft: Draft, edits: ReadonlyArray<Edit>): Draft {
  if (edits.length === 0) return draft
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end)
  let text = ''
  const origins: Array<number> = []
  let cursor = 0
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start}`)
    text += draft.text.slice(cursor, edit.start)
    origins.push(...draft.origins.slice(cursor, edit.start))
    text += edit.text
    const same = edit.text.length === edit.end - edit.start
    for (let index = 0; index < edit.text.length; index++) {
      origins.push(draft.origins[same ? edit.start + index : edit.start]!)
    }

    cursor = edit.end
  }

  text += draft.text.slice(cursor)
  origins.push(...draft.origins.slice(cursor))
  return {text, origins}
}

/** One line of a draft. */
export interface DraftLine {
  /** Text of the line, without its line ending. */
  text: string
  /** Offset of its first code unit in the draft. */
  start: number
  /** Offset after its last code unit (before the line ending). */
  end: number
  /** Offset after its line ending (the next line's start). */
  next: number
}

/**
 * Split a draft's text into lines (`\n`, `\r\n` or `\r`).
 *
 * @param text Draft text.
 * @returns The lines, in order; a final line without an ending is included when not empty.
 */
export function draftLines(text: string): Array<DraftLine> {
  const lines: Array<DraftLine> = []
  const pattern = /\r\n|\r|\n/g
  let start = 0
  for (const match of text.matchAll(pattern)) {
    lines.push({text: text.slice(start, match.index), start, end: match.index, next: match.index + match[0].length})
    start = match.index + match[0].length
  }

  if (start < text.length) lines.push({text: text.slice(start), start, end: text.length, next: text.length})
  return lines
}
