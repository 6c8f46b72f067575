/**
 * Which source ranges of an article are converted, grouped into runs: the
 * text of one block (paragraph, heading, table cell…) seen through its
 * inline formatting, so that a phrase split by `**` still matches.
 */
import type {Nodes, Parents, PhrasingContent, Root} from 'mdast'
import type {VFile} from 'vfile'
import {walkHtml} from '../raw-html.ts'

/** A contiguous span of source text that takes part in a run. */
export interface Span {
  start: number
  end: number
  /**
   * The text this source range stands for, when it is not the range's own
   * (a front matter value written with escapes). Such a span is a run of
   * its own, and its output replaces the whole range.
   */
  text?: string
}

/** Spans converted as one text: phrases may cross span boundaries, not run boundaries. */
export type Run = Array<Span>

/**
 * The runs of one block (a paragraph, heading, cell, front matter value, alt
 * text or title), in order: quotes pair up across the runs of a block.
 */
export type Block = Array<Run>

/** Blocks whose phrasing children form one run each. */
const phrasingBlocks = new Set(['paragraph', 'heading', 'tableCell'])

/** Inline nodes conversion looks through (they do not break a phrase). */
const transparent = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference'])

/**
 * Collect the blocks of an article: front matter fields, then block text in
 * document order. Code, raw HTML, URLs and link destinations are never part
 * of a run.
 *
 * @param tree Parsed article (with positions).
 * @param file The article (its `fieldRanges` and source text).
 * @returns Blocks of runs with source offsets, in document order.
 */
export function collectBlocks(tree: Root, file: VFile): Array<Block> {
  const source = String(file.value)
  const blocks: Array<Block> = []

  for (const range of file.data.fieldRanges ?? []) {
    blocks.push([[range.value === undefined ? {start: range.start, end: range.end} : {start: range.start, end: range.end, text: range.value}]])
  }

  visitBlocks(tree, source, blocks)
  return blocks
}

function visitBlocks(node: Nodes, source: string, blocks: Array<Block>): void {
  if (node.type === 'html') {
    blocks.push(...htmlBlocks(node))
    return
  }

  if (phrasingBlocks.has(node.type)) {
    const block: Block = []
    // Alt texts and titles are blocks of their own, after this one.
    const extra: Array<Block> = []
    const run: Run = []
    for (const child of (node as Parents).children as Array<PhrasingContent>) {
      collectPhrasing(child, source, run, block, extra)
    }

    flush(run, block)
    if (block.length > 0) blocks.push(block)
    blocks.push(...extra)
    return
  }

  if ('children' in node) {
    for (const child of node.children) visitBlocks(child as Nodes, source, blocks)
  }
}

/**
 * Add phrasing content to the current run; code, HTML, breaks and images
 * end it, since their text is not part of the sentence around them.
 */
function collectPhrasing(node: PhrasingContent, source: string, run: Run, block: Block, extra: Array<Block>): void {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined) return

  if (node.type === 'text') {
    run.push({start, end})
    return
  }

  if (transparent.has(node.type)) {
    // Autolinks (`<https://…>`, bare `www.…`) show their URL as text: leave it.
    if (node.type === 'link' && source.charCodeAt(start) !== 91 /* [ */) return
    for (const child of (node as Parents).children as Array<PhrasingContent>) {
      collectPhrasing(child, source, run, block, extra)
    }

    if (node.type === 'link' && node.title) pushTitle(source, start, end, extra)
    return
  }

  // Anything else is a boundary: flush the run so far.
  flush(run, block)

  if (node.type === 'image') {
    const alt = imageAlt(source, start, end)
    if (alt) extra.push([[alt]])
    if (node.title) pushTitle(source, start, end, extra)
  } else if (node.type === 'imageReference') {
    const alt = imageAlt(source, start, end)
    if (alt) extra.push([[alt]])
  } else if (node.type === 'html') {
    extra.push(...htmlBlocks(node))
  } else if (node.type === 'footnoteReference' || node.type === 'inlineCode' || node.type === 'break') {
    // Never converted.
  }
}

function flush(run: Run, block: Block): void {
  if (run.length > 0) block.push(run.splice(0))
}

/** The alt text of `![alt](…)` or `![alt][ref]`: from `![` to its closing `]`. */
function imageAlt(source: string, start: number, end: number): Span | undefined {
  const close = closingBracket(source, start + 2, end)
  return close > start + 2 ? {start: start + 2, end: close} : undefined
}

/**
 * The `]` closing a bracket opened just before `from`, skipping escapes and nested brackets.
 *
 * @returns Its offset, or -1 when there is none before `end`.
 */
export function closingBracket(source: string, from: number, end: number): number {
  let depth = 0
  for (let index = from; index < end; index++) {
    const code = source.charCodeAt(index)
    if (code === 92 /* \ */) index++
    else if (code === 91 /* [ */) depth++
    else if (code === 93 /* ] */) {
      if (depth === 0) return index
      depth--
    }
  }

  return -1
}

/** The title of `[text](url "title")`: the quoted part before the closing `)`. */
function pushTitle(source: string, start: number, end: number, blocks: Array<Block>): void {
  if (source.charAt(end - 1) !== ')') return
  let last = end - 2
  while (last > start && /\s/.test(source.charAt(last))) last--
  const closer = source.charAt(last)
  if (closer !== '"' && closer !== "'" && closer !== ')') return
  const open = source.lastIndexOf(closer === ')' ? '(' : closer, last - 1)
  const destination = source.indexOf('](', start)
  if (destination !== -1 && open > destination + 1 && open + 1 < last) {
    blocks.push([[{start: open + 1, end: last}]])
  }
}

/** Attributes whose value is text a reader sees: converted like the text. */
const textAttributes = new Set(['title', 'alt', 'aria-label'])

/**
 * The text of raw HTML: each text node (outside `code`, `pre`, `kbd`,
 * `samp`, `var`, `script`, `style`) is a run, and `title`, `alt` and
 * `aria-label` values are blocks of their own. Tag names, other attributes
 * and comments are never converted.
 */
function htmlBlocks(node: {value: string; position?: {start: {offset?: number}}}): Array<Block> {
  const offset = node.position?.start.offset
  if (offset === undefined || !/[^\x00-\x7F]/.test(node.value)) return []
  const block: Block = []
  const attributes: Array<Block> = []
  walkHtml(node.value, offset, {
    text(start, end, inert) {
      if (!inert && end > start) block.push([{start, end}])
    },
    element(_, list, inert) {
      if (inert) return
      for (const attribute of list) {
        if (textAttributes.has(attribute.name) && attribute.start !== undefined && attribute.end! > attribute.start) {
          attributes.push([[{start: attribute.start, end: attribute.end!}]])
        }
      }
    }
  })
  return [...(block.length > 0 ? [block] : []), ...attributes]
}
