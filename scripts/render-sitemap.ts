/**
 * `html/sitemap.xml`: every page of the site with its `hreflang`
 * alternates, built as an xast tree (never by string templating).
 */
import {toXml} from 'xast-util-to-xml'
import {x} from 'xastscript'
import type {Element, ElementContent} from 'xast'
import {parseArticleDate} from './dates.ts'
import {htmlLang, locales, type Locale} from './locales.ts'

/** One page of the site in every locale it exists in. */
export interface SitemapPage {
  /** Path inside `html/` of the page in a locale. */
  path: (locale: Locale) => string
  /** Path of the x-default page (listed once, with the alternates of the first page naming it). */
  fallback: string
  /** Front matter date (`updated`, else `date`) when known; written as its calendar day. */
  date?: string
}

/**
 * Render the sitemap.
 *
 * @param pages Pages, each with its variants.
 * @param published Locales built.
 * @param baseUrl Absolute URL of the published `html/` folder; without it,
 *   URLs are relative to the sitemap (search engines need `--base-url`).
 * @returns The XML document.
 */
export function renderSitemap(pages: ReadonlyArray<SitemapPage>, published: ReadonlyArray<Locale>, baseUrl = ''): string {
  const own = locales.filter((locale) => published.includes(locale))
  const urls: Array<Element> = []
  const fallbacks = new Set<string>()
  for (const page of pages) {
    const alternates = [
      ...own.map((locale) => x('xhtml:link', {rel: 'alternate', hreflang: htmlLang[locale], href: baseUrl + page.path(locale)})),
      x('xhtml:link', {rel: 'alternate', hreflang: 'x-default', href: baseUrl + page.fallback})
    ]
    const day = page.date ? parseArticleDate(page.date) : undefined
    const lastmod = day && !('problem' in day) ? x('lastmod', day.day) : undefined
    for (const locale of own) urls.push(x('url', [x('loc', baseUrl + page.path(locale)), lastmod, ...alternates]))
    // An article's x-default is one of its own pages (the variant it is written in): listed once.
    if (!fallbacks.has(page.fallback) && !own.some((locale) => page.path(locale) === page.fallback)) {
      fallbacks.add(page.fallback)
      urls.push(x('url', [x('loc', baseUrl + page.fallback), ...alternates]))
    }
  }

  const tree = x(null, [
    {type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"'},
    {type: 'text', value: '\n'},
    x('urlset', {xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9', 'xmlns:xhtml': 'http://www.w3.org/1999/xhtml'}, indent(urls, 1))
  ])
  return toXml(tree, {closeEmptyElements: true, tightClose: true}) + '\n'
}

/** Put each child element on its own line (white space text nodes), for people reading the file. */
function indent(children: Array<Element>, depth: number): Array<ElementContent> {
  const result: Array<ElementContent> = []
  for (const child of children) {
    const nested = child.children.filter((node): node is Element => node.type === 'element')
    if (nested.length > 0) child.children = indent(nested, depth + 1)
    result.push({type: 'text', value: '\n' + '  '.repeat(depth)}, child)
  }

  result.push({type: 'text', value: '\n' + '  '.repeat(depth - 1)})
  return result
}
