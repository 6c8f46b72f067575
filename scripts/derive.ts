/**
 * Source tree + conversion edits → the converted article's tree, without
 * parsing the converted Markdown again (parse once).
 *
 * Conversion replaces characters inside text (text nodes, image alt texts,
 * titles, front matter values) by characters of the same kind, so the
 * converted Markdown has the same structure as the source: only the values
 * of the leaves that hold edited text change. Each edit is mapped into the
 * value of the leaf whose source range holds it (through an alignment of the
 * value with its source text, which may differ by escapes and the line
 * prefixes of block quotes and list items), and positions move by the
 * lengths the edits add or remove.
 *
 * When an edit could change the structure (it brings ASCII punctuation, a
 * line break or nothing, or changes the kind of character next to a
 * delimiter), or it cannot be mapped exactly (inside an entity, a shortcut
 * reference whose label it would change), derivation gives up and returns
 * `undefined`: the caller parses the converted Markdown instead. Tests check
 * that a derived tree equals the parsed one on the seed, the bench corpus
 * and the fixtures.
 */
import type {Nodes, Root} from 'mdast'
import {location} from 'vfile-location'
import type {Edit} from './types.ts'
import {closingBracket} from './convert/blocks.ts'

export interface DeriveOptions {
  /** Give nodes positions in the converted text (default: none, as the document model has). */
  positions?: boolean
  /** Keep the `yaml` node (default: drop it, as the document model's body does). */
  frontmatter?: boolean
}

/** A string field of a leaf, with the source range its text comes from. */
interface Slot {
  node: Nodes
  field: 'value' | 'alt' | 'title'
  start: number
  end: number
  /** Whether edits here must keep the Markdown structure (all but front matter). */
  markdown: boolean
  /** Edits that fall in the range. */
  edits: Array<Edit>
  /** Whether the text is the label of a shortcut or collapsed reference. */
  reference?: boolean
}

/**
 * Derive the tree of a converted article.
 *
 * @param tree Source tree, with positions.
 * @param source Source text.
 * @param edits Every edit that made the converted text, sorted, not overlapping.
 * @param output The converted text (`applyEdits(source, edits)`), for positions.
 * @param options Positions and front matter.
 * @returns The converted tree, or `undefined` when it cannot be derived safely.
 */
export function deriveTree(
  tree: Root,
  source: string,
  edits: ReadonlyArray<Edit>,
  output: string,
  options: DeriveOptions = {}
): Root | undefined {
  const slots = collectSlots(tree, source)
  let index = 0
  for (const edit of edits) {
    while (index < slots.length && slots[index]!.end < edit.end) index++
    const slot = slots[index]
    if (!slot || edit.start < slot.start) return undefined
    if (slot.markdown && !keepsStructure(source, edit)) return undefined
    slot.edits.push(edit)
  }

  const values = new Map<Nodes, Partial<Record<Slot['field'], string>>>()
  for (const slot of slots) {
    if (slot.edits.length === 0) continue
    // Shortcut and collapsed references take their label from their text:
    // converting it would change what they refer to.
    if (slot.reference) return undefined
    const current = (slot.node as unknown as Record<string, string>)[slot.field]!
    const value = editValue(current, source, slot)
    if (value === undefined) return undefined
    const changed = values.get(slot.node) ?? {}
    changed[slot.field] = value
    values.set(slot.node, changed)
  }

  const shift = offsetMap(edits)
  const where = options.positions ? location(output) : undefined
  return copy(tree, values, options, where, shift) as Root
}

/**
 * The converted front matter: the value of the `yaml` (or `toml`) node with its edits.
 *
 * @param tree Source tree, with positions.
 * @param source Source text.
 * @param edits Every edit of the conversion, sorted.
 * @returns The YAML (or TOML) text, or `undefined` when the article has no front matter.
 */
export function deriveFrontmatter(tree: Root, source: string, edits: ReadonlyArray<Edit>): string | undefined {
  const node = tree.children[0]
  if ((node?.type !== 'yaml' && node?.type !== 'toml') || node.position?.start.offset === undefined || node.position.end.offset === undefined) return undefined
  const start = source.indexOf('\n', node.position.start.offset) + 1
  const end = node.position.end.offset
  const slot: Slot = {node, field: 'value', start, end, markdown: false, edits: edits.filter((edit) => edit.start >= start && edit.end <= end)}
  return editValue(node.value, source, slot)
}

/**
 * Whether replacing `edit`'s source text cannot change how the Markdown
 * around it parses: it brings no ASCII and no line break, and the
 * characters on either side of it (which delimiter runs next to it look at)
 * stay of the same kind, unless that neighbour is not ASCII anyway.
 */
function keepsStructure(source: string, edit: Edit): boolean {
  const before = source.slice(edit.start, edit.end)
  const after = edit.text
  // eslint-disable-next-line no-control-regex
  if (before === '' || /[\u0000-\u007F\u2028\u2029]/.test(after) || /[\r\n]/.test(before)) return false
  const previous = source.charAt(edit.start - 1)
  const next = source.charAt(edit.end)
  if (after === '') {
    // A deletion joins its neighbours: it must not bare white space (which
    // the parser trims at the ends of a line), join two ASCII marks into one
    // run (`*` + `*`), or put ASCII at the start of a line (`# `, `1.`).
    const space = (character: string) => character === '' || /\s/.test(character)
    const ascii = (character: string) => character.charCodeAt(0) <= 0x7f
    if (space(next) || (space(previous) && ascii(next)) || (ascii(previous) && ascii(next))) return false
  }

  // What the neighbour on each side sees once the edit is made (a deletion joins them).
  const right = after === '' ? next : after.charAt(0)
  const left = after === '' ? previous : after.charAt(after.length - 1)
  return (
    (neutral(previous) || kind(before.charAt(0)) === kind(right)) &&
    (neutral(next) || kind(before.charAt(before.length - 1)) === kind(left))
  )
}

/** A neighbour that no Markdown construct looks at across an edit: not ASCII, or white space. */
function neutral(character: string): boolean {
  return character === '' || character.charCodeAt(0) > 0x7f || /\s/.test(character)
}

/** The character classes CommonMark's flanking rules look at. */
function kind(character: string): 'space' | 'punctuation' | 'other' {
  if (/\s/u.test(character)) return 'space'
  if (/[\p{P}\p{S}]/u.test(character)) return 'punctuation'
  return 'other'
}

/** Slots of a tree, sorted by source offset, never overlapping. */
function collectSlots(tree: Root, source: string): Array<Slot> {
  const slots: Array<Slot> = []
  const visit = (node: Nodes, reference: boolean) => {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined) return
    const markdown = node.type !== 'yaml' && node.type !== 'toml'
    if (!markdown) {
      const open = source.indexOf('\n', start) + 1
      slots.push({node, field: 'value', start: open, end, markdown, edits: []})
    } else if ('value' in node && typeof node.value === 'string') {
      slots.push({node, field: 'value', start, end, markdown, edits: [], reference})
    }

    if ((node.type === 'image' || node.type === 'imageReference') && node.alt) {
      // The alt text is between `![` and the bracket that closes it; the
      // title, if any, after it: one slot for both ends it at the title.
      const label = node.type === 'imageReference' && node.referenceType !== 'full'
      slots.push({node, field: 'alt', start: start + 2, end: altEnd(source, start, end, node), markdown, edits: [], reference: reference || label})
    }

    if ((node.type === 'image' || node.type === 'link') && node.title) {
      const range = titleRange(source, start, end)
      if (range) slots.push({node, field: 'title', start: range.start, end: range.end, markdown, edits: []})
    }

    if ('children' in node) {
      const isReference = reference || (node.type === 'linkReference' && node.referenceType !== 'full')
      for (const child of node.children) visit(child as Nodes, isReference)
    }
  }

  visit(tree, false)
  return slots.sort((a, b) => a.start - b.start)
}

function altEnd(source: string, start: number, end: number, node: Nodes): number {
  const close = closingBracket(source, start + 2, end)
  if (close !== -1) return close
  // No closing bracket: an impossible image; no slot can hold an edit.
  return node.position?.start.offset ?? start
}

/** The title of `[text](url "title")`: the quoted part before the closing `)` (as `blocks.ts` finds it). */
function titleRange(source: string, start: number, end: number): {start: number; end: number} | undefined {
  if (source.charAt(end - 1) !== ')') return undefined
  let last = end - 2
  while (last > start && /\s/.test(source.charAt(last))) last--
  const closer = source.charAt(last)
  if (closer !== '"' && closer !== "'" && closer !== ')') return undefined
  const open = source.lastIndexOf(closer === ')' ? '(' : closer, last - 1)
  const destination = source.indexOf('](', start)
  return destination !== -1 && open > destination + 1 && open + 1 < last ? {start: open + 1, end: last} : undefined
}

/**
 * Apply a slot's edits to its value. The value is aligned with the source
 * text of the slot: each character of the value is the next character of
 * the source, after skipping white space, `>` and `\` (line prefixes and
 * escapes). An edit applies when every source character it covers is a
 * character of the value, consecutively.
 */
function editValue(value: string, source: string, slot: Slot): string | undefined {
  const at = new Int32Array(slot.end - slot.start).fill(-1)
  let cursor = slot.start
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    while (cursor < slot.end && source.charCodeAt(cursor) !== code) {
      const skipped = source.charCodeAt(cursor)
      if (skipped !== 32 && skipped !== 9 && skipped !== 13 && skipped !== 10 && skipped !== 62 && skipped !== 92) return undefined
      cursor++
    }

    if (cursor === slot.end) return undefined
    at[cursor - slot.start] = index
    cursor++
  }

  let result = ''
  let last = 0
  for (const edit of slot.edits) {
    const first = at[edit.start - slot.start]!
    if (first === -1) return undefined
    for (let offset = edit.start + 1; offset < edit.end; offset++) {
      if (at[offset - slot.start] !== first + (offset - edit.start)) return undefined
    }

    result += value.slice(last, first) + edit.text
    last = first + (edit.end - edit.start)
  }

  result += value.slice(last)
  // A leaf emptied by a deletion disappears from the converted tree.
  return result === '' && slot.markdown ? undefined : result
}

/** Source offset → converted offset. */
function offsetMap(edits: ReadonlyArray<Edit>): (offset: number) => number {
  const ends = edits.map((edit) => edit.end)
  const deltas: Array<number> = []
  let total = 0
  for (const edit of edits) {
    total += edit.text.length - (edit.end - edit.start)
    deltas.push(total)
  }

  return (offset) => {
    // Edits ending at or before `offset` move it.
    let low = 0
    let high = ends.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (ends[middle]! <= offset) low = middle + 1
      else high = middle
    }

    return offset + (low === 0 ? 0 : deltas[low - 1]!)
  }
}

function copy(
  node: Nodes,
  values: Map<Nodes, Partial<Record<Slot['field'], string>>>,
  options: DeriveOptions,
  where: ReturnType<typeof location> | undefined,
  shift: (offset: number) => number
): Nodes {
  const changed = values.get(node)
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(node)) {
    const value = (node as unknown as Record<string, unknown>)[key]
    if (key === 'position') {
      if (where && node.position) {
        const start = shift(node.position.start.offset!)
        const end = shift(node.position.end.offset!)
        result.position = {start: where.toPoint(start), end: where.toPoint(end)}
      }
    } else if (key === 'children') {
      const children: Array<Nodes> = []
      for (const child of node.type === 'root' && !options.frontmatter ? (value as Array<Nodes>).filter((each) => each.type !== 'yaml' && each.type !== 'toml') : (value as Array<Nodes>)) {
        children.push(copy(child, values, options, where, shift))
      }

      result.children = children
    } else if (changed && (key === 'value' || key === 'alt' || key === 'title') && changed[key] !== undefined) {
      result[key] = changed[key]
    } else if (value !== undefined) {
      result[key] = value !== null && typeof value === 'object' ? structuredClone(value) : value
    }
  }

  return result as unknown as Nodes
}
