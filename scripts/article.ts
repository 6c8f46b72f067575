/**
 * The one article path: an article from its decoded text to every requested
 * locale and format, in memory. `build` (in-process and in workers), `check`
 * and `convert --markdown` all go through {@link processArticle}; it touches
 * no disk, so it runs the same in a test, a command or a worker, and it
 * never throws on a content error: those end up as messages on the file.
 */
import path from 'node:path'
import type {Nodes as MdastNodes, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {walk} from './walk.ts'
import {isMap, isScalar} from 'yaml'
import {VFileMessage} from 'vfile-message'
import type {Glossary} from './convert/glossary.ts'
import {convertArticle, lintArticle, publishesStandardForms, sourceFixes, standardFragment} from './convert/index.ts'
import type {QuoteSetting} from './convert/quotes.ts'
import {reportReview, type ReviewItem} from './convert/review.ts'
import type {SiteIdentity} from './site-identity.ts'
import type {Locale} from './locales.ts'
import {parseFrontmatter, parseToml, readFrontmatterValues, tomlValueRanges, type FrontmatterKind} from './frontmatter.ts'
import {isStackOverflow, parseArticle, parseMarkdown, reportStackOverflow} from './parse.ts'
import {parseArticleDate} from './dates.ts'
import {
  alternatePaths,
  bodyTree,
  countCharacters,
  plainText,
  schemaVersion,
  type Alternates,
  type ArticleDocument,
  type MdastRoot
} from './render-json.ts'
import {safeFrontmatterEdits} from './frontmatter-edits.ts'
import {applyEdits} from './render-markdown.ts'
import {deriveFrontmatter, deriveTree} from './derive.ts'
import type {Edit, Format, Frontmatter} from './types.ts'
import {wrapContainers} from './containers.ts'
import {fixedHeadingText, headingIds, headingsOf, markHeadings, rawHeadingAnchors, renamedIds, resolveLinks, siteAsker, stripCustomIds, vitepressHeadingIds, type AnchorLink, type ArticleLinks, type SiteLookup} from './links.ts'
import {pagePath, type SiteContext} from './pages.ts'
import type {PageScan} from './site-links.ts'

export interface ArticleOptions {
  /** Locales to publish. */
  locales: ReadonlyArray<Locale>
  /**
   * Formats to render. Only what they need is computed: none (`check`) gives
   * the diagnostics and the slug; `md` adds the Markdown and the converted
   * front matter; `json` and `html` add the document model.
   */
  formats: ReadonlyArray<Format>
  /** Project glossary (`source/glossary.yaml`). */
  glossary?: Glossary
  /** Absolute URL of the published `html/` folder, for canonical and Open Graph links. */
  baseUrl?: string
  /** Word-aware corrections (default on; `false`: exactly opencc-js). */
  corrections?: boolean
  /** Keep a Traditional source's non-standard forms (default: make them standard). */
  keepSourceForms?: boolean
  /**
   * Accept Markdown without front matter or title, and take the slug from
   * the file name without checking it (`convert --markdown`).
   */
  lenient?: boolean
  /** Source locale to use instead of front matter `lang` or detection. */
  sourceLocale?: Locale
  /** Quote style to use instead of front matter `quotes`. */
  quotes?: QuoteSetting
  /** The site the article belongs to: the source folder as given, every article's page path, the other files. */
  site?: SiteContext & {root: string}
  /** Source locale of a text with no script-specific character (`defaultLocale` setting). */
  defaultLocale?: Locale
  /** The site's name and description per locale (`site` setting), for the pages' header and title. */
  identity?: Partial<Record<Locale, SiteIdentity>>
}

/**
 * The front matter an output carries, in the document model's shape (one
 * model: `null` for a missing value, as in the JSON).
 */
export type ArticleMeta = Pick<ArticleDocument, 'title' | 'description' | 'category' | 'tags' | 'date' | 'updated'>

/** The article in one locale. */
export interface LocaleOutput {
  locale: Locale
  /** The whole converted article (front matter included); with any format. */
  markdown: string
  /** Converted front matter; with any format. */
  meta: ArticleMeta
  /** With `json` or `html`. */
  document?: ArticleDocument
  /** The page; with `html`. */
  html?: string
  /** The page's links and ids, for the link check (as `scanPage` reads them); with `html`, unless only parsing the page can tell. */
  scan?: PageScan
}

export interface BuiltArticle {
  /** Page path: where the outputs go inside each locale's folder, without extension (`guide/intro`). */
  slug: string
  /** Where front matter `slug` is written, for a duplicate-slug message. */
  slugPoint?: {line: number; column: number}
  sourceLocale: Locale
  /** One per requested locale when a format was asked for; none for a check. */
  outputs: Array<LocaleOutput>
  /** Heading ids (from the source text, then a VitePress site's ids where they differ), for links from other articles. */
  ids: Array<string>
  /** Links into other articles with a fragment, checked once the site is built. */
  anchors: Array<AnchorLink>
  /** Files of the source tree the article shows or links to, source-relative. */
  assets: Array<string>
  /**
   * What the article asked of the site (other articles' page paths, files)
   * and the answers: its outputs are the same in any site giving the same
   * answers. Absent without a site.
   */
  lookups?: Array<SiteLookup>
}

/**
 * Take one article through every stage: parse (once), convert into each
 * locale, render what the formats need, report review items and lint.
 * Content errors (`file.fail`, malformed markup, nesting deep enough to
 * overflow the stack) become fatal messages on the file; only a bug throws.
 *
 * @param file The article, decoded (see `decodeArticle`); messages go on it.
 * @param options Locales, formats, glossary.
 * @param renderers The HTML stack, from {@link loadRenderers}; needed for `json` and `html`.
 * @returns The outputs, or `undefined` when the article has an error.
 */
export function processArticle(file: VFile, options: ArticleOptions, renderers?: Renderers): BuiltArticle | undefined {
  if (file.messages.some((message) => message.fatal)) return undefined
  if (!renderers && needsRenderers(options.formats)) throw new Error('formats `json` and `html` need the renderers: pass `await loadRenderers()`')
  try {
    return build(file, options, renderers)
  } catch (error) {
    if (isStackOverflow(error)) reportStackOverflow(file)
    else if (!(error instanceof VFileMessage)) throw error
    return undefined
  }
}

/**
 * The same as {@link processArticle}, but a content error throws (the
 * `VFileMessage` that `file.fail` raised): for tests and programs that want
 * one article or an exception.
 *
 * @param file The article, decoded.
 * @param options Locales and formats.
 * @param renderers The HTML stack, for `json` and `html`.
 * @returns The outputs.
 */
export function buildArticle(file: VFile, options: ArticleOptions, renderers?: Renderers): BuiltArticle {
  const built = processArticle(file, options, renderers)
  if (!built) {
    const fatal = file.messages.find((message) => message.fatal)
    // No error message and no outputs is a bug, not a content problem.
    throw fatal ?? new Error('article could not be built, yet no error was reported')
  }

  return built
}

/**
 * Convert the source of one parsed article into Markdown for a locale.
 *
 * @param file Parsed article (after `parseArticle`).
 * @param tree Its syntax tree.
 * @param locale Target locale.
 * @param glossary Project glossary.
 * @returns Converted Markdown, the edits that made it, how many characters
 *   changed, and the characters to review.
 */
export function convertMarkdown(
  file: VFile,
  tree: Root,
  locale: Locale,
  glossary?: Glossary,
  linkEdits: ReadonlyArray<Edit> = []
): {markdown: string; edits: Array<Edit>; converted: number; review: Array<ReviewItem>} {
  const {edits, converted, review} = convertArticle(tree, file, glossary ? {to: locale, glossary} : {to: locale})
  const all: Array<Edit> = [...edits, ...linkEdits]
  const lang = file.data.langRange
  if (lang && locale !== file.data.sourceLocale) all.push({start: lang.start, end: lang.end, text: locale})
  all.sort((a, b) => a.start - b.start)
  // Converted front matter values stay the values they were converted to.
  const safe = safeFrontmatterEdits(file, all)
  return {markdown: applyEdits(String(file.value), safe), edits: safe, converted, review}
}

/** The HTML stack (unified, rehype, parse5, the sanitizer, i18next): loaded only by commands whose formats need it. */
export type Renderers = Pick<typeof import('./render-html.ts'), 'renderArticlePageScanned' | 'renderBody' | 'stringify'>

/**
 * Load the HTML stack when the formats need it.
 *
 * @param formats Formats to render.
 * @returns The renderers, or `undefined` when no format needs them.
 */
export async function loadRenderers(formats: ReadonlyArray<Format> = ['html']): Promise<Renderers | undefined> {
  return needsRenderers(formats) ? import('./render-html.ts') : undefined
}

function needsRenderers(formats: ReadonlyArray<Format>): boolean {
  return formats.includes('json') || formats.includes('html')
}

function build(file: VFile, options: ArticleOptions, renderers: Renderers | undefined): BuiltArticle {
  const tree = parseArticle(file, {
    ...(options.lenient ? {lenient: true} : {}),
    ...(options.sourceLocale ? {sourceLocale: options.sourceLocale} : {}),
    ...(options.defaultLocale ? {defaultLocale: options.defaultLocale} : {}),
    ...(options.site?.math ? {math: true} : {})
  })
  if (options.quotes) file.data.quotes = options.quotes
  if (options.corrections === false) file.data.corrections = false
  if (options.keepSourceForms) file.data.keepSourceForms = true
  const sourceLocale = file.data.sourceLocale!
  const sourcePath = options.site ? relativeSourcePath(file.path, options.site.root) : undefined
  // What the article asks of the rest of the site is recorded: its cached outputs hold while the answers do.
  const asker = options.site ? siteAsker(options.site) : undefined
  const slug =
    sourcePath === undefined
      ? file.data.frontmatter!.slug
      : asker!.page(sourcePath) ?? pagePath(sourcePath, file.data.slugPoint ? file.data.frontmatter!.slug : undefined)
  // The pages show a Traditional source's headings in standard forms, and their ids are made of them
  // (`逾期后` is `逾期後` in every output); a link naming a heading by its source form is renamed with it.
  const glossaryOption = options.glossary ? {glossary: options.glossary} : {}
  const standardForms = publishesStandardForms(file)
  const headingFixes = standardForms ? sourceFixes({type: 'root', children: headingsOf(tree)}, file, glossaryOption) : []
  const textOf = headingFixes.length > 0 ? fixedHeadingText(String(file.value), headingFixes) : undefined
  const ids = headingIds(tree, textOf)
  const renamed = standardForms
    ? {ids: textOf ? renamedIds(headingIds(tree), ids) : new Map<string, string>(), standard: (fragment: string) => standardFragment(file, fragment, glossaryOption)}
    : undefined
  // A VitePress site's links name headings by VitePress's ids: the pages give a heading both.
  const vitepressIds = options.site?.headingIds === 'vitepress' ? vitepressHeadingIds(tree, ids, textOf) : undefined
  const anchors = rawHeadingAnchors(tree, vitepressIds ? [...ids, ...vitepressIds.filter((id) => id !== undefined)] : ids)
  // More ids per heading, for the pages: the site generator's, then the author's raw anchors.
  const moreIds =
    anchors.some((more) => more.length > 0) || vitepressIds
      ? anchors.map((more, index) => (vitepressIds?.[index] === undefined ? more : [vitepressIds[index]!, ...more]))
      : undefined
  const targets = moreIds ? [...ids, ...moreIds.flat()] : ids
  const image = frontmatterImage(file, tree)
  // A local image is an asset of the article (copied, checked: `missing-image`); a URL is taken as it is.
  const localImage = image && !/^[a-z][a-z\d+.-]*:|^\/\//i.test(image.url) ? [image] : []
  const links: ArticleLinks =
    options.site && sourcePath !== undefined
      ? resolveLinks(tree, file, sourcePath, slug, options.site, targets, localImage, asker, renamed)
      : {urls: {}, edits: [], anchors: [], assets: []}
  const linkEdits = new Set(links.edits)
  const alternates: Alternates = {}
  for (const locale of options.locales) alternates[locale] = alternatePaths(locale, slug, options.baseUrl)

  const frontKind = frontmatterKind(tree)
  const hasFrontmatter = frontKind !== undefined
  const review: Array<ReviewItem> = []
  const outputs: Array<LocaleOutput> = []
  // Locales whose conversion leaves the front matter alike (zh-TW and zh-HK often) read it once.
  const frontValues = new Map<string, Partial<Frontmatter>>()
  for (const locale of options.locales) {
    const converted = convertMarkdown(file, tree, locale, options.glossary, links.edits)
    // Rewritten link destinations change no structure and no text: the derived
    // tree keeps the source's URLs, which the pages rewrite (`links.urls`).
    const textEdits = linkEdits.size > 0 ? converted.edits.filter((edit) => !linkEdits.has(edit)) : converted.edits
    review.push(...converted.review)
    if (options.formats.length === 0) continue
    const {markdown} = converted
    const source = String(file.value)
    const mathOption = {math: options.site?.math === true}
    // Parse once: the converted article has the source's structure, so its
    // front matter and tree come from the source tree and the edits. When an
    // edit could change the structure, the converted Markdown is parsed.
    const wantsTree = renderers !== undefined && needsRenderers(options.formats)
    const derived = wantsTree ? deriveTree(tree, source, textEdits, markdown) : undefined
    const reparsed = wantsTree && !derived ? parseMarkdown(markdown, mathOption) : undefined
    const front = reparsed
      ? frontmatterOf(reparsed)
      : hasFrontmatter
        ? (deriveFrontmatter(tree, source, textEdits) ?? frontmatterOf(parseMarkdown(markdown, mathOption)))
        : undefined
    const meta = metaOf(front, frontKind, frontValues)
    // Without a title in front matter, the first level-1 heading is the title (and is not shown twice).
    const untitled = meta.title.trim() === ''
    const body = wantsTree || untitled ? (derived ?? (reparsed ? bodyTree(reparsed) : (deriveTree(tree, source, textEdits, markdown) ?? bodyTree(parseMarkdown(markdown, mathOption))))) : undefined
    const h1 = untitled && body ? body.children.findIndex((node) => node.type === 'heading' && node.depth === 1) : -1
    // The heading shown as the page's title keeps its id (a `{#custom-id}` or its slug), so links to it still land.
    let titleId: string | undefined
    if (h1 !== -1) {
      const heading = structuredClone(body!.children[h1]!)
      stripCustomIds({type: 'root', children: [heading]})
      meta.title = toString(heading).trim()
      let before = 0
      for (const node of body!.children.slice(0, h1)) walk<MdastNodes>(node, (inner) => void (inner.type === 'heading' && before++))
      titleId = ids[before]
    }

    if (meta.title.trim() === '') meta.title = fallbackTitle(file)
    const output: LocaleOutput = {locale, markdown, meta}
    outputs.push(output)
    if (!wantsTree || !body) continue

    const forHtml = structuredClone(body)
    markHeadings(forHtml)
    stripCustomIds(body)
    if (h1 !== -1) {
      body.children.splice(h1, 1)
      forHtml.children.splice(h1, 1)
    }

    wrapContainers(forHtml, locale)
    const {renderArticlePageScanned, renderBody, stringify} = renderers!
    const {hast, toc} = renderBody(forHtml, locale, {headingIds: ids, ...(moreIds ? {alternateHeadingIds: moreIds} : {}), urls: links.urls})
    const text = plainText(body)
    const bodyOffset = hasFrontmatter ? shiftOffset(converted.edits, tree.children[0]!.position!.end.offset!) : 0
    const bodyHtml = stringify(hast)
    output.document = {
      schemaVersion,
      slug,
      locale,
      sourceLocale,
      source: sourcePath ?? null,
      ...meta,
      // The JSON carries one form per kind of date (see DateValue in scripts/schemas.ts).
      date: isoDate(meta.date),
      updated: isoDate(meta.updated),
      toc,
      markdown: markdown.slice(bodyOffset).replace(/^(?:\r?\n)+/, ''),
      html: bodyHtml,
      text,
      // mdast's node interfaces carry no index signature; the JSON is the same.
      tree: body as unknown as MdastRoot,
      alternates,
      stats: {characters: countCharacters(text), convertedCharacters: converted.converted, reviewCount: converted.review.length}
    }

    if (options.formats.includes('html')) {
      const page = renderArticlePageScanned({
        locale,
        sourceLocale,
        slug,
        title: meta.title,
        ...(titleId ? {titleId} : {}),
        description: meta.description ?? undefined,
        category: meta.category ?? undefined,
        date: meta.date ?? undefined,
        tags: meta.tags,
        baseUrl: options.baseUrl,
        ...openGraphImage(image, localImage.length > 0 ? links.images?.[0] : image?.url, options.baseUrl, `${locale}/${slug}.html`),
        ...(options.site ? {listPage: options.site.listPage} : {}),
        ...(options.identity ? {identity: options.identity} : {}),
        body: hast,
        bodyHtml,
        toc,
        published: options.locales
      })
      output.html = page.html
      if (page.scan) output.scan = page.scan
    }
  }

  reportReview(file, review)
  lintArticle(tree, file, glossaryOption)
  return {
    slug,
    ...(file.data.slugPoint ? {slugPoint: file.data.slugPoint} : {}),
    sourceLocale,
    outputs,
    ids: targets,
    anchors: links.anchors,
    assets: links.assets,
    ...(asker ? {lookups: asker.lookups} : {})
  }
}

/**
 * Front matter `image` (the picture link previews show): its URL as written
 * and the offset of the value in the source, for a `missing-image` warning.
 */
function frontmatterImage(file: VFile, tree: Root): {url: string; offset: number} | undefined {
  const node = tree.children[0]
  if (node?.type === 'toml' && node.position?.start.offset !== undefined) {
    const parsed = parseToml(node.value)
    const url = 'data' in parsed && typeof parsed.data.image === 'string' ? parsed.data.image.trim() : ''
    if (url === '') return undefined
    const source = String(file.value)
    return {url, offset: source.indexOf('\n', node.position.start.offset) + 1 + (tomlValueRanges(node.value, 'image')?.start ?? 0)}
  }

  if (node?.type !== 'yaml' || node.position?.start.offset === undefined) return undefined
  const document = parseFrontmatter(node.value, {logLevel: 'silent'})
  const value = document.contents && isMap(document.contents) ? document.contents.get('image', true) : undefined
  const raw: unknown = isScalar(value) ? value.value : undefined
  const url = typeof raw === 'string' ? raw.trim() : ''
  if (url === '') return undefined
  const source = String(file.value)
  const yamlStart = source.indexOf('\n', node.position.start.offset) + 1
  return {url, offset: yamlStart + ((value as {range?: [number, number, number]}).range?.[0] ?? 0)}
}

/**
 * `og:image` of a page: an absolute URL as written, or the copied image's
 * URL made absolute with the base URL. Link previews take absolute URLs
 * only, so without a base URL a local image gives none.
 */
function openGraphImage(image: {url: string} | undefined, url: string | undefined, baseUrl: string | undefined, page: string): {image?: string} {
  if (!image || url === undefined) return {}
  if (/^https?:\/\//i.test(url)) return {image: url}
  if (!baseUrl || /^[a-z][a-z\d+.-]*:|^\/\//i.test(url)) return {}
  return {image: new URL(url, baseUrl + page).href}
}

/** The path of an article relative to the source folder, `/`-separated. */
function relativeSourcePath(file: string, root: string): string {
  return path.relative(root, file).split(path.sep).join('/')
}

/** Title of an article with neither a front matter title nor a level-1 heading: its file name (its folder's, for an index). */
function fallbackTitle(file: VFile): string {
  const stem = file.stem ?? 'index'
  if (!/^(?:index|readme)$/i.test(stem)) return stem
  const folder = path.basename(file.dirname ?? '')
  return folder && folder !== '.' ? folder : stem
}

/** The front matter (YAML or TOML) of a parsed article. */
function frontmatterOf(tree: Root): string | undefined {
  const first = tree.children[0]
  return first?.type === 'yaml' || first?.type === 'toml' ? first.value : undefined
}

/** Whether a parsed article opens with front matter, and in which language. */
function frontmatterKind(tree: Root): FrontmatterKind | undefined {
  const first = tree.children[0]
  return first?.type === 'yaml' || first?.type === 'toml' ? first.type : undefined
}

/** Where a source offset lands in the converted text. */
function shiftOffset(edits: ReadonlyArray<Edit>, offset: number): number {
  let result = offset
  for (const edit of edits) {
    if (edit.end > offset) break
    result += edit.text.length - (edit.end - edit.start)
  }

  return result
}

/** Front matter of converted Markdown (already validated on the source), through the one reader; `read` remembers the texts read. */
function metaOf(text: string | undefined, kind: FrontmatterKind = 'yaml', read?: Map<string, Partial<Frontmatter>>): ArticleMeta {
  let front: Partial<Frontmatter> = {}
  if (text !== undefined) {
    const known = read?.get(text)
    front = known ?? readFrontmatterValues(text, kind)
    if (!known) read?.set(text, front)
  }

  return {
    title: front.title ?? '',
    description: front.description ?? null,
    category: front.category ?? null,
    tags: front.tags ? [...front.tags] : [],
    date: front.date ?? null,
    updated: front.updated ?? null
  }
}

/** A front matter date in the bundle's form; `null` when absent (an invalid one stopped the build already). */
function isoDate(value: string | null): string | null {
  if (value === null) return null
  const date = parseArticleDate(value)
  return 'problem' in date ? null : date.iso
}
