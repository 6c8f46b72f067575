/**
 * One article through every stage, in memory: parse, convert into each
 * locale, render Markdown, the document model and the HTML page. Touches
 * no disk, so it runs the same in a test, a command or a worker.
 */
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

export interface ArticleOptions {
  /** Locales to publish. */
  locales: ReadonlyArray<Locale>
  /** Formats to render (the document model is always computed). */
  formats: ReadonlyArray<Format>
  /** Project glossary (`source/glossary.yaml`). */
  glossary?: Glossary
  /** Absolute URL of the published `html/` folder, for canonical and Open Graph links. */
  baseUrl?: string
  /** Word-aware corrections (default on; `false`: exactly opencc-js). */
  corrections?: boolean
  /** Keep a Traditional source's non-standard forms (default: make them standard). */
  keepSourceForms?: boolean
}

/** The article in one locale. */
export interface LocaleOutput {
  locale: Locale
  markdown: string
  document: ArticleDocument
  html?: string
}

export interface BuiltArticle {
  slug: string
  sourceLocale: Locale
  outputs: Array<LocaleOutput>
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
  glossary?: Glossary
): {markdown: string; converted: number; review: Array<ReviewItem>} {
  const {edits, converted, review} = convertArticle(tree, file, glossary ? {to: locale, glossary} : {to: locale})
  const all: Array<Edit> = [...edits]
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
  const tree = parseArticle(file)
  if (options.corrections === false) file.data.corrections = false
  if (options.keepSourceForms) file.data.keepSourceForms = true
  const {slug} = file.data.frontmatter!
  const sourceLocale = file.data.sourceLocale!
  const alternates: Alternates = {}
  for (const locale of options.locales) alternates[locale] = outputPaths(locale, slug)

  const review: Array<ReviewItem> = []
  const outputs = options.locales.map((locale): LocaleOutput => {
    const converted = convertMarkdown(file, tree, locale, options.glossary)
    const {markdown} = converted
    review.push(...converted.review)
    // The converted Markdown is itself a valid article: parse it again for
    // the converted front matter, tree, HTML and table of contents.
    const convertedTree = parseMarkdown(markdown)
    const front = frontOf(convertedTree, markdown)
    const body = bodyTree(convertedTree)
    const {hast, toc} = renderBody(body, locale)
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
        body: hast,
        toc,
        published: options.locales
      })
    }

    return output
  })

  reportReview(file, review)
  lintArticle(tree, file, options.glossary ? {glossary: options.glossary} : {})
  return {slug, sourceLocale, outputs}
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
