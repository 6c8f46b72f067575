/**
 * The link check of a built site: every internal link and image of every
 * HTML page must point at a file of the site, and a fragment at an element
 * with that id. Run on what a build or a merge is about to publish, it
 * catches links that zhpress itself broke (the source's own broken links
 * are reported on the source, `broken-link`, before anything is written).
 */
import {parse} from 'parse5'
import type {DefaultTreeAdapterMap} from 'parse5'
import {normalizePath} from './links.ts'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/** A link of a page that finds nothing. */
export interface OutputLink {
  /** The page, relative to `html/` (`zh-TW/guide/intro.html`). */
  page: string
  /** The URL as the page writes it. */
  href: string
  /** What is missing. */
  problem: string
}

/**
 * Check every `<a href>` and `<img src>` of the pages that stays inside the
 * site: a link out of the site, or out of its page's locale folder into no
 * other one (the source's own link out of its folder, left as written), is
 * not checked.
 *
 * @param pages Page path (relative to `html/`, `/`-separated) → its HTML,
 *   or its links and ids as {@link scanPage} found them.
 * @param files Every file of `html/` (pages and assets), relative to it.
 * @returns The broken links, in page order then document order.
 */
export function findBrokenLinks(pages: ReadonlyMap<string, string | PageScan>, files: ReadonlySet<string>): Array<OutputLink> {
  const scan = (value: string | PageScan) => (typeof value === 'string' ? scanPage(value) : value)
  const check = linkCheck(new Set(pages.keys()), files)
  for (const [page, value] of pages) check.visit(page, scan(value))
  for (const page of check.wanted()) check.give(page, scan(pages.get(page)!).ids)
  return check.broken()
}

/**
 * The link check of {@link findBrokenLinks}, one page at a time, for pages
 * that are not all in memory at once: {@link LinkCheck.visit} every page (any
 * order), then {@link LinkCheck.give} the ids of each page
 * {@link LinkCheck.wanted} names (a link of another page points at an id in
 * it), then {@link LinkCheck.broken}.
 *
 * @param pages Every page checked (relative to `html/`).
 * @param files Every file of `html/` (pages and assets), relative to it.
 */
export function linkCheck(pages: ReadonlySet<string>, files: ReadonlySet<string>): LinkCheck {
  // The locale folders: a link out of its page's locale folder into none of them is one
  // the source wrote out of its own folder (`../std/…`), left alone.
  const roots = new Set<string>()
  for (const name of files) if (name.includes('/')) roots.add(name.slice(0, name.indexOf('/')))
  const found: Array<OutputLink & {order: number}> = []
  // Links into another page's ids, checked once that page's ids are given.
  const waiting = new Map<string, Array<{page: string; href: string; fragment: string; raw: string; order: number}>>()
  const given = new Map<string, ReadonlySet<string>>()
  return {
    visit(page, scan) {
      const root = page.includes('/') ? page.slice(0, page.indexOf('/')) : undefined
      let own: ReadonlySet<string> | undefined
      for (const [order, href] of scan.links.entries()) {
        if (href === '' || /^[a-z][a-z\d+.-]*:/i.test(href) || href.startsWith('//')) continue
        const hash = href.indexOf('#')
        // As browsers look: the fragment as written, then percent-decoded (HTML's indicated part of the document).
        const raw = hash === -1 ? '' : href.slice(hash + 1)
        const fragment = hash === -1 ? undefined : decode(raw)
        const pathPart = (hash === -1 ? href : href.slice(0, hash)).split('?')[0]!
        let target = page
        if (pathPart !== '') {
          const joined = resolve(page, decode(pathPart))
          // Leaving the site: a link the source wrote out of its folder, left alone.
          if (joined === undefined) continue

          target = joined
          const top = target.includes('/') ? target.slice(0, target.indexOf('/')) : ''
          if (root !== undefined && top !== root && !roots.has(top) && !files.has(target)) continue
          if (!files.has(target)) {
            found.push({page, href, problem: `no file \`${target}\``, order})
            continue
          }
        }

        if (!fragment || !pages.has(target)) continue
        if (target === page) {
          own ??= new Set(scan.ids)
          if (!own.has(raw) && !own.has(fragment)) found.push({page, href, problem: `no element with the id \`${fragment}\` in \`${target}\``, order})
        } else {
          const list = waiting.get(target) ?? []
          list.push({page, href, fragment, raw, order})
          waiting.set(target, list)
        }
      }
    },
    wanted: () => [...waiting.keys()],
    give(page, ids) {
      given.set(page, new Set(ids))
    },
    broken() {
      for (const [target, links] of waiting) {
        const ids = given.get(target) ?? new Set()
        for (const {page, href, fragment, raw, order} of links) {
          if (!ids.has(raw) && !ids.has(fragment)) found.push({page, href, problem: `no element with the id \`${fragment}\` in \`${target}\``, order})
        }
      }

      found.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : a.order - b.order))
      return found.map(({order: _, ...link}) => link)
    }
  }
}

/** See {@link linkCheck}. */
export interface LinkCheck {
  /** Check a page's links to files, and to ids of its own. */
  visit(page: string, scan: PageScan): void
  /** The pages whose ids links of visited pages point at. */
  wanted(): Array<string>
  /** The ids of a page {@link LinkCheck.wanted} names. */
  give(page: string, ids: ReadonlyArray<string>): void
  /** Every broken link, in page order then document order. */
  broken(): Array<OutputLink>
}

/** What the link check needs of a page: its links (`<a href>`, `<img src>`, in document order) and its ids. */
export interface PageScan {
  links: Array<string>
  ids: Array<string>
}

/**
 * The links and ids of a page, as the link check reads them: done where the
 * page is rendered (a worker), so the check itself parses nothing, and kept
 * in the cache with the page.
 *
 * @param html The page.
 * @returns Its links and (distinct) ids.
 */
export function scanPage(html: string): PageScan {
  const links: Array<string> = []
  const ids = new Set<string>()
  const stack: Array<Node> = [parse(html)]
  while (stack.length > 0) {
    const node = stack.pop()!
    if ('attrs' in node) {
      const element = node as Element
      for (const {name, value} of element.attrs) {
        if (name === 'id' || (name === 'name' && element.tagName === 'a')) ids.add(value)
        if ((name === 'href' && element.tagName === 'a') || (name === 'src' && element.tagName === 'img')) links.push(value)
      }
    }

    if ('childNodes' in node) for (let index = node.childNodes.length - 1; index >= 0; index--) stack.push(node.childNodes[index]!)
  }

  return {links, ids: [...ids]}
}

/** Resolve a relative URL path against a page; `undefined` when it leaves the site. */
function resolve(page: string, url: string): string | undefined {
  const folder = url.startsWith('/') ? '' : page.split('/').slice(0, -1).join('/')
  const joined = normalizePath(folder === '' ? url : `${folder}/${url}`)
  if (joined === undefined) return undefined
  // A folder URL (`guide/`) serves its index.
  if (!url.endsWith('/') && url !== '') return joined
  const base = joined.replace(/\/$/, '')
  return base === '' ? 'index.html' : `${base}/index.html`
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
