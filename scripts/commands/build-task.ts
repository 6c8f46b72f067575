/**
 * One article of a build, from its bytes to its files in the staging folder:
 * the unit of work a build hands to a worker (or runs in-process with
 * `--jobs 1`). Takes and returns plain data, so it crosses threads; keeps
 * nothing of the article once its files are written.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import type {ArticleOptions, BuiltArticle} from '../article.ts'
import {articleKey, readCache, writeCache} from '../cache.ts'
import {decodeArticle, listArticles, maxArticleBytes, readSource} from '../ingest.ts'
import {siteLookupsHold, type AnchorLink, type SiteLookup} from '../links.ts'
import type {Locale} from '../locales.ts'
import type {IndexEntry} from '../site-index.ts'
import type {Format, OutputFile} from '../types.ts'
import type {PageScan} from '../site-links.ts'
import {stageFile, stageLinks, type ManifestEntry} from '../write.ts'
import type {RecordedText} from './build-records.ts'
import type {StampedArticle} from './build-stamp.ts'

export interface ArticleTask {
  /** Path of the article as diagnostics name it (relative to `cwd`). */
  name: string
  cwd: string
  /** Staging folder the outputs go into; `undefined` for a check, which writes nothing. */
  staging?: string
  options: ArticleOptions
  /** Incremental cache, or `undefined` to build without one. */
  cache?: {folder: string; project: string; tool: string}
  /** The article's cache key, when the build computed it (the main thread does, for every article). */
  key?: string
  /** The cache was already looked up and had nothing. */
  cacheChecked?: boolean
  /**
   * The article is unchanged since the build that published the output
   * folder, and its files there are as that build left them: link them from
   * there (`folder`) instead of restoring them from the cache.
   */
  reuse?: {
    folder: string
    /** The article's result as the last build recorded it. */
    article: StampedArticle
    entryBytes: number
    /** The output folder is updated in place: the files stay where they are, nothing is linked. */
    inPlace?: boolean
  }
  /** Dictionary store folder (see `useDictionaryStore`), or `undefined` to compile dictionaries in memory. */
  dictionaries?: string
}

/**
 * A task as it is posted to a worker: without its options when every task
 * shares them, since the pool gave them to each worker once (its
 * `workerData`, see `build-worker.mjs`).
 */
export type WorkerTask = Omit<ArticleTask, 'options'> & {options: ArticleOptions | undefined}

/** A message, as data (vfile messages do not cross threads). */
export interface StoredMessage {
  reason: string
  place?: VFileMessage['place']
  ruleId?: string
  source?: string
  fatal?: boolean | null
  expected?: Array<string>
  note?: string
  actual?: string
  url?: string
}

/** What a built article leaves for the site-level outputs. */
export interface ArticleSummary {
  slug: string
  /** Where front matter `slug` is written, for a duplicate-slug message. */
  slugPoint?: {line: number; column: number}
  /** One index entry per locale (none when neither `json` nor `html` is built). */
  index: Array<IndexEntry & {locale: Locale; sourceLocale: Locale}>
  /** Heading ids, for links from other articles. */
  ids: Array<string>
  /** Links into other articles' headings, checked once every article is built. */
  anchors: Array<AnchorLink>
  /** Source files the article shows or links to (copied beside the pages). */
  assets: Array<string>
  /** Each HTML page's links and ids, by output path, for the link check of the published pages. */
  pages?: Record<string, PageScan>
  /**
   * What the article asked of the rest of the site (page paths, files) and
   * the answers (see `siteAsker`): its cache key leaves the site's page map
   * out, so a cached article is taken only while these answers hold.
   */
  lookups?: Array<SiteLookup>
}

export interface ArticleResult {
  name: string
  messages: Array<StoredMessage>
  /** Present when the article built. */
  built?: ArticleSummary & {
    /** Outputs written into the staging folder. */
    outputs: Array<ManifestEntry>
  }
  /** Whether the outputs came from the cache. */
  cached: boolean
  /** The cache entry this article read or wrote, and its size: kept by the pruning. */
  cacheEntry?: {key: string; bytes: number}
  /**
   * The result as the last build's records hold it (an article taken from
   * the output folder): the build's records keep this text as it is, and
   * `messages` and `built.pages` are then left empty.
   */
  recorded?: RecordedText
}

/**
 * Load what building an article in this thread needs, ahead of the first
 * one (a watch session, while nothing changes): the article's modules, the
 * renderers of its formats, and the dictionaries and word lists of the
 * site's first article's locale, by building that article once and keeping
 * nothing of it.
 *
 * @param source The source folder.
 * @param cwd Folder paths are relative to.
 * @param options Locales and formats of the build.
 */
export async function warmUp(source: string, cwd: string, options: Pick<ArticleOptions, 'locales' | 'formats'>): Promise<void> {
  const [{loadRenderers, processArticle}] = await Promise.all([import('../article.ts'), import('../site-index.ts'), import('../render-json.ts'), import('../site-links.ts')])
  const renderers = await loadRenderers(options.formats)
  const [first] = await listArticles(source, cwd)
  if (first === undefined) return
  const bytes = await readSource(first, cwd)
  if (bytes instanceof VFile) return
  processArticle(decodeArticle(bytes, first, cwd, {maxBytes: maxArticleBytes}), {locales: options.locales, formats: options.formats}, renderers)
}

/**
 * Build one article into the staging folder, or copy it from the cache.
 *
 * @param task The article and where its outputs go.
 * @returns Its messages and what the site-level outputs need.
 */
export async function runArticleTask(task: ArticleTask): Promise<ArticleResult> {
  if (task.dictionaries) (await import('../convert/engine.ts')).useDictionaryStore(task.dictionaries)
  const bytes = await readSource(task.name, task.cwd)
  if (bytes instanceof VFile) return {name: task.name, messages: storeMessages(bytes), cached: false}
  const key = task.key ?? keyOf(task, bytes)
  return (task.cacheChecked ? undefined : await fromCache(task, key)) ?? buildAndStage(task, bytes, key)
}

/**
 * Take one article from the cache: copy its outputs into the staging folder.
 *
 * @param task The article.
 * @returns Its result, or `undefined` when the cache has no entry for it
 *   (the task is then marked as checked, for {@link runArticleTask}).
 */
export async function runFromCache(task: ArticleTask): Promise<ArticleResult | undefined> {
  if (!task.cache) return undefined
  if (task.reuse && task.key && task.staging !== undefined && task.reuse.article.result.built) {
    const {folder, article, entryBytes} = task.reuse
    const {name, built} = article.result
    const staging = task.staging
    if (!task.reuse.inPlace) await stageLinks(staging, built.outputs.map((output) => ({file: output.path, from: path.join(folder, output.path)})))
    return {name, messages: [], built, cached: true, cacheEntry: {key: task.key, bytes: entryBytes}, recorded: article.text}
  }

  let key = task.key
  if (key === undefined) {
    const bytes = await readSource(task.name, task.cwd)
    if (bytes instanceof VFile) return {name: task.name, messages: storeMessages(bytes), cached: false}
    key = keyOf(task, bytes)
  }

  const result = await fromCache(task, key)
  if (!result) task.cacheChecked = true
  return result
}

function keyOf(task: ArticleTask, bytes: Uint8Array): string | undefined {
  return task.cache
    ? articleKey({path: task.name, source: bytes, project: task.cache.project, tool: task.cache.tool, options: keyOptions(task.options)})
    : undefined
}

/**
 * The options as an article's cache key takes them: the site without its
 * page map, files and served files (every article has them all, and one
 * article added would change every key); what an article's outputs use
 * of them is checked on its {@link ArticleSummary.lookups} instead.
 *
 * @param options The article's options.
 * @returns The options to hash.
 */
export function keyOptions<Options extends {site?: ArticleOptions['site']}>(options: Options): Options {
  if (!options.site) return options
  const {pages: _pages, files: _files, served: _served, ...site} = options.site
  return {...options, site}
}

/**
 * Whether a built article's answers from the site (its
 * {@link ArticleSummary.lookups}) are those of the site it would be built in now.
 *
 * @param built The article's summary, as cached or recorded.
 * @param options The options it would be built with now.
 */
export function lookupsHold(built: Pick<ArticleSummary, 'lookups'> | undefined, options: Pick<ArticleOptions, 'site'> | undefined): boolean {
  if (!options?.site) return true
  return built?.lookups !== undefined && siteLookupsHold(built.lookups, options.site)
}

async function fromCache(task: ArticleTask, key: string | undefined): Promise<ArticleResult | undefined> {
  if (!task.cache || !key || task.staging === undefined) return undefined
  const staging = task.staging
  const hit = await readCache<Omit<ArticleResult, 'built' | 'cached'> & {built: ArticleSummary}>(task.cache.folder, key)
  if (!hit) return undefined
  // Built in a site that answered its questions otherwise (a linked article renamed, removed or added): build it again.
  if (!lookupsHold(hit.record.summary.built, task.options)) return undefined
  await Promise.all(hit.record.outputs.map((output, index) => stageFile(staging, {path: output.path, content: hit.contents[index]!})))
  const {summary} = hit.record
  return {
    name: summary.name,
    messages: summary.messages,
    built: {...summary.built, outputs: hit.record.outputs},
    cached: true,
    cacheEntry: {key, bytes: hit.bytes}
  }
}

async function buildAndStage(task: ArticleTask, bytes: Uint8Array, key: string | undefined): Promise<ArticleResult> {
  // The Markdown, HTML and conversion stacks load only once an article is built.
  const [{loadRenderers, processArticle}, {indexEntry}, json] = await Promise.all([import('../article.ts'), import('../site-index.ts'), import('../render-json.ts')])
  const file = decodeArticle(bytes, task.name, task.cwd, {maxBytes: maxArticleBytes})
  const built = processArticle(file, task.options, await loadRenderers(task.options.formats))
  const messages = storeMessages(file)
  if (!built) return {name: task.name, messages, cached: false}
  const summary: ArticleSummary = {
    slug: built.slug,
    ...(built.slugPoint ? {slugPoint: built.slugPoint} : {}),
    ids: built.ids,
    anchors: built.anchors,
    assets: built.assets,
    ...(built.lookups ? {lookups: built.lookups} : {}),
    index: built.outputs.flatMap(({locale, document}) =>
      document ? [{locale, sourceLocale: built.sourceLocale, ...indexEntry(document, {baseUrl: task.options.baseUrl})}] : []
    )
  }

  const staging = task.staging
  if (staging === undefined) return {name: task.name, messages, built: {...summary, outputs: []}, cached: false}

  const files = articleFiles(built, task.options, json)
  // Encoded once: the bytes staged are the bytes hashed and cached.
  const contents = files.map((output) => Buffer.from(output.content, 'utf8'))
  const outputs = await Promise.all(files.map((output, index) => stageFile(staging, {...output, content: contents[index]!})))
  const pages = files.filter((output) => output.format === 'html')
  if (pages.length > 0) {
    // Scanned from the page's tree where it was rendered; parsed only when that could not tell.
    const scans = new Map<string | undefined, PageScan | undefined>(built.outputs.map((output) => [output.locale, output.scan]))
    const {scanPage} = pages.every((output) => scans.get(output.locale)) ? {scanPage: undefined} : await import('../site-links.ts')
    summary.pages = Object.fromEntries(pages.map((output) => [output.path, scans.get(output.locale) ?? scanPage!(output.content)]))
  }

  // Articles with errors are never cached: they are built again, and their
  // messages reported again, until they are fixed.
  let cacheEntry: ArticleResult['cacheEntry']
  if (task.cache && key && !messages.some((message) => message.fatal)) {
    const written = await writeCache(task.cache.folder, key, {outputs, summary: {name: task.name, messages, built: summary}}, contents)
    if (written > 0) cacheEntry = {key, bytes: written}
  }

  return {name: task.name, messages, built: {...summary, outputs}, cached: false, ...(cacheEntry ? {cacheEntry} : {})}
}

/**
 * The files of one built article: its Markdown, JSON and HTML per locale,
 * and its i18next namespace per locale (`json/resources/<locale>/<slug>.json`).
 */
function articleFiles(article: BuiltArticle, options: ArticleOptions, {articleResource, formatJson, outputPaths}: typeof import('../render-json.ts')): Array<OutputFile> {
  const files: Array<OutputFile> = []
  for (const output of article.outputs) {
    const {locale, document} = output
    const base = {article: article.slug, locale}
    const paths = outputPaths(locale, article.slug)
    if (options.formats.includes('md')) files.push({...base, format: 'md', path: paths.markdown, content: output.markdown})
    if (document && options.formats.includes('json')) {
      files.push({...base, format: 'json', path: paths.json, content: formatJson(document)})
      files.push({...base, format: 'resources', path: paths.resource, content: formatJson(articleResource(document))})
    }

    if (output.html !== undefined) files.push({...base, format: 'html', path: paths.html, content: output.html})
  }

  return files
}

/**
 * A file's messages as data, to cross threads or be kept on disk.
 *
 * @param file The file.
 * @returns Its messages, restored by {@link restoreMessages}.
 */
export function storeMessages(file: VFile): Array<StoredMessage> {
  return file.messages.map((message) => {
    const stored: StoredMessage = {reason: message.reason}
    for (const field of ['place', 'ruleId', 'source', 'fatal', 'expected', 'note', 'actual', 'url'] as const) {
      if (message[field] !== undefined) (stored as unknown as Record<string, unknown>)[field] = message[field]
    }

    return stored
  })
}

/**
 * Put stored messages back on a file, as the stages reported them.
 *
 * @param file The article (path only: its text is not kept).
 * @param messages From {@link ArticleResult}.
 */
export function restoreMessages(file: VFile, messages: ReadonlyArray<StoredMessage>): void {
  // A VFileMessage is an Error whose `stack` it sets to '': the stack trace
  // V8 captures on construction is thrown away. A rebuild restores every
  // message of a site, so none is captured (3-4 times faster).
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    for (const stored of messages) {
      const message = new VFileMessage(stored.reason, {place: stored.place, ruleId: stored.ruleId, source: stored.source})
      message.file = file.path
      message.fatal = stored.fatal
      if (stored.expected) message.expected = stored.expected
      if (stored.note !== undefined) message.note = stored.note
      if (stored.actual !== undefined) message.actual = stored.actual
      if (stored.url !== undefined) message.url = stored.url
      file.messages.push(message)
    }
  } finally {
    Error.stackTraceLimit = limit
  }
}
