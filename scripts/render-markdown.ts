/**
 * Source + edits → Markdown. Patches ranges, never re-serialises, so the
 * output equals the source byte for byte outside converted characters.
 */
import type {Edit} from './types.ts'

/**
 * Apply edits to a source text.
 *
 * @param source Original text.
 * @param edits Non-overlapping replacements, sorted by `start`.
 * @returns The patched text.
 */
export function applyEdits(source: string, edits: ReadonlyArray<Edit>): string {
  let result = ''
  let last = 0
  for (const edit of edits) {
    if (edit.start < last) throw new Error('`edits` overlap at offset ' + edit.start)
    result += source.slice(last, edit.start) + edit.text
    last = edit.end
  }

  return result + source.slice(last)
}
