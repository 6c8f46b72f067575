/**
 * The library's conversion entry points: one text, or one Markdown
 * article, into one locale. They return the result and the input as a
 * VFile carrying every message (errors, the review, the Traditional lint),
 * and never print, exit or write. `zhpress convert` is these two functions
 * plus reading the input and printing.
 */
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {processArticle} from './article.ts'
import {detectScript} from './convert/detect.ts'
import type {Glossary} from './convert/glossary.ts'
import {convertPlain} from './convert/index.ts'
import type {QuoteStyle} from './convert/quotes.ts'
import {reportReview} from './convert/review.ts'
import {resolveLocale, type Locale} from './locales.ts'
import {applyEdits} from './render-markdown.ts'

/** Options of {@link convertText} and {@link convertMarkdown}. */
export interface ConvertOptions {
  /** Locale wanted: `zh-Hans`, `zh-Hant`, `zh-TW`, `zh-HK` (aliases such as `zh-CN` accepted). */
  to: Locale | string
  /** Locale of the input; default `auto`: detected from the text (Markdown: front matter `lang` first). */
  from?: Locale | string
  /** Terms to protect or pin per locale (see `parseGlossary`). */
  glossary?: Glossary
  /** Quote marks of the output: `corner`, `curly` or `keep` (default: the locale's). */
  quotes?: QuoteStyle
  /** Word-aware corrections (default: true; false gives exactly opencc-js). */
  corrections?: boolean
  /** Keep a Traditional source's non-standard forms (default: make them standard). */
  keepSourceForms?: boolean
}

/** What a conversion gives. */
export interface ConvertResult {
  /** The converted text; `undefined` when an error stopped the conversion (see `file.messages`). */
  value: string | undefined
  /** The input, with every message as a vfile message (`fatal: true` errors, `false` warnings, `undefined` info). */
  file: VFile
}

/**
 * Convert a plain text into one locale. Inline rules (`-{…}-`) and the
 * glossary apply; review items are warnings on the file.
 *
 * @param input The text, or a VFile holding it (its path names it in messages).
 * @param options Target and source locale, glossary, quotes, corrections.
 * @returns The converted text and the file with its messages.
 */
export function convertText(input: string | VFile, options: ConvertOptions): ConvertResult {
  const file = toFile(input)
  const {to, from} = locales(options)
  if (file.messages.some((message) => message.fatal)) return {value: undefined, file}
  const text = String(file.value)
  file.data.sourceLocale = from ?? detectScript(text).locale
  if (options.quotes) file.data.quotes = options.quotes
  if (options.corrections === false) file.data.corrections = false
  if (options.keepSourceForms) file.data.keepSourceForms = true
  try {
    const result = convertPlain(file, options.glossary ? {to, glossary: options.glossary} : {to})
    reportReview(file, result.review)
    return {value: applyEdits(text, result.edits), file}
  } catch (error) {
    if (!(error instanceof VFileMessage)) throw error
    return {value: undefined, file}
  }
}

/**
 * Convert a Markdown article into one locale, source-preserving: only
 * converted characters differ; code, URLs, link destinations and raw HTML
 * stay as written. Front matter is optional; `title`, `description`,
 * `category` and `tags` are converted, `lang` is rewritten.
 *
 * @param input The Markdown, or a VFile holding it.
 * @param options Target and source locale, glossary, quotes, corrections.
 * @returns The converted Markdown and the file with its messages.
 */
export function convertMarkdown(input: string | VFile, options: ConvertOptions): ConvertResult {
  const file = toFile(input)
  const {to, from} = locales(options)
  if (file.messages.some((message) => message.fatal)) return {value: undefined, file}
  // The build's article path, leniently: no front matter needed, one locale, Markdown only.
  const built = processArticle(file, {
    locales: [to],
    formats: ['md'],
    lenient: true,
    ...(from ? {sourceLocale: from} : {}),
    ...(options.quotes ? {quotes: options.quotes} : {}),
    ...(options.glossary ? {glossary: options.glossary} : {}),
    corrections: options.corrections ?? true,
    keepSourceForms: options.keepSourceForms ?? false
  })
  return {value: built?.outputs[0]?.markdown, file}
}

function toFile(input: string | VFile): VFile {
  return typeof input === 'string' ? new VFile({value: input}) : input
}

function locales(options: ConvertOptions): {to: Locale; from: Locale | undefined} {
  const to = resolveLocale(options.to)
  if (!to) throw new Error(`unknown locale \`${options.to}\` in \`to\`; use zh-Hans, zh-Hant, zh-TW or zh-HK`)
  if (options.from === undefined || options.from === 'auto') return {to, from: undefined}
  const from = resolveLocale(options.from)
  if (!from) throw new Error(`unknown locale \`${options.from}\` in \`from\`; use zh-Hans, zh-Hant, zh-TW, zh-HK or auto`)
  return {to, from}
}
