/**
 * What the sanitizer schema alone does not hold: every URL of every
 * URL-bearing attribute (each `srcset` candidate, not only the first),
 * author heading ids that would clash with the page's own, and control
 * characters. Steps of the body's one pass after sanitizing (render-html.ts).
 */
import type {Element, Nodes, Root as HastRoot} from 'hast'
import {urlAttributes} from 'html-url-attributes'
import {walk} from './walk.ts'

/** Ids the page template uses itself; an author heading never gets one. */
export const reservedPageIds = ['toc-title'] as const

const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

/**
 * Remove C0 and C1 control characters (tab, line feed and carriage return
 * stay) from a text.
 *
 * @param value Text.
 * @returns The text without them.
 */
export function removeControlCharacters(value: string): string {
  return hasControls.test(value) ? value.replace(controls, '') : value
}

const hasControls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

/** Whether a URL has no scheme (relative) or one of `protocols`, as a browser reads it. */
export function isSafeUrl(raw: string, protocols: ReadonlyArray<string>): boolean {
  // Browsers drop tabs and line breaks inside a URL and trim C0 and spaces around it.
  const value = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  const colon = value.indexOf(':')
  const firstOf = (char: string) => {
    const index = value.indexOf(char)
    return index === -1 ? Infinity : index
  }

  if (colon === -1 || colon > Math.min(firstOf('/'), firstOf('?'), firstOf('#'))) return true
  return protocols.includes(value.slice(0, colon).toLowerCase())
}

/** The URLs of a `srcset`: every candidate's, not only the first. */
export function srcsetUrls(value: string): Array<string> {
  // Splitting at every comma over-splits a `data:…,…` URL: its pieces are
  // checked too, and its first piece still shows the scheme.
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean)
}

const urlProperties = [...Object.keys(urlAttributes), 'longDesc', 'srcSet']

/**
 * Drop every URL-bearing attribute of an element with a URL outside its
 * allowed schemes: the schema's list for `href`, `src`, `cite` and
 * `longDesc`, http(s) for every other one, and every candidate of `srcSet`.
 *
 * @param node The element, changed in place.
 * @param protocols Allowed schemes per property (the sanitize schema's).
 */
export function dropUnsafeUrls(node: Element, protocols: Record<string, ReadonlyArray<string> | null | undefined>): void {
  for (const key of urlProperties) {
    const value = node.properties[key]
    if (value === undefined || value === null) continue
    const allowed = protocols[key] ?? ['http', 'https']
    const urls = key === 'srcSet' ? srcsetUrls(Array.isArray(value) ? value.join(',') : String(value)) : Array.isArray(value) ? value.map(String) : [String(value)]
    if (!urls.every((url) => isSafeUrl(url, allowed))) delete node.properties[key]
  }
}

/**
 * Whether an element is a heading of the author (before heading ids are
 * given): every heading but those the page makes itself (the footnote
 * section's, whose ids are `except`).
 */
export function isAuthorHeading(node: Element, except: ReadonlyArray<string>): boolean {
  return /^h[1-6]$/.test(node.tagName) && !except.includes(String(node.properties.id))
}

/**
 * Once every id is given: an author heading whose id is one of the page's
 * own, carries the `user-content-` prefix of footnotes and raw HTML, or is
 * taken by another element, gets the next free `-1`, `-2` … form instead.
 *
 * @param authored The author headings that have an id, in document order.
 * @param taken Every other id of the page, and the page's own ids; grows.
 * @param prefix The clobber prefix.
 */
export function renameClashingIds(authored: ReadonlyArray<Element>, taken: Set<string>, prefix: string): void {
  const renamed: Array<Element> = []
  for (const node of authored) {
    const id = node.properties.id as string
    if (taken.has(id) || id.startsWith(prefix)) renamed.push(node)
    else taken.add(id)
  }

  for (const node of renamed) {
    const id = node.properties.id as string
    // An id that starts with the prefix is renamed without it, so it cannot shadow a footnote.
    const base = id.startsWith(prefix) ? 'h-' + id.slice(prefix.length) : id
    let count = 1
    while (taken.has(`${base}-${count}`)) count++
    node.properties.id = `${base}-${count}`
    taken.add(node.properties.id)
  }
}

/**
 * Remove control characters from every text and attribute value of a tree, in place.
 *
 * @param tree A hast tree (a body or a whole page).
 */
export function removeControls(tree: HastRoot | Element): void {
  walk<Nodes>(tree, (node) => {
    if (node.type === 'text' || node.type === 'comment') node.value = removeControlCharacters(node.value)
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (typeof value === 'string') node.properties[key] = removeControlCharacters(value)
        else if (Array.isArray(value)) node.properties[key] = value.map((item) => (typeof item === 'string' ? removeControlCharacters(item) : item))
      }
    }
  })
}
