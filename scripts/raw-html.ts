/**
 * Raw HTML inside Markdown, read with parse5 for its text and attributes
 * with their source offsets: what conversion may change and what links
 * point at. Reading only: the HTML is never re-serialized.
 */
import {parseFragment, type DefaultTreeAdapterTypes} from 'parse5'

type Parent = DefaultTreeAdapterTypes.ParentNode
type Child = DefaultTreeAdapterTypes.ChildNode

/** An attribute with the source range of its value (quotes excluded). */
export interface RawAttribute {
  name: string
  value: string
  /** Range of the value in the source; `undefined` when the attribute has no value written. */
  start?: number
  end?: number
}

/** What {@link walkHtml} reports. */
export interface HtmlVisitor {
  /** An element's start tag, with `inert` when it sits inside code-like or script content. */
  element?: (tagName: string, attributes: Array<RawAttribute>, inert: boolean) => void
  /** A text node: source range and whether it sits inside code-like or script content. */
  text?: (start: number, end: number, inert: boolean) => void
}

/** Elements whose content is code, keyboard input, variables or script: never converted. */
export const inertElements = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'script', 'style', 'textarea', 'math', 'svg'])

/**
 * Walk one piece of raw HTML (an mdast `html` node's value).
 *
 * @param value The HTML as written.
 * @param offset Source offset of its first character.
 * @param visitor Callbacks.
 */
export function walkHtml(value: string, offset: number, visitor: HtmlVisitor): void {
  if (!walkSimpleTag(value, offset, visitor)) walkParsed(value, offset, visitor)
}

/**
 * {@link walkHtml} through parse5 always, without the shortcut for a lone
 * tag (which must visit the same: the tests compare them).
 *
 * @param value The HTML as written.
 * @param offset Source offset of its first character.
 * @param visitor Callbacks.
 */
export function walkParsed(value: string, offset: number, visitor: HtmlVisitor): void {
  const fragment = parseFragment(value, {sourceCodeLocationInfo: true})
  const visit = (node: Parent, inert: boolean) => {
    for (const child of node.childNodes as Array<Child>) {
      if (child.nodeName === '#text') {
        const location = (child as DefaultTreeAdapterTypes.TextNode).sourceCodeLocation
        if (location && visitor.text) visitor.text(offset + location.startOffset, offset + location.endOffset, inert)
      } else if ('tagName' in child) {
        const element = child as DefaultTreeAdapterTypes.Element
        const location = element.sourceCodeLocation
        // Elements parse5 made up (an implied <tbody>) have no source.
        if (location && visitor.element) {
          const attributes = element.attrs.map((attribute): RawAttribute => {
            const place = location.attrs?.[attribute.name]
            const range = place ? valueRange(value, place.startOffset, place.endOffset) : undefined
            return range ? {...attribute, start: offset + range.start, end: offset + range.end} : {...attribute}
          })
          visitor.element(element.tagName, attributes, inert)
        }

        const inner = inert || inertElements.has(element.tagName)
        visit(element, inner)
        if (element.tagName === 'template') visit((element as DefaultTreeAdapterTypes.Template).content, inner)
      }
    }
  }

  visit(fragment, false)
}

/** The value of `name="value"` inside `value.slice(start, end)`, quotes excluded. */
function valueRange(value: string, start: number, end: number): {start: number; end: number} | undefined {
  const source = value.slice(start, end)
  const equals = source.indexOf('=')
  if (equals === -1) return undefined
  let from = equals + 1
  while (/\s/.test(source.charAt(from))) from++
  const quote = source.charAt(from)
  if (quote === '"' || quote === "'") return {start: start + from + 1, end: start + source.lastIndexOf(quote)}
  return {start: start + from, end}
}

/** Elements a lone start tag makes as they are in a fragment (no table part, no head element, no renamed or foreign one). */
const plainElements = new Set([
  'a', 'abbr', 'b', 'br', 'cite', 'code', 'del', 'dfn', 'div', 'em', 'i', 'img', 'ins', 'kbd', 'mark', 'p', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'var', 'wbr'
])

// HTML's white space (not JavaScript's `\s`); no carriage return and no
// character reference in a value (a parser rewrites both).
const lone = {
  start: /^<([a-z][a-z\d]*)((?:[ \t\n\f]+[a-z][a-z\d-]*(?:[ \t\n\f]*=[ \t\n\f]*(?:"[^"&\r]*"|'[^'&\r]*'))?)*)[ \t\n\f]*\/?>$/,
  attribute: /([a-z][a-z\d-]*)(?:[ \t\n\f]*=[ \t\n\f]*(?:"([^"]*)"|'([^']*)'))?/dg,
  end: /^<\/[a-zA-Z][a-zA-Z\d]*[ \t\n\f]*>$/
}

/**
 * Most raw HTML in Markdown is one tag (`<span class="filename">`, `</span>`)
 * or a comment: read those without parse5, as its fragment parser reads
 * them. A lone end tag or a comment holds no element and no text (a
 * fragment's parser ignores an end tag it has not opened); a lone start tag
 * of an ordinary element is that element, its attributes as written.
 *
 * @returns Whether the value was such, and visited.
 */
function walkSimpleTag(value: string, offset: number, visitor: HtmlVisitor): boolean {
  if (lone.end.test(value) || isLoneComment(value)) return true
  const start = lone.start.exec(value)
  if (!start || !plainElements.has(start[1]!)) return false
  const tagName = start[1]!
  const attributes: Array<RawAttribute> = []
  const base = 1 + tagName.length
  for (const match of start[2]!.matchAll(lone.attribute)) {
    const name = match[1]!
    // A parser keeps the first of two attributes of one name.
    if (attributes.some((attribute) => attribute.name === name)) return false
    const group = match[2] === undefined ? (match[3] === undefined ? undefined : 3) : 2
    const range = group === undefined ? undefined : match.indices![group]!
    attributes.push(range ? {name, value: match[group!]!, start: offset + base + range[0], end: offset + base + range[1]} : {name, value: ''})
  }

  visitor.element?.(tagName, attributes, false)
  return true
}

/** One comment and nothing else: no way a parser would end it earlier (`<!-->`, `-->` inside) or open another. */
function isLoneComment(value: string): boolean {
  if (!value.startsWith('<!--') || !value.endsWith('-->') || value.length < 7) return false
  const data = value.slice(4, -3)
  return !data.startsWith('>') && !data.startsWith('->') && !data.endsWith('-') && !data.endsWith('--!') && !/-->|--!>|<!--/.test(data)
}
