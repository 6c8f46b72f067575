/**
 * The index of a locale: one entry per article, made from its document —
 * what `json/<locale>/index.json` holds and what the HTML lists of articles
 * show (title, dates, description, category, tags, reading time, excerpt,
 * URLs). Pure: takes documents, returns data.
 */
import type {Nodes} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {ArticleDocument, ArticleIndex, IndexEntry} from './bundle-types.ts'
import type {Locale} from './locales.ts'
import {schemaVersion} from './schemas.ts'

export type {ArticleIndex, IndexEntry} from './bundle-types.ts'

/**
 * Reading speed behind `readingMinutes`: characters (not white space) of the
 * article's plain text a reader gets through in a minute. 400 is the usual
 * figure for Chinese prose read silently (300–500 in reading studies); a
 * Latin letter counts as a character too, which slightly overstates English
 * passages.
 */
export const readingSpeed = 400

/** Length of an excerpt, in characters (grapheme clusters), before `…`. */
export const excerptLength = 120

/**
 * Minutes an article takes to read.
 *
 * @param characters Characters of its plain text that are not white space
 *   (`stats.characters` of the document).
 * @returns `characters ÷ readingSpeed`, rounded up; at least 1.
 */
export function readingMinutes(characters: number): number {
  return Math.max(1, Math.ceil(characters / readingSpeed))
}

const han = /\p{Script=Han}/u
// Full-width punctuation carries its own spacing: no space beside it.
const wide = /[\u3000-\u303F\uFF00-\uFFEF]/u
const sentenceEnd = /[。！？!?；;…]$/u

/**
 * The opening of an article as plain text: its paragraphs up to the first
 * heading after them (not headings, code, tables, lists or images; the
 * first section's when the article opens with a heading), line breaks joined as the text reads
 * (nothing between two Chinese characters, a space elsewhere), cut to
 * {@link excerptLength} characters at the last sentence end past half of
 * it, else at the length with `…`.
 *
 * @param tree The document's body (`tree`).
 * @param length Characters at most (grapheme clusters; `…` not counted).
 * @returns The excerpt; empty when the article has no paragraph.
 */
export function excerptOf(tree: ArticleDocument['tree'], length = excerptLength): string {
  // A grapheme is at least one code unit: past `bound` code units the text is
  // surely longer than `length`, so no pass ever runs over a whole long article.
  const bound = length * 8
  let text = ''
  let more = false
  for (const node of tree.children) {
    // The introduction: once it has text, the first heading ends it.
    if (node.type === 'heading' && text !== '') break
    if (node.type !== 'paragraph') continue
    if (text.length > bound) {
      more = true
      break
    }

    const whole = toString(node as unknown as Nodes, {includeImageAlt: false})
    if (whole.length > bound) more = true
    const paragraph = join(whole.slice(0, bound))
    if (paragraph === '') continue
    text = text === '' ? paragraph : join(text + ' ' + paragraph)
  }

  const characters = graphemes(text.slice(0, bound))
  if (characters.length <= length && !more && text.length <= bound) return text
  const cut = characters.slice(0, length)
  for (let end = cut.length; end > length / 2; end--) {
    if (sentenceEnd.test(cut[end - 1]!)) return cut.slice(0, end).join('')
  }

  return cut.join('').trimEnd() + '…'
}

/** White space runs as one space, and none between two Chinese characters or beside full-width punctuation (a soft line break in the source). */
function join(text: string): string {
  return text
    .replace(/\s+/gu, ' ')
    .replace(/(\S) (?=(\S))/gu, (match, before: string, after: string) =>
      (han.test(before) && han.test(after)) || wide.test(before) || wide.test(after) ? before : match
    )
    .trim()
}

/** One segmenter for every excerpt: making one costs more than segmenting an excerpt. */
const graphemeSegmenter = new Intl.Segmenter('zh', {granularity: 'grapheme'})

/**
 * Text in which every code point is a grapheme cluster of its own: only
 * code points whose grapheme break property is Other (Unicode's UAX #29) and
 * that join nothing before or after them — printable ASCII, Latin-1 but the
 * soft hyphen, general punctuation (dashes, quotes, `…`), CJK symbols and
 * punctuation but the tone marks U+302A–U+302F, CJK ideographs (the BMP's
 * and those of planes 2 and 3), full-width forms up to U+FF9D and the
 * full-width signs. No combining mark, joiner, variation selector,
 * regional indicator, Hangul jamo, control or line break.
 */
const singleCodePoints =
  /^(?:[\x20-\x7E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u3000-\u3029\u3030-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uFF01-\uFF9D\uFFE0-\uFFE6]|[\uD840-\uD8BF][\uDC00-\uDFFF])*$/

/**
 * The grapheme clusters (user-perceived characters) of a text, as
 * `Intl.Segmenter` gives them; text made only of code points that stand
 * alone (nearly every excerpt of Chinese prose) is split by code point,
 * without the segmenter.
 *
 * @param text The text.
 * @returns Its clusters, in order.
 */
export function graphemes(text: string): Array<string> {
  if (singleCodePoints.test(text)) return Array.from(text)
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment)
}

/** Options of {@link indexEntry}. */
export interface IndexEntryOptions {
  /** Absolute URL of the published `html/` folder, ending in `/` (see `checkBaseUrl`); without it, `url` is `null`. */
  baseUrl?: string | undefined
}

/**
 * The index entry of one article in one locale.
 *
 * @param document The article's document.
 * @param options Where the site is published.
 * @returns The entry, as `json/<locale>/index.json` holds it.
 */
export function indexEntry(document: ArticleDocument, options: IndexEntryOptions = {}): IndexEntry {
  const own = document.alternates[document.locale]!
  return {
    slug: document.slug,
    // Every article of a site has a source path; the slug stands in for one converted alone.
    path: document.source ?? document.slug,
    title: document.title,
    description: document.description,
    category: document.category,
    tags: document.tags,
    date: document.date,
    updated: document.updated,
    characters: document.stats.characters,
    readingMinutes: readingMinutes(document.stats.characters),
    excerpt: excerptOf(document.tree),
    html: own.html,
    json: own.json,
    markdown: own.markdown,
    url: options.baseUrl ? options.baseUrl + own.html : null
  }
}

/**
 * The index of one locale: its entries ordered by `path` (then `slug`), so
 * two builds of one source write the same bytes.
 *
 * @param locale The locale.
 * @param entries Its articles' entries, in any order.
 * @param baseUrl Absolute URL of the published `html/` folder, if any.
 * @returns The index.
 */
export function localeIndex(locale: Locale, entries: ReadonlyArray<IndexEntry>, baseUrl?: string): ArticleIndex {
  const key = (entry: IndexEntry) => entry.path ?? entry.slug
  const articles = [...entries].sort((a, b) => compare(key(a), key(b)) || compare(a.slug, b.slug))
  return {schemaVersion, locale, baseUrl: baseUrl ?? null, articles}
}

/** Code unit order, as JSON keys and manifest paths are ordered (not the locale's collation). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
