/**
 * What "no live markup" means, checked on a parsed HTML tree: no element
 * that runs code or loads a document, no event handler or style attribute,
 * no dangerous scheme in any URL-bearing attribute.
 */
import type {Element, Nodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'
import {urlAttributes} from 'html-url-attributes'

/** Elements that must never come from content. */
const forbiddenElements = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math',
  'base', 'form', 'button', 'textarea', 'select', 'template', 'noscript', 'xmp', 'meta', 'link', 'isindex', 'animate', 'set'
])

/** URL-bearing properties: html-url-attributes' list and the ones it leaves out. */
const urlProperties = new Set([
  ...Object.keys(urlAttributes),
  'srcSet', 'xLinkHref', 'longDesc', 'background', 'codeBase', 'classId', 'profile', 'archive', 'useMap', 'lowsrc', 'dynsrc'
])

/**
 * Schemes that run code or render a document (after removing what browsers
 * ignore). The empty data URL `data:,` holds nothing: pages use it as their
 * icon so that browsers do not ask the server for /favicon.ico.
 */
const dangerousScheme = /^(?:javascript|vbscript|data(?!:,$)|livescript|mocha):/

/**
 * Every dangerous thing in a tree, described; empty when the tree is safe.
 *
 * @param tree Parsed HTML.
 * @param allowHead In a whole page, the page's own `<head>` (meta, link, one
 *   style element) is ours: allow it, but still check it.
 */
export function findDangers(tree: Nodes, allowHead = false): Array<string> {
  const found: Array<string> = []
  walk(tree, false)
  return found

  function walk(node: Nodes, inHead: boolean): void {
    if (node.type === 'element') {
      checkElement(node, inHead)
      inHead ||= allowHead && node.tagName === 'head'
    }

    if ('children' in node) for (const child of node.children) walk(child, inHead)
    if (node.type === 'element' && node.tagName === 'template' && node.content) walk(node.content, inHead)
  }

  function checkElement(node: Element, inHead: boolean): void {
    const headElement = inHead && ['meta', 'link', 'style', 'title'].includes(node.tagName)
    if (forbiddenElements.has(node.tagName) && !headElement) found.push(`<${node.tagName}> element`)
    if (node.tagName === 'style' && /expression|javascript|@import|url\(/i.test(toString(node))) found.push('style with code or a URL')

    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on/i.test(key)) found.push(`${key} attribute on <${node.tagName}>`)
      if (key === 'style') found.push(`style attribute on <${node.tagName}>`)
      if (key === 'httpEquiv') found.push(`http-equiv attribute on <${node.tagName}>`)
      if (!urlProperties.has(key)) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        // Browsers ignore ASCII whitespace and controls inside a scheme, and its case.
        const url = String(item).replace(/[\u0000-\u0020\u007F]/g, '').toLowerCase()
        if (dangerousScheme.test(url)) found.push(`${key}="${String(item)}" on <${node.tagName}>`)
      }
    }
  }
}

/**
 * Parse a whole page and find the dangers in it.
 *
 * @param html A complete HTML document.
 */
export function pageDangers(html: string): Array<string> {
  return findDangers(fromHtml(html), true)
}

/**
 * Parse an HTML fragment (the JSON `html` field) and find the dangers in it.
 *
 * @param html Body HTML.
 */
export function fragmentDangers(html: string): Array<string> {
  return findDangers(fromHtml(html, {fragment: true}))
}
