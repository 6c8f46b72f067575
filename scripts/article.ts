/**
 * One article through every stage, in memory: parse, convert into each
 * locale, render Markdown, the document model and the HTML page. Touches
 * no disk, so it runs the same in a test, a command or a worker.
 */
import path from 'node:path'
import type {VFile} from 'vfile'
import {parse as parseYaml} from 'yaml'
import type {Glossary} from './convert/glossary.ts'
import {convertArticle, lintArticle} from './convert/index.ts'
import {reportReview, type ReviewItem} from './convert/review.ts'
import type {Locale} from './locales.ts'
import {parseArticle, parseMarkdown} from './parse.ts'
import {renderArticlePage, renderBody, stringify} from './render-html.ts'
import {
  bodyTree,
  countCharacters,
  outputPaths,
  plainText,
  schemaVersion,
  type Alternates,
  type ArticleDocument,
  type MdastRoot
} from './render-json.ts'
import {applyEdits} from './render-markdown.ts'
import type {Edit, Format} from './types.ts'
import {toString} from 'mdast-util-to-string'
import {wrapContainers} from './containers.ts'
import {headingIds, markHeadings, resolveLinks, stripCustomIds, type AnchorLink, type ArticleLinks} from './links.ts'
import {pagePath, type SiteContext} from './pages.ts'

export interface ArticleOptions {
  /** Locales to publish. */
  locales: ReadonlyArray<Locale>
  /** Formats to render (the document model is always computed). */
  formats: ReadonlyArray<Format>
  /** Project glossary (`source/glossary.yaml`). */
  glossary?: Glossary
  /** Absolute URL of the published `html/` folder, for canonical and Open Graph links. */
  baseUrl?: string
  /** The site the article belongs to: the source folder as given, every article's page path, the other files. */
  site?: SiteContext & {root: string}
  /** Source locale of a text with no script-specific character (`defaultLocale` setting). */
  defaultLocale?: Locale
}

/** The article in one locale. */
export interface LocaleOutput {
  locale: Locale
  markdown: string
  document: ArticleDocument
  html?: string
}

export interface BuiltArticle {
  /** Page path: where the outputs go inside each locale's folder, without extension (`guide/intro`). */
  slug: string
  sourceLocale: Locale
  outputs: Array<LocaleOutput>
  /** Heading ids (from the source text), for links from other articles. */
  ids: Array<string>
  /** Links into other articles with a fragment, checked once the site is built. */
  anchors: Array<AnchorLink>
  /** Files of the source tree the article shows or links to, source-relative. */
  assets: Array<string>
}

/**
 * Convert the source of one article into Markdown for a locale.
 *
 * @param file Parsed article (after {@link parseArticle}).
 * @param tree Its syntax tree.
 * @param locale Target locale.
 * @param glossary Project glossary.
 * @returns Converted Markdown, how many characters changed, and the characters to review.
 */
export function convertMarkdown(
  file: VFile,
  tree: ReturnType<typeof parseArticle>,
  locale: Locale,
  glossary?: Glossary,
  linkEdits: ReadonlyArray<Edit> = []
): {markdown: string; converted: number; review: Array<ReviewItem>} {
  const {edits, converted, review} = convertArticle(tree, file, glossary ? {to: locale, glossary} : {to: locale})
  const all: Array<Edit> = [...edits, ...linkEdits]
  const lang = file.data.langRange
  if (lang && locale !== file.data.sourceLocale) all.push({start: lang.start, end: lang.end, text: locale})
  all.sort((a, b) => a.start - b.start)
  return {markdown: applyEdits(String(file.value), all), converted, review}
}

/**
 * Build one article in every requested locale.
 *
 * @param file The article, decoded; diagnostics are reported on it.
 * @param options Locales and formats.
 * @returns The outputs; throws (through `file.fail`) when the article cannot be built.
 */
export function buildArticle(file: VFile, options: ArticleOptions): BuiltArticle {
  const tree = parseArticle(file, options.defaultLocale ? {defaultLocale: options.defaultLocale} : {})
  const sourceLocale = file.data.sourceLocale!
  const sourcePath = options.site ? relativeSourcePath(file.path, options.site.root) : undefined
  const slug = sourcePath === undefined ? file.data.frontmatter!.slug : options.site!.pages[sourcePath] ?? pagePath(sourcePath, file.data.slugPoint ? file.data.frontmatter!.slug : undefined)
  const ids = headingIds(tree)
  const links: ArticleLinks = options.site && sourcePath !== undefined
    ? resolveLinks(tree, file, sourcePath, slug, options.site, ids)
    : {urls: {}, edits: [], anchors: [], assets: []}
  const alternates: Alternates = {}
  for (const locale of options.locales) alternates[locale] = outputPaths(locale, slug)

  const review: Array<ReviewItem> = []
  const outputs = options.locales.map((locale): LocaleOutput => {
    const converted = convertMarkdown(file, tree, locale, options.glossary, links.edits)
    const {markdown} = converted
    review.push(...converted.review)
    // The converted Markdown is itself a valid article: parse it again for
    // the converted front matter, tree, HTML and table of contents.
    const convertedTree = parseMarkdown(markdown)
    const front = frontOf(convertedTree, markdown)
    const body = bodyTree(convertedTree)
    // Without a title in front matter, the first level-1 heading is the title (and is not shown twice).
    const h1 = front.title.trim() === '' ? body.children.findIndex((node) => node.type === 'heading' && node.depth === 1) : -1
    const forHtml = structuredClone(body)
    markHeadings(forHtml)
    stripCustomIds(body)
    if (h1 !== -1) {
      front.title = toString(body.children[h1]!).trim()
      body.children.splice(h1, 1)
      forHtml.children.splice(h1, 1)
    }

    if (front.title.trim() === '') front.title = fallbackTitle(file)
    wrapContainers(forHtml, locale)
    const {hast, toc} = renderBody(forHtml, locale, {headingIds: ids, urls: links.urls})
    const text = plainText(body)
    const document: ArticleDocument = {
      schemaVersion,
      slug,
      locale,
      sourceLocale,
      title: front.title,
      description: front.description ?? null,
      category: front.category ?? null,
      tags: front.tags ?? [],
      date: front.date ?? null,
      toc,
      markdown: markdown.slice(front.bodyOffset).replace(/^(?:\r?\n)+/, ''),
      html: stringify(hast),
      text,
      // mdast's node interfaces carry no index signature; the JSON is the same.
      tree: body as unknown as MdastRoot,
      alternates,
      stats: {characters: countCharacters(text), convertedCharacters: converted.converted, reviewCount: converted.review.length}
    }

    const output: LocaleOutput = {locale, markdown, document}
    if (options.formats.includes('html')) {
      output.html = renderArticlePage({
        locale,
        sourceLocale,
        slug,
        title: document.title,
        description: document.description ?? undefined,
        category: document.category ?? undefined,
        date: document.date ?? undefined,
        tags: document.tags,
        baseUrl: options.baseUrl,
        ...(options.site ? {listPage: options.site.listPage} : {}),
        body: hast,
        toc,
        published: options.locales
      })
    }

    return output
  })

  reportReview(file, review)
  lintArticle(tree, file, options.glossary ? {glossary: options.glossary} : {})
  return {slug, sourceLocale, outputs, ids, anchors: links.anchors, assets: links.assets}
}

/** The path of an article relative to the source folder, `/`-separated. */
function relativeSourcePath(file: string, root: string): string {
  const relative = path.relative(root, file)
  return relative.split(path.sep).join('/')
}

/** Title of an article with neither a front matter title nor a level-1 heading: its file name (its folder's, for an index). */
function fallbackTitle(file: VFile): string {
  const stem = file.stem ?? 'index'
  if (!/^(?:index|readme)$/i.test(stem)) return stem
  const folder = path.basename(file.dirname ?? '')
  return folder && folder !== '.' ? folder : stem
}

interface Front {
  title: string
  description?: string
  category?: string
  tags?: Array<string>
  date?: string
  bodyOffset: number
}

/** Front matter of converted Markdown (already validated on the source). */
function frontOf(tree: ReturnType<typeof parseMarkdown>, markdown: string): Front {
  const first = tree.children[0]
  if (!first || first.type !== 'yaml') return {title: '', bodyOffset: 0}
  const data = parseYamlValues(first.value)
  return {...data, bodyOffset: first.position?.end.offset ?? markdown.length}
}


function parseYamlValues(value: string): Omit<Front, 'bodyOffset'> {
  const data = (parseYaml(value) ?? {}) as Record<string, unknown>
  const text = (key: string) => (data[key] === undefined || data[key] === null ? undefined : String(data[key]))
  const tags = data.tags === undefined ? undefined : (Array.isArray(data.tags) ? data.tags : [data.tags]).map(String)
  return {title: text('title') ?? '', description: text('description'), category: text('category'), date: text('date'), tags}
}
