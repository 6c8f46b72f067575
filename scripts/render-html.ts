/**
 * mdast → hast → sanitized HTML: the body of an article, and the pages of
 * the site around it. Pages are built as hast trees, never by string
 * templating of user content.
 */
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {defaultSchema, type Schema} from 'hast-util-sanitize'
import {toString as hastToString} from 'hast-util-to-string'
import {h} from 'hastscript'
import type {Root} from 'mdast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import rehypeSlug from 'rehype-slug'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {uiTranslator} from './i18n.ts'
import {htmlLang, locales, type Locale} from './locales.ts'

/** One entry of a table of contents. */
export interface TocEntry {
  depth: number
  id: string
  text: string
}

/**
 * The sanitize schema: GitHub's (rehype-sanitize's default). No scripts,
 * no event handlers, no `javascript:` URLs; ids of raw HTML are prefixed
 * with `user-content-` so they cannot clobber the page's own.
 */
export const sanitizeSchema: Schema = {
  ...defaultSchema,
  // GitHub's schema allows `srcset` on `<source>` with any scheme; hold its
  // URLs to the same schemes as `src`.
  protocols: {...defaultSchema.protocols, srcSet: ['http', 'https']}
}

const toHast = unified()
  .use(remarkRehype, {allowDangerousHtml: true})
  .use(rehypeRaw)
  .use(rehypeSanitize, sanitizeSchema)
  // After sanitizing, so that heading ids are ours and unprefixed.
  .use(rehypeSlug)

/**
 * Turn an article body into sanitized hast.
 *
 * @param tree mdast of the (converted) article.
 * @returns Sanitized hast and the table of contents (h2–h3).
 */
export function renderBody(tree: Root): {hast: HastRoot; toc: Array<TocEntry>} {
  const hast = toHast.runSync(structuredClone(tree)) as HastRoot
  const toc: Array<TocEntry> = []
  for (const node of hast.children) {
    if (node.type === 'element' && /^h[23]$/.test(node.tagName) && typeof node.properties.id === 'string') {
      toc.push({depth: Number(node.tagName.slice(1)), id: node.properties.id, text: hastToString(node)})
    }
  }

  return {hast, toc}
}

/** Serialize hast to HTML. */
export function stringify(tree: HastRoot | Element): string {
  return toHtml(tree)
}

/** CJK font stacks: SC glyphs for zh-Hans, TC for zh-Hant/zh-TW, HK for zh-HK. */
const fontStacks: Record<Locale, string> = {
  'zh-Hans': '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
  'zh-Hant': '"Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif',
  'zh-TW': '"Noto Sans CJK TC", "Source Han Sans TW", "PingFang TC", "Microsoft JhengHei", sans-serif',
  'zh-HK': '"Noto Sans CJK HK", "Source Han Sans HK", "PingFang HK", "Microsoft JhengHei", sans-serif'
}

function css(locale: Locale): string {
  return [
    `:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--bg:#fff}`,
    `*{box-sizing:border-box}`,
    `html{font-family:${fontStacks[locale]};line-height:1.8;color:var(--fg);background:var(--bg)}`,
    `body{margin:0 auto;max-width:46rem;padding:1rem 1.25rem 3rem;font-size:1.0625rem;text-align:justify;overflow-wrap:anywhere}`,
    `a{color:var(--accent)}`,
    `h1,h2,h3{line-height:1.4;text-align:start}`,
    `h1{font-size:1.75rem;margin:1.5rem 0 .5rem}`,
    `h2{font-size:1.375rem;margin-top:2.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}`,
    `h3{font-size:1.125rem;margin-top:1.75rem}`,
    `.switcher ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0;font-size:.9375rem}`,
    `.switcher [aria-current]{font-weight:bold;color:var(--fg);text-decoration:none}`,
    `.meta{color:var(--muted);font-size:.9375rem;margin:0}`,
    `.toc{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1.5rem 0;font-size:.9375rem}`,
    `.toc h2{font-size:1rem;border:0;margin:.25rem 0;padding:0}`,
    `.toc ol{margin:0;padding-inline-start:1.25rem}`,
    `.toc .depth-3{padding-inline-start:1rem;list-style:circle}`,
    `pre{overflow:auto;background:#f6f8fa;padding:.75rem;border-radius:6px;line-height:1.5}`,
    `code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}`,
    `img{max-width:100%;height:auto}`,
    `table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.25rem .5rem}`,
    `blockquote{margin:1rem 0;padding:0 1rem;border-inline-start:4px solid var(--line);color:var(--muted)}`,
    `footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem;color:var(--muted);font-size:.875rem}`,
    `@media (max-width:30rem){body{font-size:1rem;padding:.75rem}h1{font-size:1.5rem}}`,
    `@media print{.switcher,.toc{display:none}body{max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}}`
  ].join('\n')
}

export interface ArticlePage {
  locale: Locale
  sourceLocale: Locale
  slug: string
  title: string
  description?: string
  category?: string
  date?: string
  body: HastRoot
  toc: Array<TocEntry>
  /** Locales the article is published in (for alternates and the switcher). */
  published: ReadonlyArray<Locale>
}

/**
 * A whole article page.
 *
 * @param page The article in one locale.
 * @returns A complete HTML document.
 */
export function renderArticlePage(page: ArticlePage): string {
  const t = uiTranslator(page.locale)
  const toc =
    page.toc.length > 0
      ? h('nav.toc', {ariaLabelledby: 'toc-title'}, [
          h('h2#toc-title', t('toc')),
          h(
            'ol',
            page.toc.map((entry) => h('li', {className: ['depth-' + entry.depth]}, h('a', {href: '#' + entry.id}, entry.text)))
          )
        ])
      : undefined
  const meta = [page.date, page.category].filter(Boolean).join(' · ')
  const footer =
    page.locale === page.sourceLocale
      ? t('original', {source: t('languageName.' + page.sourceLocale)})
      : t('convertedFrom', {source: t('languageName.' + page.sourceLocale)})

  return document(page.locale, {
    title: page.title,
    description: page.description,
    alternates: alternates(page.published, (locale) => `../${locale}/${page.slug}.html`, '../index.html'),
    body: [
      h('header', switcher(page.locale, page.published, (locale) => `../${locale}/${page.slug}.html`, t('languages'))),
      h('main', [
        h('article', [
          h('h1', page.title),
          meta ? h('p.meta', meta) : undefined,
          toc,
          ...(page.body.children as Array<ElementContent>)
        ])
      ]),
      h('footer', h('p', footer))
    ]
  })
}

export interface IndexEntry {
  slug: string
  title: string
  description?: string
  date?: string
}

/**
 * The list of articles of one locale.
 *
 * @param locale Locale of the page.
 * @param entries Articles, already sorted.
 * @returns A complete HTML document.
 */
export function renderLocaleIndex(locale: Locale, entries: ReadonlyArray<IndexEntry>, published: ReadonlyArray<Locale>): string {
  const t = uiTranslator(locale)
  return document(locale, {
    title: t('articles'),
    alternates: alternates(published, (other) => `../${other}/index.html`, '../index.html'),
    body: [
      h('header', switcher(locale, published, (other) => `../${other}/index.html`, t('languages'))),
      h('main', [
        h('h1', t('articles')),
        h(
          'ul',
          entries.map((entry) =>
            h('li', [
              h('a', {href: entry.slug + '.html'}, entry.title),
              entry.date ? h('span.meta', ' ' + entry.date) : undefined,
              entry.description ? h('p.meta', entry.description) : undefined
            ])
          )
        )
      ])
    ]
  })
}

/**
 * The entry page (x-default): each variant named in its own script.
 *
 * @param published Locales built.
 * @returns A complete HTML document.
 */
export function renderRootIndex(published: ReadonlyArray<Locale>): string {
  const t = uiTranslator('zh-Hant')
  return document('zh-Hant', {
    title: t('chooseVariant'),
    alternates: alternates(published, (locale) => `${locale}/index.html`, 'index.html'),
    body: [
      h('main', [
        h('h1', published.map((locale) => uiTranslator(locale)('chooseVariant')).filter(unique).join(' / ')),
        h(
          'ul',
          published.map((locale) =>
            h('li', h('a', {href: `${locale}/index.html`, lang: htmlLang[locale], hrefLang: htmlLang[locale]}, uiTranslator(locale)('languageName.' + locale)))
          )
        )
      ])
    ]
  })
}

function unique(value: string, index: number, all: Array<string>): boolean {
  return all.indexOf(value) === index
}

function switcher(current: Locale, published: ReadonlyArray<Locale>, href: (locale: Locale) => string, label: string): Element {
  return h('nav.switcher', {ariaLabel: label}, [
    h(
      'ul',
      published.map((locale) => {
        const name = uiTranslator(locale)('languageName.' + locale)
        return h(
          'li',
          locale === current
            ? h('a', {href: href(locale), ariaCurrent: 'page', lang: htmlLang[locale]}, name)
            : h('a', {href: href(locale), hrefLang: htmlLang[locale], lang: htmlLang[locale], rel: ['alternate']}, name)
        )
      })
    )
  ])
}

function alternates(published: ReadonlyArray<Locale>, href: (locale: Locale) => string, fallback: string): Array<Element> {
  const links = locales
    .filter((locale) => published.includes(locale))
    .map((locale) => h('link', {rel: ['alternate'], hrefLang: htmlLang[locale], href: href(locale)}))
  links.push(h('link', {rel: ['alternate'], hrefLang: 'x-default', href: fallback}))
  return links
}

interface DocumentOptions {
  title: string
  description?: string
  alternates: Array<Element>
  body: Array<Element | undefined>
}

function document(locale: Locale, options: DocumentOptions): string {
  const tree: HastRoot = {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: htmlLang[locale]}, [
        h('head', [
          h('meta', {charSet: 'utf-8'}),
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('title', options.title),
          options.description ? h('meta', {name: 'description', content: options.description}) : undefined,
          ...options.alternates,
          h('style', css(locale))
        ]),
        h('body', options.body)
      ])
    ]
  }
  return toHtml(tree) + '\n'
}
