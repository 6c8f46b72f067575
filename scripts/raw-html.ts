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
