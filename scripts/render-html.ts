/**
 * mdast → hast → sanitized HTML: the body of an article, and the pages of
 * the site around it. Pages are built as hast trees, never by string
 * templating of user content.
 */
import {createHash} from 'node:crypto'
import type {Comment, Element, ElementContent, Nodes, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {dropUnsafeUrls, isAuthorHeading, removeControls, renameClashingIds, reservedPageIds} from './html-safety.ts'
import {defaultSchema, type Schema} from 'hast-util-sanitize'
import {toString as hastToString} from 'hast-util-to-string'
import {h} from 'hastscript'
import type {Root} from 'mdast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import GithubSlugger from 'github-slugger'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {applyHeadingId, rehypeRewriteUrls} from './links.ts'
import {some, walk} from './walk.ts'
import type {PageScan} from './site-links.ts'
import {countCharacters} from './render-json.ts'
import type {TocEntry} from './bundle-types.ts'
import type {i18n} from 'i18next'
import {calendarDay} from './dates.ts'
import {baseLocale, uiI18n, variantSample, type SiteIdentity} from './i18n.ts'
import {htmlLang, locales, type Locale} from './locales.ts'
import {relativeUrl} from './pages.ts'

export type {TocEntry} from './bundle-types.ts'

/**
 * The sanitize schema: GitHub's (rehype-sanitize's default). No scripts,
 * no event handlers, no `javascript:` URLs; ids of raw HTML are prefixed
 * with `user-content-` so they cannot clobber the page's own.
 */
export const sanitizeSchema: Schema = {
  ...defaultSchema,
  // GitHub's schema allows `srcset` on `<source>` with any scheme; hold its
  // URLs to the same schemes as `src`.
  protocols: {...defaultSchema.protocols, srcSet: ['http', 'https']},
  // Custom containers (`::: tip`) are labelled boxes: these class names only.
  attributes: {
    ...defaultSchema.attributes,
    div: [...(defaultSchema.attributes?.div ?? []), ['className', 'zh-container', /^zh-container-[a-z]+$/]],
    p: [...(defaultSchema.attributes?.p ?? []), ['className', 'zh-container-title']],
    // MkDocs' `???+` boxes and content tabs are open `<details>`.
    details: [...(defaultSchema.attributes?.details ?? []), 'open']
  }
}

const clobberPrefix = defaultSchema.clobberPrefix ?? 'user-content-'

/**
 * remark-rehype already prefixes footnote ids and links with
 * `user-content-`, and the sanitizer prefixes every id again: take the
 * doubled prefix back off, so that `#user-content-fn-1` finds its note
 * without JavaScript. Raw HTML ids keep one prefix, so they still cannot
 * clobber the page's own ids.
 */
function undoubleClobberPrefix(node: Element): void {
  const doubled = clobberPrefix + clobberPrefix
  const fix = (value: unknown): unknown => (typeof value === 'string' && value.startsWith(doubled) ? value.slice(clobberPrefix.length) : value)
  for (const key of defaultSchema.clobber ?? []) {
    const value = node.properties[key]
    if (value === undefined) continue
    node.properties[key] = Array.isArray(value) ? value.map((item) => fix(item) as string) : (fix(value) as string)
  }
}

/**
 * rehype-raw, only on a tree that holds raw HTML: it re-parses the whole
 * tree through parse5 (about a twentieth of a build), which gives back the
 * same tree when there is nothing raw in it (but for `data-*` flags, which
 * come back as empty strings: done here too).
 */
function rawWhereNeeded(this: unknown) {
  const raw = (rehypeRaw as unknown as (this: unknown) => (tree: HastRoot, file: unknown) => HastRoot).call(this)
  return (tree: HastRoot, file: unknown) => {
    if (some<Nodes>(tree, (node) => node.type === 'raw') && !resolveSimpleRaw(tree)) return raw(tree, file)
    // What parse5 would have made of them: a `data-*` flag is an empty string.
    walk<Nodes>(tree, (node) => {
      if (node.type !== 'element') return
      for (const [key, value] of Object.entries(node.properties)) if (value === true && key.startsWith('data')) node.properties[key] = ''
    })
    return tree
  }
}

/** Inline elements whose tags a simple raw node may open or close. */
const simpleInline = new Set(['abbr', 'b', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'var'])

/** Void inline elements a simple raw node may be. */
const simpleVoid = new Set(['br', 'img', 'wbr'])

/** Elements Markdown puts inside a paragraph: what a simple raw element may hold. */
const phrasing = new Set([...simpleInline, ...simpleVoid, 'a', 'input'])

// HTML's white space, not JavaScript's `\s` (which takes U+3000 and the like);
// no carriage return (a parser makes it a line feed) and no character
// reference (a parser decodes it) in attribute values.
const simpleOpen = /^<([a-z][a-z\d]*)((?:[ \t\n\f]+[a-z][a-z\d-]*(?:[ \t\n\f]*=[ \t\n\f]*(?:"[^"&\r]*"|'[^'&\r]*'))?)*)[ \t\n\f]*(\/?)>$/
const simpleAttribute = /([a-z][a-z\d-]*)(?:[ \t\n\f]*=[ \t\n\f]*(?:"([^"]*)"|'([^']*)'))?/g
const simpleClose = /^<\/([a-z][a-z\d]*)[ \t\n\f]*>$/

/**
 * A comment whose end is where it seems: none of the ways a parser ends a
 * comment earlier (`<!-->`, `<!--->`, `-->` or `--!>` inside) nor a nested
 * opening. Its text does not matter: the sanitizer drops comments.
 */
function isSimpleComment(value: string): boolean {
  if (!value.startsWith('<!--') || !value.endsWith('-->') || value.length < 7) return false
  const data = value.slice(4, -3)
  return !data.startsWith('>') && !data.startsWith('->') && !data.endsWith('-') && !data.endsWith('--!') && !/-->|--!>|<!--/.test(data)
}

/**
 * Raw HTML that parses into exactly one obvious tree, made into that tree
 * without parse5: in every parent, raw nodes that are only balanced inline
 * tags (`<span class="filename">`…`</span>`) around phrasing content, void
 * inline elements (`<img …>`, `<br>`) or comments (which the sanitizer
 * drops), attributes quoted and free of character references.
 * Elements are made as hast-util-from-parse5 makes them (hastscript).
 * Changes nothing unless every raw node of the tree is such.
 *
 * @param tree hast with raw nodes (remark-rehype's `allowDangerousHtml`).
 * @returns Whether the tree has no raw node left.
 */
export function resolveSimpleRaw(tree: HastRoot): boolean {
  const plans: Array<{parent: HastRoot | Element; children: Array<ElementContent | Nodes>}> = []
  let simple = true
  walk<Nodes>(tree, (node) => {
    if (!simple) return 'skip'
    if ((node.type !== 'root' && node.type !== 'element') || !node.children.some((child) => child.type === 'raw')) return undefined
    const children = rebuildRaw(node.children as Array<Nodes>)
    if (!children) simple = false
    else plans.push({parent: node, children})
    return undefined
  })
  if (!simple) return false
  for (const {parent, children} of plans) parent.children = children as typeof parent.children
  return true
}

/** The children of a parent with its raw nodes made into nodes, or `undefined` when one is not simple. */
function rebuildRaw(children: ReadonlyArray<Nodes>): Array<Nodes> | undefined {
  const stack: Array<{name: string; properties: Record<string, string>; at: Array<Nodes>}> = []
  let current: Array<Nodes> = []
  for (const child of children) {
    if (child.type !== 'raw') {
      if (stack.length > 0 && child.type === 'element' && !phrasing.has(child.tagName)) return undefined
      if (stack.length > 0 && child.type !== 'element' && child.type !== 'text') return undefined
      current.push(child)
      continue
    }

    const value = child.value
    if (isSimpleComment(value)) {
      current.push({type: 'comment', value: value.slice(4, -3)})
      continue
    }

    const open = simpleOpen.exec(value)
    if (open) {
      const name = open[1]!
      const properties: Record<string, string> = {}
      for (const [, key, double, single] of open[2]!.matchAll(simpleAttribute)) {
        // A parser keeps the first of two attributes of one name; hast-util-from-parse5 drops `constructor` and the like.
        if (Object.hasOwn(properties, key!) || key! in Object.prototype) return undefined
        properties[key!] = double ?? single ?? ''
      }

      // As hast-util-from-parse5 makes elements (hastscript, the attributes as written).
      if (simpleVoid.has(name)) current.push(h(name, properties))
      else if (simpleInline.has(name) && open[3] === '') {
        stack.push({name, properties, at: current})
        current = []
      } else return undefined
      continue
    }

    const close = simpleClose.exec(value)
    if (!close || stack.at(-1)?.name !== close[1]) return undefined
    const opened = stack.pop()!
    const element = h(opened.name, opened.properties)
    element.children = current as Array<ElementContent>
    current = opened.at
    current.push(element)
  }

  return stack.length === 0 ? current : undefined
}

/**
 * Everything between the sanitizer and the reading aids, in one walk of
 * the tree: each step changes only the element it is given, so doing them
 * element by element, in document order, gives what one pass per step gave.
 * In order: URLs outside their schemes dropped, the doubled clobber prefix
 * undone, an `<a name>` given its name as id instead, author headings marked, source heading ids put back, the other
 * headings given ids from their text (as rehype-slug does: GitHub's slugger,
 * reset per page), and the ids collected, so that author headings never take
 * the page's own ids or a footnote's (see `renameClashingIds`).
 */
function afterSanitize() {
  const protocols = sanitizeSchema.protocols ?? {}
  const except = [clobberPrefix + 'footnote-label']
  return (tree: HastRoot, file: VFile) => {
    const ids = file.data.headingIds
    const alternates = file.data.alternateHeadingIds?.map((more) => more.filter((id) => !(reservedPageIds as ReadonlyArray<string>).includes(id)))
    const slugger = new GithubSlugger()
    const authored: Array<Element> = []
    const taken = new Set<string>(reservedPageIds)
    walk<Nodes>(tree, (node) => {
      if (node.type !== 'element') return
      dropUnsafeUrls(node, protocols)
      undoubleClobberPrefix(node)
      // `<a name>` is obsolete in HTML: the author's anchor keeps its (prefixed) name as its id.
      if (node.tagName === 'a' && typeof node.properties.name === 'string' && node.properties.id === undefined) {
        node.properties.id = node.properties.name
        delete node.properties.name
      }

      const author = isAuthorHeading(node, except)
      if (ids) applyHeadingId(node, ids, alternates)
      if (headingRank(node) && !node.properties.id) node.properties.id = slugger.slug(hastToString(node))
      const id = node.properties.id
      if (typeof id !== 'string') return
      if (author) authored.push(node)
      else taken.add(id)
    })
    renameClashingIds(authored, taken, clobberPrefix)
    removeControls(tree)
  }
}

/** `h1`–`h6`: the heading's rank (as hast-util-heading-rank reads it). */
function headingRank(node: Element): number | undefined {
  const name = node.tagName.toLowerCase()
  const code = name.length === 2 && name.charCodeAt(0) === 104 ? name.charCodeAt(1) : 0
  return code > 48 && code < 55 ? code - 48 : undefined
}

const processors = new Map<Locale, ReturnType<typeof bodyProcessor>>()

function bodyProcessor(locale: Locale) {
  const t = uiI18n(locale).t
  return (
    unified()
      .use(remarkRehype, {
        allowDangerousHtml: true,
        clobberPrefix,
        footnoteLabel: t('footnotes'),
        // A visible heading: the site has no `sr-only` class.
        footnoteLabelProperties: {},
        footnoteBackLabel: t('backToContent')
      })
      .use(rawWhereNeeded)
      .use(rehypeRewriteUrls)
      .use(rehypeSanitize, sanitizeSchema)
      // Every URL of every URL attribute (the schema checks one per attribute),
      // heading ids (ours, unprefixed), control characters.
      .use(afterSanitize)
      // After sanitizing too: these attributes are ours, not the author's.
      .use(readingAids, {tableLabel: t('table'), codeLabel: t('code')})
  )
}

/** What a page of a site needs besides its tree. */
export interface BodyContext {
  /** Heading ids from the source text, in document order (headings marked by `markHeadings`). */
  headingIds?: ReadonlyArray<string>
  /** More ids for each heading: the site generator's and the author's raw anchors, see `vitepressHeadingIds` and `rawHeadingAnchors`. */
  alternateHeadingIds?: ReadonlyArray<ReadonlyArray<string>>
  /** URL as written → URL in the page (links between articles, assets). */
  urls?: Record<string, string>
}

/**
 * What the reader's browser needs beyond the Markdown: wide tables scroll
 * inside a focusable box, code blocks take keyboard focus so they can be
 * scrolled, task-list checkboxes are labelled by their item's text, and
 * links that show their own URL are marked so print does not repeat it.
 */
function readingAids(options: {tableLabel: string; codeLabel: string}) {
  return (tree: HastRoot) => {
    walk<Nodes>(tree, (node, index, parent) => {
      if (node.type !== 'element') return undefined
      if (node.tagName === 'table' && parent && 'children' in parent && index !== undefined) {
        parent.children[index] = h('section.table-scroll', {tabIndex: 0, ariaLabel: options.tableLabel}, [node])
        return 'skip'
      }

      if (node.tagName === 'pre') {
        node.properties = {...node.properties, tabIndex: 0, ariaLabel: options.codeLabel}
        return 'skip'
      }

      if (node.tagName === 'li') {
        // A tight item holds the checkbox itself, a loose one in its first paragraph.
        const first = node.children.find((child): child is Element => child.type === 'element')
        const box = node.children.find(isCheckbox) ?? (first?.tagName === 'p' ? first.children.find(isCheckbox) : undefined)
        const own = node.children.filter((child) => !(child.type === 'element' && /^(ul|ol)$/.test(child.tagName)))
        const label = hastToString({type: 'root', children: own}).trim()
        if (box && label) box.properties.ariaLabel = label
      }

      if (node.tagName === 'a' && typeof node.properties.href === 'string' && hastToString(node).trim() === node.properties.href) {
        node.properties.className = [...classes(node), 'url']
      }

      return undefined
    })
  }
}

function isCheckbox(node: ElementContent): node is Element {
  return node.type === 'element' && node.tagName === 'input' && node.properties.type === 'checkbox'
}

function classes(node: Element): Array<string> {
  const value = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? String(value).split(' ') : []
}

/**
 * Turn an article body into sanitized hast.
 *
 * @param tree mdast of the (converted) article; the transform changes it
 *   (pass a copy to keep it).
 * @param locale Locale of the page (footnote labels).
 * @returns Sanitized hast and the table of contents (h2–h3).
 */
export function renderBody(tree: Root, locale: Locale, context: BodyContext = {}): {hast: HastRoot; toc: Array<TocEntry>} {
  let processor = processors.get(locale)
  if (!processor) {
    processor = bodyProcessor(locale)
    processors.set(locale, processor)
  }

  const file = new VFile()
  if (context.headingIds) file.data.headingIds = [...context.headingIds]
  if (context.alternateHeadingIds) file.data.alternateHeadingIds = [...context.alternateHeadingIds]
  if (context.urls) file.data.urls = context.urls
  const hast = processor.runSync(tree, file) as HastRoot
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

/** Open Graph `og:locale` (language_TERRITORY); zh-Hant has no territory of its own. */
const ogLocale: Partial<Record<Locale, string>> = {'zh-Hans': 'zh_CN', 'zh-TW': 'zh_TW', 'zh-HK': 'zh_HK'}

/** Colours: light by default, dark when the reader's system asks; both pass WCAG AA contrast (tests/browser). */
const palettes = {
  light: '--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--bg:#fff;--code:#f6f8fa',
  dark: '--fg:#e6edf3;--muted:#a3adb8;--line:#3d444d;--accent:#71b7ff;--bg:#0d1117;--code:#161b22'
}

function css(locale: Locale): string {
  return [
    `:root{color-scheme:light dark;${palettes.light}}`,
    `@media (prefers-color-scheme:dark){:root{${palettes.dark}}img{filter:brightness(.9)}}`,
    `*{box-sizing:border-box}`,
    `html{font-family:${fontStacks[locale]};line-height:1.8;color:var(--fg);background:var(--bg);-webkit-text-size-adjust:100%;text-size-adjust:100%}`,
    `body{margin:0 auto;max-width:46rem;padding:1rem 1.25rem 3rem;font-size:1.0625rem;overflow-wrap:anywhere;line-break:strict}`,
    // Justified Chinese reads well; headings and lists stay ragged.
    `p{text-align:justify;margin:0 0 1em}`,
    `a{color:var(--accent);text-underline-offset:.2em}`,
    `:focus-visible{outline:2px solid var(--accent);outline-offset:2px}`,
    `h1,h2,h3,h4{line-height:1.4;text-align:start;font-weight:700}`,
    `h1{font-size:1.75rem;margin:1.25rem 0 .5rem}`,
    `h2{font-size:1.375rem;margin:2.25rem 0 .75rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}`,
    `h3{font-size:1.125rem;margin:1.75rem 0 .5rem}`,
    `:target{scroll-margin-top:1rem}`,
    `li{margin:.25rem 0}`,
    `header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.25rem 1.5rem;font-size:.9375rem;border-bottom:1px solid var(--line);padding-bottom:.5rem}`,
    `.brand{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 1rem}`,
    `.site{font-weight:700;font-size:1.0625rem;color:var(--fg);text-decoration:none}`,
    `.tagline{color:var(--muted);font-size:.875rem}`,
    `header a{display:inline-block;padding:.125rem 0;min-height:24px}`,
    `header a.list[aria-current]{font-weight:700;color:var(--fg);text-decoration:none}`,
    `.switcher ul{display:flex;flex-wrap:wrap;gap:0 1rem;list-style:none;margin:0;padding:0}`,
    `.switcher li{margin:0}`,
    `.switcher [aria-current]{font-weight:700;color:var(--fg);text-decoration:none}`,
    `.meta{color:var(--muted);font-size:.9375rem;margin:0 0 .5rem;text-align:start}`,
    // Collapsed (a one-line summary) unless the screen is wide enough to keep it beside the reading.
    `.toc{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.25rem 1rem;margin:1rem 0 1.5rem;font-size:.9375rem;line-height:1.6}`,
    `.toc summary{cursor:pointer;font-weight:700;padding:.25rem 0;min-height:24px}`,
    `.toc ul{list-style:none;margin:.25rem 0 .5rem;padding:0}`,
    `.toc ul ul{margin:0;padding-inline-start:1.25em;font-size:.875rem}`,
    `.toc li{margin:0;padding:.125rem 0}`,
    `@media (min-width:64rem){.toc::details-content{content-visibility:visible;display:block}.toc summary{cursor:default;list-style:none;pointer-events:none}.toc>nav>ul{columns:2 16rem;column-gap:2rem}.toc>nav>ul>li{break-inside:avoid}}`,
    `.lead{font-size:1.125rem;color:var(--muted);text-align:start}`,
    `.articles{list-style:none;padding:0}`,
    `.articles>li{margin:0 0 1.5rem}`,
    `.articles>li>a{font-size:1.125rem;font-weight:700}`,
    `.articles .meta,.articles .summary,.articles .tags{margin:.125rem 0 0;text-align:start}`,
    `.tags{display:flex;flex-wrap:wrap;gap:.25rem .375rem}`,
    `.tag{border:1px solid var(--line);border-radius:999px;padding:0 .5rem;font-size:.8125rem;line-height:1.6;color:var(--muted)}`,
    `.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`,
    `.groups ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:0 0 1rem;padding:0}`,
    `.groups li{margin:0}.groups a{display:inline-block;min-height:24px}.count{color:var(--muted);font-size:.875rem}`,
    `.more a{display:inline-block;min-height:24px;font-weight:700}`,
    `.choose{margin-top:2.5rem}.choose h2{font-size:1.125rem}`,
    `.front-switcher{font-size:.9375rem;border-bottom:1px solid var(--line);padding-bottom:.5rem}`,
    `.variants{list-style:none;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}`,
    `.variants a{display:block;padding:.75rem 1rem;border:1px solid var(--line);border-radius:6px;text-decoration:none;font-size:1.125rem}`,
    `.variants span{display:block}.variants .hint,.variants .sample{color:var(--muted);font-size:.875rem}.variants .sample{letter-spacing:.05em}`,
    `pre{overflow:auto;background:var(--code);padding:.75rem;border-radius:6px;line-height:1.5;overflow-wrap:normal}`,
    `code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}`,
    `:not(pre)>code{background:var(--code);border-radius:4px;padding:.1em .3em}`,
    `img{max-width:100%;height:auto}`,
    // Wide tables scroll inside their box instead of crushing their columns.
    `.table-scroll{overflow-x:auto;margin:0 0 1em}`,
    `table{border-collapse:collapse;overflow-wrap:normal}td,th{border:1px solid var(--line);padding:.25rem .5rem;text-align:start;vertical-align:top}th{white-space:nowrap;background:var(--code)}td{min-width:5em}`,
    `blockquote{margin:1rem 0;padding:0 1rem;border-inline-start:4px solid var(--line);color:var(--muted)}`,
    `.contains-task-list{list-style:none;padding-inline-start:.5rem}.task-list-item input{width:1.1em;height:1.1em;margin:0 .5em 0 0;vertical-align:-.15em}`,
    // Footnote marks and their way back are tap targets of at least 24 px.
    `[data-footnote-ref],[data-footnote-backref]{display:inline-block;min-width:24px;min-height:24px;line-height:24px;text-align:center;text-decoration:none}`,
    `sup{line-height:0}`,
    `.footnotes{font-size:.9375rem;border-top:1px solid var(--line);margin-top:2.5rem}.footnotes h2{font-size:1rem;border:0}`,
    `footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem;color:var(--muted);font-size:.875rem}`,
    `@media (max-width:30rem){body{font-size:1rem;padding:.75rem 1rem 2rem}h1{font-size:1.5rem}h2{font-size:1.25rem}p{text-align:start}}`,
    // Print: black on white whatever the screen's scheme; code wraps; a link's URL once (not after a link that shows it).
    `@media print{:root{${palettes.light};--fg:#000}@page{margin:2cm}header,.toc,.choose,.groups{display:none}body{max-width:none;padding:0;font-size:11pt;line-height:1.7}pre{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible}.table-scroll{overflow:visible}a{color:inherit;text-decoration:none}a[href^="http"]:not(.url)::after{content:" <" attr(href) ">";font-size:.875em;overflow-wrap:anywhere}h2,h3{break-after:avoid}blockquote,table,img{break-inside:avoid}footer{margin-top:1.5rem}}`
  ].join('\n')
}

/** Where the site is published, for links that must be absolute, and what it is called. */
export interface SiteOptions {
  /**
   * Absolute URL of the published `html/` folder (ends in `/`). Without it,
   * there is no canonical link, no `og:url` and no sitemap; alternates are relative.
   */
  baseUrl?: string
  /** Page path of the list of articles in each locale's folder (default `index`). */
  listPage?: string
  /** The site's name and description per locale (`site` in zhpress.yaml); absent: the UI's default name. */
  identity?: Partial<Record<Locale, SiteIdentity>>
}

export interface ArticlePage extends SiteOptions {
  locale: Locale
  sourceLocale: Locale
  slug: string
  title: string
  /** Id of the title heading (the source's level-1 heading shown as the title: its `{#custom-id}` or slug). */
  titleId?: string
  description?: string
  category?: string
  tags?: ReadonlyArray<string>
  date?: string
  /** URL of the article's image (front matter `image`): absolute, or relative to the page. */
  image?: string
  body: HastRoot
  toc: Array<TocEntry>
  /** Locales the article is published in (for alternates and the switcher). */
  published: ReadonlyArray<Locale>
}

/** Path of a page inside `html/`; `undefined` is the page for `x-default`. */
type PagePath = (locale: Locale | undefined) => string

/**
 * The variant an article's `x-default` alternate points at: the one it was
 * written in (the original text), else the first published.
 *
 * @param sourceLocale Locale of the source.
 * @param published Locales built.
 */
export function defaultVariant(sourceLocale: Locale, published: ReadonlyArray<Locale>): Locale {
  return published.includes(sourceLocale) ? sourceLocale : (published[0] ?? sourceLocale)
}

/**
 * A whole article page.
 *
 * @param page The article in one locale.
 * @returns A complete HTML document.
 */
export function renderArticlePage(page: ArticlePage): string {
  return renderArticlePageScanned(page).html
}

/**
 * A whole article page, and its links and ids as `scanPage` reads them from
 * the HTML (for the link check), taken from the page's tree instead of
 * parsing the page again. The body is serialized once: `bodyHtml`, when
 * given, is `stringify(page.body)` (the JSON document's `html`), spliced
 * into the page's own serialization.
 *
 * @param page The article in one locale, and its body's HTML if known.
 * @returns The document, and its scan (`undefined` when the body holds
 *   markup a parser would rearrange, which only parsing the page can read).
 */
export function renderArticlePageScanned(page: ArticlePage & {bodyHtml?: string}): {html: string; scan: PageScan | undefined} {
  const i18n = uiI18n(page.locale)
  // Every page asks for the same few strings (dates and categories recur): remembered per locale.
  const t = pageTranslator(page.locale)
  const sourceName = t('languageName.' + page.sourceLocale)
  const footer = page.locale === page.sourceLocale ? t('original', {source: sourceName}) : t('convertedFrom', {source: sourceName})
  // x-default: the article as written, so a reader matching no variant still lands on it.
  const place: PagePath = (locale) => `${locale ?? defaultVariant(page.sourceLocale, page.published)}/${page.slug}.html`
  // Pages in sub-folders (`guide/intro`) reach the locale folders through more `../`.
  const up = '../'.repeat(page.slug.split('/').length - 1)
  const date = calendarDay(page.date)
  const when = publishedOn(t, page.date)
  const meta: Array<ElementContent | string> = when ? [when] : []
  if (page.category) meta.push(...(meta.length > 0 ? [' · '] : []), t('categoryIs', {category: page.category}))
  const site = siteName(page.locale, page)

  const openGraph = [
    h('meta', {property: 'og:type', content: 'article'}),
    h('meta', {property: 'og:title', content: page.title}),
    h('meta', {property: 'og:site_name', content: site.title}),
    page.description ? h('meta', {property: 'og:description', content: page.description}) : undefined,
    ...ogLocales(page.locale, page.published),
    page.baseUrl ? h('meta', {property: 'og:url', content: page.baseUrl + place(page.locale)}) : undefined,
    page.image ? h('meta', {property: 'og:image', content: page.image}) : undefined,
    page.image ? h('meta', {name: 'twitter:card', content: 'summary_large_image'}) : undefined,
    date ? h('meta', {property: 'article:published_time', content: page.date}) : undefined,
    page.category ? h('meta', {property: 'article:section', content: page.category}) : undefined,
    ...(page.tags ?? []).map((tag) => h('meta', {property: 'article:tag', content: tag}))
  ]

  const list = page.listPage ?? 'index'
  const slot: Comment = {type: 'comment', value: slotValue}
  const tree = documentTree(page.locale, {
    // The page's own title: asked once, not remembered.
    title: String(i18n.t('pageTitle', {page: page.title, site: site.title})),
    description: page.description ?? site.description,
    head: [...links(page.locale, page.published, place, page.baseUrl), ...openGraph],
    body: [
      header(page.locale, page.published, site, {
        home: `${up}index.html`,
        ...(list === 'index' ? {} : {list: `${up}${list}.html`}),
        variant: (locale) => `${up}../${locale}/${page.slug}.html`
      }),
      h('main', [
        h('article', [
          h('h1', page.titleId ? {id: page.titleId} : {}, page.title),
          meta.length > 0 ? h('p.meta', meta) : undefined,
          showToc(page) ? tableOfContents(page.toc, t('tocSummary', {count: page.toc.filter((entry) => entry.depth === 2).length || page.toc.length})) : undefined,
          slot
        ])
      ]),
      h('footer', h('p', footer))
    ]
  })
  // Titles and descriptions come from front matter: no control characters
  // either (the body lost them in `renderBody`).
  removeControls(tree)
  const scan = scanTree(tree, slot, page.body)
  const html = serialize(tree)
  // The slot is the last comment of the page: everything after it is zhpress's own markup.
  const at = html.lastIndexOf(slotHtml)
  return {html: html.slice(0, at) + (page.bodyHtml ?? toHtml(page.body)) + html.slice(at + slotHtml.length), scan}
}

/** Where an article page's body goes: a comment, replaced by the body's HTML once the page is serialized. */
const slotValue = 'zhpress-article-body'
const slotHtml = `<!--${slotValue}-->`

/**
 * Elements whose content an HTML parser reads as text, or whose children
 * it may move elsewhere (foster parenting): a page whose body holds one is
 * scanned by parsing it.
 */
const rearranged = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'select', 'noscript', 'noembed', 'noframes', 'iframe', 'textarea', 'title', 'xmp', 'plaintext', 'script', 'style', 'template'])

/**
 * The links (`<a href>`, `<img src>`, in document order) and distinct ids
 * (`id`, `<a name>`) of a page, from its tree, in the order a parse of its
 * HTML finds them (see `scanPage`).
 *
 * @returns The scan, or `undefined` when the body is not certain to parse back as it is.
 */
function scanTree(tree: HastRoot, slot: Comment, body: HastRoot): PageScan | undefined {
  const links: Array<string> = []
  const ids = new Set<string>()
  let plain = true
  const visit = (node: Nodes, inBody: boolean): undefined => {
    if (node === slot) {
      walk<Nodes>(body, (inner) => visit(inner, true))
      return undefined
    }

    if (node.type !== 'element') return undefined
    if (inBody && rearranged.has(node.tagName)) {
      // Well-formed tables (as Markdown makes them) parse back as they are.
      if (!wellFormedTablePart(node)) plain = false
    }

    for (const key in node.properties) {
      const value = node.properties[key]
      if (key !== 'id' && key !== 'name' && key !== 'href' && key !== 'src') continue
      if (value === undefined || value === null || value === false) continue
      if (typeof value !== 'string') {
        plain = false
        continue
      }

      if (key === 'id' || (key === 'name' && node.tagName === 'a')) ids.add(value)
      if ((key === 'href' && node.tagName === 'a') || (key === 'src' && node.tagName === 'img')) links.push(value)
    }

    return undefined
  }

  walk<Nodes>(tree, (node) => visit(node, false))
  return plain ? {links, ids: [...ids]} : undefined
}

/** What a parser keeps inside each part of a table (white space text aside). */
const tableContent: Record<string, ReadonlySet<string>> = {
  table: new Set(['caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr']),
  thead: new Set(['tr']),
  tbody: new Set(['tr']),
  tfoot: new Set(['tr']),
  tr: new Set(['td', 'th'])
}

function wellFormedTablePart(node: Element): boolean {
  const allowed = tableContent[node.tagName]
  if (!allowed) return false
  return node.children.every((child) => (child.type === 'element' ? allowed.has(child.tagName) : child.type === 'text' ? /^[ \t\n\f\r]*$/.test(child.value) : false))
}

/**
 * zhpress's one script, a progressive enhancement (every page works
 * without it): the language switcher carries the section in the address
 * (`#id`, from the table of contents or a shared link; ids are the same in
 * every locale) to the other variant, and a variant the reader picks is
 * remembered (`localStorage`); the front page shows the latest articles in
 * the remembered variant, else the first of `navigator.languages` it
 * publishes. It never redirects (so crawlers see what readers see), loads
 * nothing and reads nothing from the page's content. Pages allow it by its
 * hash in their Content-Security-Policy, and nothing else: an inline script
 * or handler that slipped past the sanitizer would not run.
 */
export const siteScript = [
  "(()=>{const key='zhpress-variant'",
  "const variants=[...document.querySelectorAll('a[data-variant]')]",
  "const keep=()=>{for(const a of variants)if(a.closest('.switcher'))a.hash=location.hash}",
  "keep();addEventListener('hashchange',keep)",
  "for(const a of variants)a.addEventListener('click',()=>{keep();try{localStorage.setItem(key,a.dataset.variant)}catch{}})",
  "const fronts=[...document.querySelectorAll('[data-front]')]",
  'if(fronts.length===0)return',
  "const of=(tag)=>{const t=String(tag).toLowerCase();return /^zh-(hant-)?tw\\b/.test(t)?'zh-TW':/^zh-(hant-)?(hk|mo)\\b/.test(t)?'zh-HK':/^zh-hant\\b/.test(t)?'zh-Hant':/^zh(-|$)/.test(t)?'zh-Hans':undefined}",
  "let stored=null;try{stored=localStorage.getItem(key)}catch{}",
  'for(const tag of [stored,...(navigator.languages||[navigator.language])]){',
  "const variant=tag&&of(tag),main=variant&&fronts.find((part)=>part.dataset.front===variant&&part.dataset.title)",
  'if(!main)continue',
  'for(const part of fronts)part.hidden=part.dataset.front!==variant',
  'document.documentElement.lang=main.lang;document.title=main.dataset.title;break}})()'
].join('\n')

/** The Content-Security-Policy of every page: zhpress's script by its hash, no plug-ins, no `<base>`, no forms. */
export const contentSecurityPolicy = `script-src 'sha256-${createHash('sha256').update(siteScript).digest('base64')}'; object-src 'none'; base-uri 'none'; form-action 'none'`

/** Fewer headings than this, or a shorter body (characters), and the article gets no table of contents. */
const tocMinimum = {entries: 3, characters: 500}

/** Whether an article is long enough to need a table of contents. */
function showToc(page: ArticlePage): boolean {
  if (page.toc.length < tocMinimum.entries) return false
  return countCharacters(hastToString(page.body)) >= tocMinimum.characters
}

/**
 * The table of contents: a `<details>` whose summary names it and counts
 * the sections; h3 entries nest under the h2 before them. Unnumbered: the
 * headings carry their own numbers when the author wrote them.
 */
function tableOfContents(toc: ReadonlyArray<TocEntry>, label: string): Element {
  const top: Array<Element> = []
  let parent: Element | undefined
  for (const entry of toc) {
    const item = h('li', h('a', {href: '#' + entry.id}, entry.text))
    if (entry.depth > 2 && parent) {
      let sub = parent.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ul')
      if (!sub) {
        sub = h('ul')
        parent.children.push(sub)
      }

      sub.children.push(item)
    } else {
      parent = item
      top.push(item)
    }
  }

  return h('details.toc', [h('summary#toc-title', label), h('nav', {ariaLabelledby: 'toc-title'}, h('ul', top))])
}

/** One article in the lists of a locale. */
export interface IndexEntry {
  /** Page path (`guide/intro`). */
  slug: string
  title: string
  description?: string
  date?: string
  category?: string
  tags?: ReadonlyArray<string>
  /** Locale the article is written in. */
  sourceLocale?: Locale
  /** Reading time in minutes, when known. */
  readingMinutes?: number
}

/** Articles of one group of the list (a category or a folder). */
interface Group {
  label?: string
  entries: Array<IndexEntry>
}

/**
 * Group a list of articles: by category when any article has one (the
 * articles without last), else by top folder (folder index's title as the
 * label; articles outside folders last). Groups come in the order of their
 * newest article. A list that would be one group, or groups of one article
 * each, stays a plain list (each article shows its category).
 */
function groupEntries(entries: ReadonlyArray<IndexEntry>, t: i18n['t']): {by: 'category' | 'folder' | undefined; groups: Array<Group>} {
  const byCategory = entries.some((entry) => entry.category)
  const keyOf = (entry: IndexEntry) => (byCategory ? (entry.category ?? '') : entry.slug.includes('/') ? entry.slug.slice(0, entry.slug.indexOf('/')) : '')
  const groups = new Map<string, Array<IndexEntry>>()
  for (const entry of entries) {
    const key = keyOf(entry)
    // Added to in place: a copy per entry made the list of a large site quadratic in time and memory.
    const group = groups.get(key)
    if (group) group.push(entry)
    else groups.set(key, [entry])
  }

  const keys = [...groups.keys()].filter((key) => key !== '')
  // Headings help once a group holds more than one article; a heading per article only repeats it.
  const helps = keys.length + (groups.has('') ? 1 : 0) > 1 && [...groups.values()].some((group) => group.length > 1)
  if (!helps) return {by: undefined, groups: [{entries: [...entries]}]}
  const label = (key: string) => {
    if (byCategory) return key
    return entries.find((entry) => entry.slug === key + '/index')?.title ?? key
  }

  const result: Array<Group> = keys.map((key) => ({label: label(key), entries: groups.get(key)!}))
  if (groups.has('')) result.push({label: t(byCategory ? 'uncategorized' : 'topLevel'), entries: groups.get('')!})
  return {by: byCategory ? 'category' : 'folder', groups: result}
}

/** One article of a list: its title (a link), date, category, reading time, description and tags. */
/** An i18next `t` whose results are kept: a list of articles asks for the same few strings for every entry. */
type Translate = (key: string, options?: Record<string, unknown>) => string

function remembered(i18n: i18n): Translate {
  let seen = new Map<string, string>()
  return (key, options) => {
    const id = options === undefined ? key : key + '\0' + JSON.stringify(options)
    let text = seen.get(id)
    if (text === undefined) {
      text = String(i18n.t(key, options))
      // Bounded: a site's dates and categories, not every string ever asked.
      if (seen.size >= rememberedTexts) seen = new Map()
      seen.set(id, text)
    }

    return text
  }
}

/** Strings a {@link remembered} translator keeps before it starts again. */
const rememberedTexts = 4096

const pageTranslators = new Map<Locale, Translate>()

/** The UI strings of article pages in a locale, remembered (see {@link remembered}). */
function pageTranslator(locale: Locale): Translate {
  let t = pageTranslators.get(locale)
  if (!t) {
    t = remembered(uiI18n(locale))
    pageTranslators.set(locale, t)
  }

  return t
}

function entryItem(t: Translate, entry: IndexEntry, href: string, options: {showCategory: boolean; variant?: Locale}): Element {
  const when = publishedOn(t, entry.date)
  const meta: Array<ElementContent | string> = when ? [when] : []
  const add = (part: ElementContent | string) => meta.push(...(meta.length > 0 ? [' · '] : []), part)
  if (options.showCategory && entry.category) add(t('categoryIs', {category: entry.category}))
  if (entry.readingMinutes !== undefined) add(t('readingTime', {minutes: entry.readingMinutes}))
  const tags = entry.tags ?? []
  return h('li', [
    h('a', {href, ...(options.variant ? {dataVariant: options.variant} : {})}, entry.title),
    meta.length > 0 ? h('p.meta', meta) : undefined,
    entry.description ? h('p.summary', entry.description) : undefined,
    tags.length > 0 ? h('p.tags', [h('span.visually-hidden', t('tags') + '：'), ...tags.map((tag) => h('span.tag', tag))]) : undefined
  ])
}

/**
 * The list of articles of one locale: the locale's home page, or its
 * "all articles" page when the source has a home page of its own. Grouped
 * by category, else by folder, with a list of the groups on top.
 *
 * @param locale Locale of the page.
 * @param entries Articles, already sorted (newest first).
 * @param published Locales built.
 * @param site Where the site is published, and its name.
 * @returns A complete HTML document.
 */
export function renderLocaleIndex(
  locale: Locale,
  entries: ReadonlyArray<IndexEntry>,
  published: ReadonlyArray<Locale>,
  site: SiteOptions = {}
): string {
  const i18n = uiI18n(locale)
  const t = i18n.t
  const list = site.listPage ?? 'index'
  const name = siteName(locale, site)
  const home = list === 'index'
  const place: PagePath = (other) => (other ? `${other}/${list}.html` : 'index.html')
  const heading = home ? name.title : t('allArticles')
  const title = home ? name.title : t('pageTitle', {page: heading, site: name.title})
  const description = home ? (name.description ?? t('articlesDescription')) : t('articlesDescription')
  const {by, groups} = groupEntries(entries, t)
  const translate = remembered(i18n)
  // Each item written as it is made: the tree of a large site's list, whole, was a peak of memory of its own.
  const items = (group: Group) =>
    h('ul.articles', group.entries.map((entry) => serialized(entryItem(translate, entry, entry.slug + '.html', {showCategory: by !== 'category'}))))
  return document(locale, {
    raw: true,
    title,
    description,
    head: [
      ...links(locale, published, place, site.baseUrl),
      h('meta', {property: 'og:type', content: 'website'}),
      h('meta', {property: 'og:title', content: title}),
      h('meta', {property: 'og:site_name', content: name.title}),
      ...ogLocales(locale, published),
      site.baseUrl ? h('meta', {property: 'og:url', content: site.baseUrl + place(locale)}) : undefined
    ],
    body: [
      header(locale, published, name, {home: 'index.html', ...(home ? {} : {list: `${list}.html`}), current: home ? 'home' : 'list', variant: (other) => `../${other}/${list}.html`}),
      h('main', [
        h('h1', heading),
        home && name.description ? h('p.lead', name.description) : undefined,
        ...(by
          ? [
              h('nav.groups', {ariaLabel: t('groups')}, h('ul', groups.map((group, index) => h('li', h('a', {href: `#group-${index + 1}`}, [group.label ?? '', ' ', h('span.count', t('groupCount', {count: group.entries.length}))]))))),
              ...groups.flatMap((group, index) => [h('h2', {id: `group-${index + 1}`}, group.label), items(group)])
            ]
          : [items(groups[0]!)])
      ])
    ]
  })
}

/** Articles on the front page, per variant. */
const latestCount = 6

/**
 * The front page (`html/index.html`, the `x-default` of the lists): the
 * site's name and its latest articles in one variant, the other variants
 * one click away. Every variant's part is in the page; without a script the
 * default variant's shows, with it the reader's (see {@link siteScript}).
 *
 * @param published Locales built.
 * @param entries Every article of every locale, sorted (newest first).
 * @param site Where the site is published, its name, and the variant shown by default.
 * @returns A complete HTML document.
 */
export function renderRootIndex(
  published: ReadonlyArray<Locale>,
  entries: ReadonlyArray<IndexEntry & {locale: Locale}> = [],
  site: SiteOptions & {defaultLocale?: Locale} = {}
): string {
  const first = site.defaultLocale && published.includes(site.defaultLocale) ? site.defaultLocale : (published[0] ?? baseLocale)
  const i18n = uiI18n(first)
  const own = (locale: Locale, key: string, options?: Record<string, unknown>) => uiI18n(locale).t(key, options)
  const list = site.listPage ?? 'index'
  // Each variant's home (the list, or the source's own home page); the list is one link further.
  const place: PagePath = (locale) => (locale ? `${locale}/index.html` : 'index.html')
  const name = siteName(first, site)
  // Each distinct wording once (the Traditional variants share one), in its own language.
  const choose = published
    .filter((locale, index) => published.findIndex((other) => own(other, 'chooseVariant') === own(locale, 'chooseVariant')) === index)
    .flatMap((locale, index) => [...(index === 0 ? [] : [' / ']), h('span', {lang: htmlLang[locale]}, own(locale, 'chooseVariant'))])
  const sections = published.map((locale) => {
    const local = uiI18n(locale)
    const translate = remembered(local)
    const identity = siteName(locale, site)
    const latest = entries.filter((entry) => entry.locale === locale).slice(0, latestCount)
    return h('section.front', {dataFront: locale, dataTitle: identity.title, lang: htmlLang[locale], hidden: locale !== first}, [
      // Every variant's home, on the first screen; the cards below say what sets each apart.
      h(
        'nav.switcher.front-switcher',
        // One per variant's part, each named apart (only the shown one is read).
        {ariaLabel: `${local.t('languages')}（${local.t('languageName.' + locale)}）`},
        h(
          'ul',
          published.map((other) =>
            h(
              'li',
              h(
                'a',
                {href: place(other), lang: htmlLang[other], ...(other === locale ? {ariaCurrent: 'true'} : {hrefLang: htmlLang[other]}), dataVariant: other},
                local.getFixedT(other)('languageName.' + other)
              )
            )
          )
        )
      ),
      h('h1', identity.title),
      identity.description ? h('p.lead', identity.description) : undefined,
      latest.length > 0 ? h('h2', local.t('latestArticles')) : undefined,
      latest.length > 0 ? h('ul.articles', latest.map((entry) => entryItem(translate, entry, `${locale}/${entry.slug}.html`, {showCategory: true, variant: locale}))) : undefined,
      h('p.more', h('a', {href: `${locale}/${list}.html`, dataVariant: locale}, local.t('allArticles')))
    ])
  })
  return document(first, {
    title: name.title,
    description: name.description ?? own(first, 'chooseVariantDescription'),
    head: [
      ...links(undefined, published, place, site.baseUrl),
      h('meta', {property: 'og:type', content: 'website'}),
      h('meta', {property: 'og:title', content: name.title}),
      h('meta', {property: 'og:site_name', content: name.title}),
      site.baseUrl ? h('meta', {property: 'og:url', content: site.baseUrl}) : undefined
    ],
    body: [
      h('main', [
        ...sections,
        h('nav.choose', {ariaLabelledby: 'choose-variant'}, [
          h('h2#choose-variant', choose),
          h(
            'ul.variants',
            published.map((locale) =>
              h(
                'li',
                h('a', {href: place(locale), lang: htmlLang[locale], hrefLang: htmlLang[locale], dataVariant: locale}, [
                  h('span.name', own(locale, 'languageName.' + locale)),
                  h('span.hint', own(locale, 'variantHint.' + locale)),
                  h('span.sample', variantSample(locale))
                ])
              )
            )
          )
        ])
      ]),
      h(
        'footer',
        published.map((locale) => h('p', {dataFront: locale, lang: htmlLang[locale], hidden: locale !== first}, own(locale, 'chooseVariantDescription')))
      )
    ]
  })
}

/**
 * The page for a missing address: `html/<locale>/404.html` in a locale, or
 * `html/404.html` (every variant's wording, links to each). Hosts serve it
 * for any missing path, at any depth, so its links are absolute with a base
 * URL; without one they are relative to the page's own folder.
 *
 * @param locale Locale of the page; `undefined` for the root one.
 * @param published Locales built.
 * @param site Where the site is published, and its name.
 * @returns A complete HTML document.
 */
export function renderNotFound(locale: Locale | undefined, published: ReadonlyArray<Locale>, site: SiteOptions & {defaultLocale?: Locale} = {}): string {
  const list = site.listPage ?? 'index'
  // From html/<locale>/404.html, or from html/404.html.
  const url = (path: string) => (site.baseUrl ? site.baseUrl + path : locale ? relativeUrl(`${locale}/404`, path) : path)
  const noindex = h('meta', {name: 'robots', content: 'noindex'})
  if (locale) {
    const i18n = uiI18n(locale)
    const t = i18n.t
    const name = siteName(locale, site)
    return document(locale, {
      title: t('pageTitle', {page: t('notFound'), site: name.title}),
      head: [noindex],
      body: [
        header(locale, published, name, {
          home: url(`${locale}/index.html`),
          ...(list === 'index' ? {} : {list: url(`${locale}/${list}.html`)}),
          variant: (other) => url(`${other}/index.html`)
        }),
        h('main.notfound', [
          h('h1', t('notFound')),
          h('p', t('notFoundText')),
          h('p', [h('a', {href: url(`${locale}/index.html`)}, t('backHome')), ' · ', h('a', {href: url(`${locale}/${list}.html`)}, t('allArticles'))])
        ])
      ]
    })
  }

  const first = site.defaultLocale && published.includes(site.defaultLocale) ? site.defaultLocale : (published[0] ?? baseLocale)
  const name = siteName(first, site)
  const t = uiI18n(first).t
  // Each distinct wording once, in its own language.
  const wordings = (key: string) =>
    published
      .filter((other, index) => published.findIndex((item) => uiI18n(item).t(key) === uiI18n(other).t(key)) === index)
      .map((other) => h('span', {lang: htmlLang[other]}, uiI18n(other).t(key)))
  return document(first, {
    title: t('pageTitle', {page: t('notFound'), site: name.title}),
    head: [noindex],
    body: [
      h('header', h('nav.brand', {ariaLabel: t('siteNavigation')}, [h('a.site', {href: url('index.html')}, name.title), name.description ? h('span.tagline', name.description) : undefined])),
      h('main.notfound', [
        h('h1', wordings('notFound').flatMap((part, index) => (index === 0 ? [part] : [' / ', part]))),
        h('p', wordings('notFoundText').flatMap((part, index) => (index === 0 ? [part] : [' ', part]))),
        h(
          'ul.variants',
          published.map((other) => {
            const local = uiI18n(other).t
            return h(
              'li',
              h('a', {href: url(`${other}/index.html`), lang: htmlLang[other], hrefLang: htmlLang[other], dataVariant: other}, [
                h('span.name', local('backHome')),
                h('span.hint', local('languageName.' + other))
              ])
            )
          })
        )
      ])
    ]
  })
}

/** The site's name (settings, else the UI's default) and description in one locale. */
function siteName(locale: Locale, site: SiteOptions): {title: string; description?: string} {
  const identity = site.identity?.[locale]
  return {
    title: identity?.title ?? uiI18n(locale).t('siteTitle'),
    ...(identity?.description ? {description: identity.description} : {})
  }
}

/** "Published on <date>" in the page's locale (Intl through i18next): the calendar date as written. */
function publishedOn(t: Translate, value: string | undefined): ElementContent | string | undefined {
  const date = calendarDay(value)
  if (!value || !date) return undefined
  // The day as written: a midnight-UTC Date formatted in UTC never moves a day.
  return h('time', {dateTime: value}, t('publishedOn', {date, formatParams: {date: {dateStyle: 'long', timeZone: 'UTC'}}}))
}

interface HeaderLinks {
  /** The locale's home page (the site's name links there). */
  home: string
  /** The list of articles, when it is not the home page. */
  list?: string
  /** Which of the two is this page. */
  current?: 'home' | 'list'
  /** The same page in another variant. */
  variant: (locale: Locale) => string
}

/** The header of a page: the site's name and description, the list of articles, the language switcher. */
function header(current: Locale, published: ReadonlyArray<Locale>, site: {title: string; description?: string}, targets: HeaderLinks): Element {
  const t = (key: string) => uiText(current, current, key)
  return h('header', [
    h('nav.brand', {ariaLabel: t('siteNavigation')}, [
      h('a.site', {href: targets.home, ...(targets.current === 'home' ? {ariaCurrent: 'page'} : {})}, site.title),
      site.description ? h('span.tagline', site.description) : undefined,
      targets.list ? h('a.list', {href: targets.list, ...(targets.current === 'list' ? {ariaCurrent: 'page'} : {})}, t('allArticles')) : undefined
    ]),
    h('nav.switcher', {ariaLabel: t('languages')}, [
      h(
        'ul',
        published.map((locale) => {
          const name = uiText(current, locale, 'languageName.' + locale)
          return h(
            'li',
            locale === current
              ? h('a', {href: targets.variant(locale), ariaCurrent: 'page', lang: htmlLang[locale]}, name)
              : h('a', {href: targets.variant(locale), hrefLang: htmlLang[locale], lang: htmlLang[locale], rel: ['alternate'], dataVariant: locale}, name)
          )
        })
      )
    ])
  ])
}

/**
 * A UI string without parameters, as `uiI18n(ui).getFixedT(locale)(key)`
 * gives it, kept: every page asks for the same few.
 */
function uiText(ui: Locale, locale: Locale, key: string): string {
  const id = `${ui}\0${locale}\0${key}`
  let text = uiTexts.get(id)
  if (text === undefined) {
    text = String(uiI18n(ui).getFixedT(locale)(key))
    uiTexts.set(id, text)
  }

  return text
}

const uiTexts = new Map<string, string>()

/**
 * Canonical and `hreflang` alternates (every variant plus x-default), from a
 * page at `place(current)` (`undefined`: the entry page).
 */
function links(current: Locale | undefined, published: ReadonlyArray<Locale>, place: PagePath, baseUrl: string | undefined): Array<Element | undefined> {
  const url = (target: Locale | undefined) => (baseUrl ? baseUrl + place(target) : relative(place(current), place(target)))
  return [
    // A relative canonical is worse than none (search engines reject it): only with a base URL.
    baseUrl ? h('link', {rel: ['canonical'], href: url(current)}) : undefined,
    ...locales
      .filter((locale) => published.includes(locale))
      .map((locale) => h('link', {rel: ['alternate'], hrefLang: htmlLang[locale], href: url(locale)})),
    h('link', {rel: ['alternate'], hrefLang: 'x-default', href: url(undefined)})
  ]
}

function ogLocales(current: Locale, published: ReadonlyArray<Locale>): Array<Element> {
  const own = ogLocale[current]
  const others = published.filter((locale) => locale !== current).flatMap((locale) => ogLocale[locale] ?? [])
  return [
    ...(own ? [h('meta', {property: 'og:locale', content: own})] : []),
    ...others.filter((value) => value !== own).map((value) => h('meta', {property: 'og:locale:alternate', content: value}))
  ]
}

/** A relative URL from one page of `html/` to another. */
function relative(from: string, to: string): string {
  const depth = from.split('/').length - 1
  return '../'.repeat(depth) + to
}

interface DocumentOptions {
  /** The body holds elements already written ({@link serialized}). */
  raw?: boolean
  title: string
  description?: string
  head: Array<Element | undefined>
  body: Array<Element | undefined>
}

function document(locale: Locale, options: DocumentOptions): string {
  const tree = documentTree(locale, options)
  // Titles and descriptions come from front matter: no control characters either.
  removeControls(tree)
  return serialize(tree, options.raw)
}

/** A page as HTML; `raw`: it holds elements already written ({@link serialized}). */
function serialize(tree: HastRoot, raw = false): string {
  return toHtml(tree, {upperDoctype: true, ...(raw ? {allowDangerousHtml: true} : {})}) + '\n'
}

/**
 * An element written to HTML on its own, as {@link document} would write it
 * in place (control characters removed): a node of the page that holds only
 * its text, so that a long list never exists as one tree.
 */
function serialized(element: Element): ElementContent {
  removeControls(element)
  return {type: 'raw', value: toHtml(element)}
}

function documentTree(locale: Locale, options: DocumentOptions): HastRoot {
  return {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: htmlLang[locale]}, [
        h('head', [
          h('meta', {charSet: 'utf-8'}),
          // Before anything that could run: only zhpress's own script, by its hash.
          h('meta', {httpEquiv: 'Content-Security-Policy', content: contentSecurityPolicy}),
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('title', options.title),
          // No favicon: without this, browsers request /favicon.ico from the host's root.
          h('link', {rel: ['icon'], href: 'data:,'}),
          options.description ? h('meta', {name: 'description', content: options.description}) : undefined,
          ...options.head,
          h('style', css(locale))
        ]),
        h('body', [...options.body, h('script', siteScript)])
      ])
    ]
  }
}
