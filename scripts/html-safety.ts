/**
 * What the sanitizer schema alone does not hold: every URL of every
 * URL-bearing attribute (each `srcset` candidate, not only the first),
 * author heading ids that would clash with the page's own, and control
 * characters. unified plugins for the body processor of render-html.ts.
 */
import type {Element, Root as HastRoot} from 'hast'
import {urlAttributes} from 'html-url-attributes'
import {visit} from 'unist-util-visit'

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
  return value.replace(controls, '')
}

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

/**
 * Drop every URL-bearing attribute with a URL outside its allowed schemes:
 * the schema's list for `href`, `src`, `cite` and `longDesc`, http(s) for
 * every other one, and every candidate of `srcSet`.
 *
 * @param options `protocols`: allowed schemes per property (the sanitize schema's).
 */
export function checkUrls(options: {protocols: Record<string, ReadonlyArray<string> | null | undefined>}) {
  const properties = [...Object.keys(urlAttributes), 'longDesc', 'srcSet']
  return (tree: HastRoot) => {
    visit(tree, 'element', (node: Element) => {
      for (const key of properties) {
        const value = node.properties[key]
        if (value === undefined || value === null) continue
        const allowed = options.protocols[key] ?? ['http', 'https']
        const urls = key === 'srcSet' ? srcsetUrls(Array.isArray(value) ? value.join(',') : String(value)) : Array.isArray(value) ? value.map(String) : [String(value)]
        if (!urls.every((url) => isSafeUrl(url, allowed))) delete node.properties[key]
      }
    })
  }
}

/**
 * Before heading ids are given: mark the headings of the author (every one
 * but the footnote section's own, whose id is `except`).
 *
 * @param options `except`: ids of headings the page makes itself.
 */
export function markAuthorHeadings(options: {except: ReadonlyArray<string>}) {
  return (tree: HastRoot) => {
    visit(tree, 'element', (node: Element) => {
      if (/^h[1-6]$/.test(node.tagName) && !options.except.includes(String(node.properties.id))) {
        node.data = {...node.data, authorHeading: true} as Element['data']
      }
    })
  }
}

/**
 * After rehype-slug: an author heading whose id is one of the page's own,
 * carries the `user-content-` prefix of footnotes and raw HTML, or is taken
 * by another element, gets the next free `-1`, `-2` … form instead.
 *
 * @param options `reserved`: the page's own ids; `prefix`: the clobber prefix.
 */
export function reserveIds(options: {reserved: ReadonlyArray<string>; prefix: string}) {
  return (tree: HastRoot) => {
    const authored: Array<Element> = []
    const taken = new Set<string>(options.reserved)
    visit(tree, 'element', (node: Element) => {
      const id = node.properties.id
      if (typeof id !== 'string') return
      const data = node.data as {authorHeading?: boolean} | undefined
      if (data?.authorHeading) {
        delete data.authorHeading
        authored.push(node)
      } else taken.add(id)
    })
    const renamed: Array<Element> = []
    for (const node of authored) {
      const id = node.properties.id as string
      if (taken.has(id) || id.startsWith(options.prefix)) renamed.push(node)
      else taken.add(id)
    }

    for (const node of renamed) {
      const id = node.properties.id as string
      // An id that starts with the prefix is renamed without it, so it cannot shadow a footnote.
      const base = id.startsWith(options.prefix) ? 'h-' + id.slice(options.prefix.length) : id
      let count = 1
      while (taken.has(`${base}-${count}`)) count++
      node.properties.id = `${base}-${count}`
      taken.add(node.properties.id)
    }
  }
}

/** Remove control characters from every text and attribute value. */
export function stripControls() {
  return (tree: HastRoot) => {
    removeControls(tree)
  }
}

/**
 * Remove control characters from every text and attribute value of a tree, in place.
 *
 * @param tree A hast tree (a body or a whole page).
 */
export function removeControls(tree: HastRoot | Element): void {
  visit(tree, (node) => {
    if (node.type === 'text' || node.type === 'comment') node.value = removeControlCharacters(node.value)
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (typeof value === 'string') node.properties[key] = removeControlCharacters(value)
        else if (Array.isArray(value)) node.properties[key] = value.map((item) => (typeof item === 'string' ? removeControlCharacters(item) : item))
      }
    }
  })
}
