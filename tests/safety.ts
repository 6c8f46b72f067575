/**
 * What "no live markup" means, checked on a parsed HTML tree: no element
 * that runs code or loads a document, no event handler or style attribute,
 * no dangerous scheme in any URL-bearing attribute.
 */
import type {Element, Nodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'
import {urlAttributes} from 'html-url-attributes'
import {contentSecurityPolicy, siteScript} from '../scripts/render-html.ts'

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
    // zhpress's own script, and only it: inline, no attributes, exactly its text (the policy allows it by its hash).
    const ownScript = allowHead && node.tagName === 'script' && Object.keys(node.properties).length === 0 && toString(node) === siteScript
    if (forbiddenElements.has(node.tagName) && !headElement && !ownScript) found.push(`<${node.tagName}> element`)
    if (node.tagName === 'style' && /expression|javascript|@import|url\(/i.test(toString(node))) found.push('style with code or a URL')

    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on/i.test(key)) found.push(`${key} attribute on <${node.tagName}>`)
      if (key === 'style') found.push(`style attribute on <${node.tagName}>`)
      // The page's own Content-Security-Policy, in its head; any other http-equiv is a danger.
      const ownPolicy = inHead && node.tagName === 'meta' && String(value) === 'Content-Security-Policy' && node.properties.content === contentSecurityPolicy
      if (key === 'httpEquiv' && !ownPolicy) found.push(`http-equiv attribute on <${node.tagName}>`)
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
 * The scripts of a whole page and its Content-Security-Policy: a page holds
 * exactly one script, zhpress's, and a policy that allows it alone.
 *
 * @param html A complete HTML document.
 * @returns Each script's text, and the policy (`undefined` when missing).
 */
export function pageScripts(html: string): {scripts: Array<string>; policy: string | undefined} {
  const scripts: Array<string> = []
  let policy: string | undefined
  const walk = (node: Nodes): void => {
    if (node.type === 'element' && node.tagName === 'script') scripts.push(toString(node))
    if (node.type === 'element' && node.tagName === 'meta' && String(node.properties.httpEquiv) === 'Content-Security-Policy') policy = String(node.properties.content)
    if ('children' in node) for (const child of node.children) walk(child)
    if (node.type === 'element' && node.tagName === 'template' && node.content) walk(node.content)
  }

  walk(fromHtml(html))
  return {scripts, policy}
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
