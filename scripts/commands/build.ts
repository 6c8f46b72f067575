/**
 * `build`: source/ → dist/. Wires the stages; holds no conversion logic.
 */
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import {VFile} from 'vfile'
import {articleKey, cacheEntrySize, cacheRoot, optionsDigest, projectFingerprint, pruneCache, toolFingerprint} from '../cache.ts'
import {report} from '../diagnostics.ts'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {readGlossaryFile, readSettings, readSource} from '../ingest.ts'
import {collectDiagnostics, eachReportEntry, exitCode} from '../report.ts'
import {locales as allLocales, type Locale} from '../locales.ts'
import {formats as allFormats, type Format, type Io} from '../types.ts'
import type {PageScan} from '../site-links.ts'
import {checkOutput, commitInPlace, commitStaging, discardStaging, fileNameKey, manifestTable, openStaging, startRemoval, type Manifest, type OpenOutput} from '../write.ts'
import {UsageError, type BuildOptions, type Shard} from './args.ts'
import {
  compareOutput,
  fileFigures,
  listOutput,
  readStamp,
  readStampedArticles,
  readStampMessages,
  removeStamp,
  sameFiles,
  siteKey,
  stampVersion,
  writeStamp,
  type BuildStamp,
  type OutputListing,
  type StampMessages,
  type StampToWrite
} from './build-stamp.ts'
import {openRecords, recordedPages, type KeptResult, type RecordedText, type ResultRecords} from './build-records.ts'
import {keyOptions, lookupsHold, restoreMessages, runArticleTask, runFromCache, storeMessages, type ArticleResult, type ArticleSummary, type ArticleTask, type WorkerTask} from './build-task.ts'
import {createProgress, type Progress} from './progress.ts'
import {keyContext, knownKey, openSourceMemo, saveSourceMemo, sourceDigests} from './source-memo.ts'
import type {ShardLinks} from './shard.ts'
import type {SitePageMemo} from './site.ts'
import {assetSource, checkPublishedLinks, checkSite, publishedAssets, scanSite, stageAssets} from './site-tree.ts'


/** Said once by a build of the HTML site without a base URL. */
export const noBaseUrlNote =
  'note: no base URL, so no canonical links, og:url, og:image or sitemap.xml (search engines and link previews need absolute URLs); ' +
  'set `baseUrl: https://example.org/docs/` in source/zhpress.yaml or pass --base-url'

/**
 * Read the project glossary, `glossary.yaml` in the source folder.
 *
 * @returns Its file (for diagnostics), and the glossary when it parsed.
 */
export async function loadGlossary(source: string, io: Pick<Io, 'cwd'>): Promise<{file?: VFile; glossary?: Glossary}> {
  const file = await readGlossaryFile(path.join(source, 'glossary.yaml'), io.cwd)
  if (!file) return {}
  if (file.messages.some((message) => message.fatal)) return {file}
  return {file, glossary: parseGlossary(file)}
}

/** Options of {@link buildSite}. Paths are relative to `cwd`. */
export interface BuildSiteOptions {
  /** Source folder (default: `source`). */
  source?: string
  /** Output folder, replaced as a whole when the build succeeds (default: `dist`). */
  out?: string
  /** Folder the paths are relative to, and that diagnostics name files from (default: the working folder). */
  cwd?: string
  /** Locales to publish (default: all four). */
  locales?: Array<Locale>
  /** Formats to write (default: `md`, `json`, `html`). */
  formats?: Array<Format>
  /** Worker threads (default: the available cores; 1 builds in this thread). */
  jobs?: number
  /** Build only share `index` of `count` of the articles, for {@link mergeShards}. */
  shard?: Shard
  /** Absolute URL where `html/` is published (default: the project settings' `baseUrl`). */
  baseUrl?: string
  /** Warnings fail the build too. */
  strict?: boolean
  /** Word-aware corrections (default: true; false gives exactly opencc-js). */
  corrections?: boolean
  /** Keep a Traditional source's non-standard forms. */
  keepSourceForms?: boolean
  /**
   * Cache root: unchanged articles from `<cacheDir>/articles`, compiled
   * dictionaries in `<cacheDir>/dictionaries`. Default: no cache, nothing
   * written outside `out`.
   */
  cacheDir?: string
  /** With a cache: keep the entries of the last N builds (default: 1, those this build used). */
  cacheKeep?: number
  /**
   * With a cache: when most articles are unchanged and the output folder is
   * as the last build left it, update it in place under a journal instead of
   * replacing it whole. Faster for one changed article of a large site, but a
   * build killed while it moves files in leaves a mix of old and new files
   * until the next build rolls the journal forward (default: false, the
   * folder is replaced at once; see DESIGN.md, Reliability).
   */
  inPlace?: boolean
  /**
   * Articles to build in this thread rather than on workers, when no more
   * are to be built (default 1). A watch session's rebuilds raise it: its
   * thread has the modules and dictionaries loaded, a worker would load
   * them again.
   */
  inThread?: number
  /** Called as articles finish: how many are done, of how many. */
  onProgress?: (done: number, total: number) => void
  /**
   * Take the diagnostics one file at a time instead of in the result's
   * `files`: called once for every file `files` would hold, in the same
   * order, as the build ends; `files` is then empty. A large site's
   * messages are then never all in memory at once (the command does this).
   */
  onFile?: (file: VFile) => void
}

/** What {@link buildSite} did. */
export interface BuildSiteResult {
  /** Whether the output folder was replaced by the new site. */
  ok: boolean
  /**
   * Every file with diagnostics (settings, glossary, articles), messages as
   * vfile messages; empty when they went to `onFile`.
   */
  files: Array<VFile>
  /** The published manifest (every output with its sha256), when `ok`. */
  manifest?: Manifest
  /** How many files the published output folder holds (the manifest's entries), when `ok`. */
  outputs?: number
  /** Why the build could not start (another build holds the output folder). */
  refused?: string
  /** Articles built, of `total` in the source folder. */
  articles: number
  total: number
  /** Articles taken from the cache. */
  cacheHits: number
  /** Size of the article cache after pruning, when there is one. */
  cacheBytes?: number
  /** The base URL the site was built with (option or project settings), if any. */
  baseUrl?: string
  /** Whether the links of the published pages were checked (HTML built, not a shard). */
  linksChecked?: boolean
  /**
   * Nothing changed since the build that published the output folder, and
   * the folder is as that build left it: it was kept, nothing was written.
   */
  unchanged?: boolean
}

/**
 * Build a site: every article through a worker pool (or in this thread
 * with `jobs: 1`), straight into a staging folder, taking unchanged articles
 * from the cache when there is one; then the site-level outputs and the
 * atomic swap into `out`. Prints nothing; a bad output folder throws.
 *
 * @param options Folders, locales, formats, cache.
 * @returns Whether it published, the messages, the manifest.
 */
export async function buildSite(options: BuildSiteOptions = {}): Promise<BuildSiteResult> {
  const cwd = path.resolve(options.cwd ?? '.')
  const source = options.source ?? 'source'
  const out = options.out ?? 'dist'
  const locales = options.locales ?? [...allLocales]
  const formats = options.formats ?? [...allFormats]
  const outDir = path.resolve(cwd, out)
  const sourceDir = path.resolve(cwd, source)
  const refusal = await checkOutput(outDir, {name: out, cwd, keep: [{folder: sourceDir, label: `--source \`${source}\``}]})
  if (refusal) throw new UsageError(refusal)

  // Lock and recover first, so that even a failing build puts back a dist/
  // that a build killed between its two renames left aside.
  const output = await openStaging(outDir)
  // The articles' results on disk (see build-records.ts), once the articles run.
  let opened: ResultRecords | undefined
  // The files for the result, or each to `onFile` (made one at a time, as they are taken).
  const deliver = (files: Iterable<VFile>): Array<VFile> => {
    if (!options.onFile) return [...files]
    for (const file of files) options.onFile(file)
    return []
  }

  const failed = async (files: Iterable<VFile>, total = 0): Promise<BuildSiteResult> => {
    // Before the records close: an article's messages are read back from them.
    const delivered = deliver(files)
    // First, so that the parents of the output folder this build created are empty again.
    await opened?.close()
    await discardStaging(output as OpenOutput)
    return {ok: false, files: delivered, articles: 0, total, cacheHits: 0}
  }

  if ('busy' in output) return {ok: false, files: [], refused: output.busy, articles: 0, total: 0, cacheHits: 0}
  const {staging} = output
  try {
    const {file: settingsFile, settings} = await readSettings(source, cwd)
    if (settingsFile?.messages.some((message) => message.fatal)) return await failed([settingsFile])
    const baseUrl = options.baseUrl ?? settings.baseUrl
    // The record of the last build into this folder (with a cache): its slugs spare reading front matter again.
    const cacheFolder = options.cacheDir ? path.resolve(cwd, options.cacheDir) : undefined
    const stamp = cacheFolder ? await readStamp(cacheFolder, outDir) : undefined
    // What the last build learnt of each article: an unchanged one (by its `stat`) is neither read nor hashed again.
    const memo = cacheFolder ? openSourceMemo(cacheFolder, sourceDir, cwd) : undefined
    const {names: all, site, notes, slugs} = await scanSite(source, cwd, settings, stamp?.slugs ?? {}, memo && sourceDigests(memo))
    const names = options.shard ? shardOf(all, options.shard) : all
    if (all.length === 0) return await failed([await noArticles({source}, {cwd})])
    const {file: glossaryFile, glossary} = await loadGlossary(source, {cwd})
    if (glossaryFile?.messages.some((message) => message.fatal)) return await failed([glossaryFile], all.length)

    const cache = options.cacheDir
      ? {folder: path.resolve(cwd, options.cacheDir), project: await projectFingerprint(sourceDir), tool: await toolFingerprint(undefined, path.resolve(cwd, options.cacheDir))}
      : undefined
    const dictionaries = options.cacheDir ? path.resolve(cwd, options.cacheDir, 'dictionaries') : undefined
    const common = {
      locales,
      formats,
      ...(baseUrl ? {baseUrl} : {}),
      ...(glossary ? {glossary} : {}),
      site,
      defaultLocale: settings.defaultLocale,
      corrections: options.corrections ?? true,
      keepSourceForms: options.keepSourceForms ?? false
    }

    // With a cache, every article's key first (its bytes hashed, nothing
    // parsed): when none changed and the output folder is as the last
    // build left it, there is nothing to publish.
    let keys: Array<string | undefined> = []
    let key: string | undefined
    if (cache) {
      // The site's name is converted for each locale: its key is the setting (the tool's code is in `cache.tool`).
      // The site's page map is left out of the articles' keys: an article added or renamed would change every
      // key. What each article's outputs use of it is recorded with the article and checked when it is reused.
      const keyed = keyOptions({...common, identity: settings.site ?? null})
      const digest = optionsDigest(keyed)
      const context = keyContext({project: cache.project, tool: cache.tool, options: keyed})
      keys = await articleKeys(
        names,
        cwd,
        (name, bytes) =>
          memo!.keys.set(name, articleKey({path: name, source: bytes, project: cache.project, tool: cache.tool, options: undefined, optionsDigest: digest})).get(name)!,
        (name) => knownKey(memo!, name, context)
      )
      saveSourceMemo(memo!, context)
      key = siteKey({
        tool: cache.tool,
        project: cache.project,
        names,
        keys,
        // The whole page map (digested once): the articles' keys leave it out.
        site: optionsDigest(site),
        settings,
        options: {cwd, source, out, shard: options.shard ?? null, baseUrl: baseUrl ?? null, strict: options.strict ?? false},
        notes: notes.map((note) => [note.path, storeMessages(note)])
      })
      if (stamp && stamp.site === key && !keys.includes(undefined)) {
        const unchanged = await upToDate(stamp, outDir, cache.folder)
        // Read only here: a build with anything to do makes them again.
        const messages = unchanged ? await readStampMessages(cache.folder, outDir, stamp.site) : undefined
        if (unchanged && messages) {
          const files = messages.map(({name, messages}) => {
            const file = new VFile({path: name, cwd})
            restoreMessages(file, messages)
            return file
          })
          files.unshift(...notes)
          if (glossaryFile) files.unshift(glossaryFile)
          if (settingsFile) files.unshift(settingsFile)
          if (exitCode(files, options.strict) === 0) {
            const pruned = options.shard ? undefined : await pruneCache(cache.folder, new Map(Object.entries(stamp.entries)), options.cacheKeep ?? 1)
            await discardStaging(output)
            return {
              ok: true,
              unchanged: true,
              files: deliver(files),
              manifest: unchanged,
              outputs: unchanged.outputs.length,
              articles: stamp.articles,
              total: all.length,
              cacheHits: names.length,
              linksChecked: stamp.linksChecked,
              ...(pruned ? {cacheBytes: pruned.bytes} : {}),
              ...(baseUrl ? {baseUrl} : {})
            }
          }
        }
      }
    }

    if (dictionaries) (await import('../convert/engine.ts')).useDictionaryStore(dictionaries)
    const {siteIdentity} = await import('../site-identity.ts')
    const identity = siteIdentity(settings.site, locales, {defaultLocale: settings.defaultLocale, ...(glossary ? {glossary} : {})})
    const articleOptions = {...common, ...(Object.keys(identity).length > 0 ? {identity} : {})}
    const tasks = names.map((name, index): ArticleTask => {
      const articleKey = keys[index]
      return {name, cwd, staging, options: articleOptions, cache, ...(articleKey ? {key: articleKey} : {}), ...(dictionaries ? {dictionaries} : {})}
    })
    // Each result goes to disk as it comes; the build holds only what the site-wide checks need.
    const records = await openRecords(`${staging}.records`, tasks.length)
    opened = records
    let current: Awaited<ReturnType<typeof markReusable>>
    let inPlace: OutputListing | undefined
    // The pool's threads stop while the site-wide work goes on.
    let poolClosed = Promise.resolve()
    // Loaded while the articles build, not after them.
    const siteFiles = options.shard ? undefined : import('./site.ts')
    siteFiles?.catch(() => {})
    // Started while the articles build: the old output folder is removed on it after the commit.
    startRemoval(output)
    // The published outputs (in a compact table) and each article's index entries. An article taken from the last
    // build's record adds them as it is kept (its record was parsed to find it reusable); the others' are read back
    // from the records once every article is done.
    let entries = manifestTable()
    let indexOf: Array<ArticleSummary['index']> = []
    const fromRecord = new Set<number>()
    try {
      let done = 0
      const results = await runTasks(
        tasks,
        options.jobs ?? availableParallelism(),
        () => options.onProgress?.(++done, tasks.length),
        (result, index) => {
          // A reused article's summary was read from the last build's record: not held twice.
          delete tasks[index]!.reuse
          if (result.recorded && result.built) {
            for (const entry of result.built.outputs) entries.add(entry)
            indexOf[index] = result.built.index
            fromRecord.add(index)
          }

          return records.keep(result, index)
        },
        async () => {
          // Unchanged articles whose files in the output folder are as the last build left them are linked from there,
          // or, with `inPlace`, when most articles are and the whole folder is as recorded, left where they are: the
          // folder is then updated in place (see commitInPlace), only the changed files written. Run while the
          // articles with no cache entry (never reused) already build on the pool.
          current = cache && stamp ? await markReusable(tasks, stamp, outDir, cache.folder) : undefined
          inPlace = options.inPlace && current?.whole && tasks.filter((task) => task.reuse).length * 2 > tasks.length ? current.listing : undefined
          if (inPlace) for (const task of tasks) if (task.reuse) task.reuse.inPlace = true
        },
        (closed) => {
          poolClosed = closed
        },
        options.inThread
      )
      await records.flush()
      // The files before the articles: settings, glossary, notes about the tree.
      const lead = [...(settingsFile ? [settingsFile] : []), ...(glossaryFile ? [glossaryFile] : []), ...notes]
      // Each article's file holds only what the site-wide checks report on it; its own messages stay in the records.
      const files = results.map((result) => new VFile({path: result.name, cwd}))
      const articleFile = (index: number) => wholeFile(records, index, files[index]!, cwd)
      const everyFile = function* () {
        yield* lead
        for (const index of results.keys()) yield articleFile(index)
      }
      const broken = checkSite(
        results.map((result, index) => ({file: files[index]!, built: result.built})),
        site,
        formats
      )
      for (const [index, bad] of broken.entries()) if (bad) delete results[index]!.built
      const cacheHits = results.filter((result) => result.cached).length
      const strict = options.strict ?? false
      if (exitCode([...lead, ...files], strict) !== 0 || results.some((result) => result.errors > 0 || (strict && result.warnings > 0))) {
        return {...(await failed(everyFile(), all.length)), cacheHits}
      }

      // Outputs and index entries of the other articles back from the records; the messages and the pages' scans stay
      // there. (An article taken from the record that the site-wide checks then refused: all are read back.)
      if ([...fromRecord].some((index) => !results[index]!.built)) {
        entries = manifestTable()
        indexOf = []
        fromRecord.clear()
      }

      for await (const [index, result] of records.each((index) => fromRecord.has(index))) {
        if (!results[index]!.built || !result.built) continue
        for (const entry of result.built.outputs) entries.add(entry)
        indexOf[index] = result.built.index
      }

      const published = results.flatMap((result, index) => (result.built ? [index] : []))
      const built = published.map((index) => results[index]!.built!)
      const assets = publishedAssets(
        built.flatMap((article) => article.assets),
        built.map((article) => article.slug)
      )
      let linksChecked = false
      // The check's digest of the files its links could name, and how many it found broken by zhpress (for the record).
      let linkFiles: string | undefined
      let linksBroken = 0
      if (formats.includes('html')) {
        for (const entry of await stageAssets(staging, sourceDir, assets, locales, site)) entries.add(entry)
        // A shard's pages link to pages of other shards: merge checks the whole site.
        if (!options.shard) {
          const owners = new Map<string, VFile>()
          const sourceBroken = new Map<VFile, ReadonlyArray<string>>()
          for (const [position, result] of results.entries()) {
            if (result.built) owners.set(result.built.slug, files[position]!)
            if (result.sourceBroken) sourceBroken.set(files[position]!, result.sourceBroken)
          }

          const sitePages = ['index.html', ...locales.flatMap((locale) => [`${locale}/index.html`, `${locale}/${site.listPage}.html`])]
          // An article's page is `<locale>/<slug>.html`: the records' positions holding some of `pages`, or all.
          const positions = new Map(results.flatMap((result, index) => (result.built ? [[result.built.slug, index] as const] : [])))
          const holding = (pages: ReadonlySet<string>): Set<number> | undefined => {
            const held = new Set<number>()
            for (const page of pages) {
              const position = positions.get(page.slice(page.indexOf('/') + 1, -'.html'.length))
              if (position === undefined || !page.endsWith('.html')) return undefined
              held.add(position)
            }

            return held
          }

          const scans = async (visit: (file: string, scan: PageScan) => void, pages?: ReadonlySet<string>) => {
            const held = pages && holding(pages)
            for await (const [index, found] of records.eachPages(held && ((index) => !held.has(index)))) {
              if (!results[index]!.built || !found) continue
              for (const file in found) visit(file, found[file]!)
            }
          }

          const settled = await settledPages(results, files, fromRecord, records, current?.previous, stamp?.linkCheck)
          linksBroken = await checkPublishedLinks(staging, entries, owners, sitePages, scans, (file) => sourceBroken.get(file) ?? [], inPlace ? outDir : undefined, {
            last: stamp?.linkCheck,
            settled,
            checked: (digest) => (linkFiles = digest)
          })
          linksChecked = true
        }
      }

      // Made as report.json is written (a shard keeps them in shard.json), each article's messages read back from the records.
      const report = (function* () {
        yield* eachReportEntry(lead)
        for (const index of results.keys()) yield* eachReportEntry([articleFile(index)])
      })()

      let index = published.flatMap((position) => indexOf[position]!)
      let sitePages: SitePageMemo | undefined
      indexOf.length = 0
      if (options.shard) {
        const articles = results.flatMap((result) => (result.built ? [{name: result.name, slug: result.built.slug}] : []))
        const here = new Set(articles.map((article) => article.slug))
        const links: ShardLinks = {ids: {}, anchors: []}
        for (const result of results) {
          if (!result.built) continue
          links.ids[result.built.slug] = [...result.built.ids]
          for (const anchor of result.built.anchors) if (!here.has(anchor.page)) links.anchors.push({...anchor, file: result.name})
        }

        const {sourceFingerprint, stageShard} = await import('./shard.ts')
        const source = await sourceFingerprint(sourceDir, all, cwd)
        for (const entry of await stageShard(staging, {shard: options.shard, source, articles, locales, formats, baseUrl, index, report, listPage: site.listPage, identity, links})) entries.add(entry)
      } else {
        const {stageSiteFiles} = await siteFiles!
        // The site pages whose inputs did not change are linked from the output folder (or, in place, left there).
        sitePages = cache
          ? {previous: current ? (stamp?.sitePages ?? {}) : {}, folder: outDir, same: current?.same ?? new Set(), inPlace: inPlace !== undefined, salt: cache.tool, next: {}}
          : undefined
        for (const entry of await stageSiteFiles(staging, {locales, formats, baseUrl, index, report, listPage: site.listPage, identity}, sitePages)) entries.add(entry)
      }

      // Not held through the publishing and the build record.
      index = []

      if (cache) await removeStamp(cache.folder, outDir)
      let listing: OutputListing | undefined
      let manifest: Manifest
      // The old output folder removed and the lock released (swapped: while the build record is written), and each
      // part of its top level as it is gone.
      let settled = Promise.resolve()
      let removed: ((name: string) => Promise<void>) | undefined
      if (inPlace) {
        const committed = await commitInPlace(output, entries, {files: Object.keys(inPlace.files), folders: inPlace.folders})
        manifest = committed.manifest
        listing = updatedListing(outDir, inPlace, (function* () {
          for (const entry of entries.sorted()) yield entry.path
        })(), committed)
      } else {
        ;({manifest, settled, removed} = await commitStaging(output, entries))
      }

      // A shard builds a share of the articles: the others' entries stay.
      const pruned = cache && !options.shard ? await pruneCache(cache.folder, usedEntries(results), options.cacheKeep ?? 1) : undefined
      // Written while the messages are delivered (the record's listing waits for the old folder's removal).
      let stamped = Promise.resolve()
      if (cache && key) {
        stamped = stampBuild(cache.folder, outDir, {
          site: key,
          results,
          records,
          messages: (function* () {
            // An article the site-wide checks added nothing to: its messages as the records hold them, not parsed and made again.
            for (const [index, result] of results.entries()) {
              yield files[index]!.messages.length === 0 ? {name: result.name, text: records.messagesText(index)} : {name: result.name, messages: storeMessages(articleFile(index))}
            }
          })(),
          slugs,
          assets: formats.includes('html') ? assets.map((asset) => assetSource(sourceDir, asset, site)) : [],
          articles: built.length,
          linksChecked,
          ...(linkFiles === undefined ? {} : {linkCheck: {files: linkFiles, broken: linksBroken}}),
          // Each part listed once the old folder's part of that name is gone: removing a file's other link changes its `ctime`.
          listing: async () => listing ?? (await listOutput(outDir, removed)),
          ...(sitePages ? {sitePages: sitePages.next} : {})
        })
        // Awaited below; never an unhandled rejection while the messages are delivered.
        stamped.catch(() => {})
      }
      // Every file with its messages, as the API returns them (or one at a time to `onFile`).
      const every = deliver(everyFile())
      await stamped
      await settled
      return {ok: true, files: every, manifest, outputs: entries.size, articles: built.length, total: all.length, cacheHits, linksChecked, ...(pruned ? {cacheBytes: pruned.bytes} : {}), ...(baseUrl ? {baseUrl} : {})}
    } finally {
      try {
        await poolClosed
      } finally {
        await records.close()
      }
    }
  } catch (error) {
    await discardStaging(output)
    throw error
  }
}

/**
 * The `build` command: {@link buildSite}, its messages and summary line on
 * stderr, a progress bar on a terminal.
 *
 * @param options Parsed `build` options.
 * @param io Where to print.
 * @returns Exit code.
 */
export async function build(options: BuildOptions, io: Io): Promise<number> {
  if (options.watch) return (await import('./watch.ts')).watchBuild(options, io, buildOnce)
  return buildOnce(options, io)
}

/** One build of the `build` command (see {@link build}); `inThread` as {@link BuildSiteOptions.inThread}. */
async function buildOnce(options: BuildOptions, io: Io, extra: {inThread?: number} = {}): Promise<number> {
  const started = performance.now()
  let progress: Progress | undefined
  let result: BuildSiteResult
  // The messages as they will be printed, taken one file at a time: a large site's are never all held.
  const diagnostics = collectDiagnostics({verbose: options.verbose})
  try {
    result = await buildSite({
      ...options,
      cwd: io.cwd,
      baseUrl: options.baseUrl,
      jobs: workerCount(options.jobs, io),
      cacheDir: options.cache ? cacheRoot(io.cwd, io.env) : undefined,
      ...(extra.inThread ? {inThread: extra.inThread} : {}),
      onProgress: (done, total) => (progress ??= createProgress(io, total)).tick(),
      onFile: (file) => diagnostics.add(file)
    })
  } finally {
    progress?.stop()
  }

  if (result.refused) {
    io.stderr(`zhpress build: ${result.refused}\n`)
    return 1
  }

  for (const line of diagnostics.lines({linksChecked: result.linksChecked ?? false})) io.stderr(line + '\n')
  if (!result.ok) {
    io.stderr(`build failed: ${options.out}/ was left as it was\n`)
    return diagnostics.exitCode(options.strict)
  }

  if (!result.baseUrl && options.formats.includes('html') && !options.shard) io.stderr(noBaseUrlNote + '\n')
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  const {articles, total, cacheHits} = result
  io.stderr(
    `built ${articles} article${articles === 1 ? '' : 's'} × ${options.locales.length} locales` +
      `${options.shard ? ` (shard ${options.shard.index}/${options.shard.count} of ${total})` : ''}: ` +
      `${result.outputs!} files in ${options.out}/ (${seconds}s, ${cacheHits} cache hit${cacheHits === 1 ? '' : 's'}` +
      `${result.cacheBytes !== undefined ? `, cache ${megabytes(result.cacheBytes)}` : ''})\n`
  )
  if (result.unchanged) io.stderr(`nothing changed: ${options.out}/ is as the last build left it, so it was kept as it is (nothing written)\n`)
  return 0
}

/** The articles of shard `index` of `count`: every `count`th, by sorted path. */
export function shardOf<T>(names: ReadonlyArray<T>, shard: Shard): Array<T> {
  return names.filter((_, position) => position % shard.count === shard.index - 1)
}

/** Articles a thread has in hand at once: one building, one being written. */
const articlesInFlight = 2

/**
 * Young generation of each worker's heap, in MB (V8 gives a third of it to
 * each semi-space: 32 MB, twice Node's default). An article's build makes
 * trees, pieces and strings that live for the length of the article: in a
 * young generation of the default size most of them outlive two
 * scavenges, are copied into the old generation and collected there. With
 * twice the room they die young: a fifth to a quarter less CPU per article,
 * for about 60 MB more per worker.
 */
const workerYoungGenerationMb = 96

/**
 * How far V8 lets an old generation grow past what survived its last full
 * collection while a worker pool runs, in percent (V8's
 * `--heap-growing-percent`: the next full collection starts at
 * 1 + percent/100 times the survivors). Left to itself V8 picks up to 4×
 * on a machine with this much memory: each worker's heap saw-tooths
 * between about 60 and 240 MB used, 300 MB committed, for 40–50 MB that
 * stays alive, and the pages it touched stay resident. At 2.5× the
 * 10,000-article build peaks about 190 MB lower (two workers) for about
 * 6 % more CPU (more full collections; the scavenges of the young
 * generation, most of the collector's time, are left alone); 2× saves
 * about 300 MB but costs 13 %. Unlike a cap on the heap
 * (`resourceLimits.maxOldGenerationSizeMb`), it never fails an article
 * that needs more memory: the heap still grows to hold what is alive.
 * V8's flags are the process's: it is set while any pool is open and
 * reset when the last one closes, unless Node was started with the flag.
 */
export const workerHeapGrowingPercent = 150

let poolsOpen = 0

/** Set V8's heap growth for a pool that opens (and for this thread, while it is open). */
export function growHeapsSlowly(): () => void {
  if (process.execArgv.some((argument) => /^--heap[-_]growing[-_]percent\b/.test(argument))) return () => {}
  if (poolsOpen++ === 0) v8.setFlagsFromString(`--heap-growing-percent=${workerHeapGrowingPercent}`)
  let closed = false
  return () => {
    if (closed) return
    closed = true
    // 0 is V8's default: the factor it picks itself.
    if (--poolsOpen === 0) v8.setFlagsFromString('--heap-growing-percent=0')
  }
}

/**
 * Run article tasks on a pool of `jobs` worker threads, or in this thread
 * for one job. Articles with no cache entry start on the pool at once (its
 * start-up hidden behind taking the others from the cache); when only
 * cache reads fail, one article to build is built in this thread (no
 * worker start-up to pay). Results keep the tasks' order. `build` and
 * `check` both run on it.
 *
 * @param tasks One per article.
 * @param jobs Worker threads.
 * @param done Called once per finished article.
 * @param keep What to keep of each result as it comes (default: all of it).
 * @param prepare Run once the articles with no cache entry have started on the pool and before the others are
 *   taken: it may mark tasks reusable (`task.reuse`), never one without a cache entry.
 * @param closing When given, the pool's threads are stopped while the caller goes on, this told the promise
 *   (the caller awaits it before it returns); otherwise before this returns.
 * @param inThread Build up to this many articles in this thread, starting no worker.
 * @returns One result per task, in order.
 */
export async function runTasks<Kept = ArticleResult>(
  tasks: ReadonlyArray<ArticleTask>,
  jobs: number,
  done: () => void,
  keep: (result: ArticleResult, index: number) => Kept | Promise<Kept> = (result) => result as Kept,
  prepare?: () => Promise<void>,
  closing?: (closed: Promise<void>) => void,
  inThread = 1
): Promise<Array<Kept>> {
  const results: Array<Kept | undefined> = Array.from({length: tasks.length})
  // With workers, the articles certain to be built (no cache entry for their key) start on the pool at
  // once, while this thread takes the others from the cache: a one-article rebuild of a large site
  // builds its article while the unchanged ones are linked, instead of after them.
  const uncached = jobs > 1 ? tasks.flatMap((task, index) => (!task.reuse && task.cache && task.key && task.staging !== undefined && cacheEntrySize(task.cache.folder, task.key) === undefined ? [index] : [])) : []
  // Few enough for this thread (when it has what they need loaded): no pool.
  const certain = inThread > 1 && uncached.length <= inThread ? [] : uncached
  const taken = new Set(certain)
  let pool: Awaited<ReturnType<typeof openPool>> | undefined
  try {
    let building: Promise<void> = Promise.resolve()
    if (certain.length > 0) {
      pool = await openPool(tasks, Math.min(jobs, certain.length))
      building = runOnPool(pool, tasks, await bySize(tasks, certain), results, done, keep)
      // Awaited below; a failure here must not go unhandled while the cache is read.
      building.catch(() => {})
    }

    await prepare?.()

    // Cache hits only copy files: take them here, many at once (it is all
    // waiting on the disk), and start workers only for articles to build.
    let next = 0
    const take = async () => {
      while (next < tasks.length) {
        const index = next++
        if (taken.has(index)) continue
        const result = await runFromCache(tasks[index]!)
        if (!result) continue
        results[index] = await keep(result, index)
        done()
      }
    }

    await Promise.all(Array.from({length: 16}, take))
    const misses = tasks.flatMap((_, index) => (results[index] || taken.has(index) ? [] : [index]))
    // Largest first, so that no worker is left with a big article at the end while the others wait.
    const ordered = await bySize(tasks, misses)
    if (pool) {
      await building
      await runOnPool(pool, tasks, ordered, results, done, keep)
    } else if (jobs <= 1 || misses.length <= Math.max(1, inThread)) {
      // Two articles at a time: building is synchronous, so one article's
      // files are written (and its cache entry compressed) while the next one
      // builds, instead of the thread waiting on the disk.
      let position = 0
      const lane = async () => {
        while (position < ordered.length) {
          const index = ordered[position++]!
          results[index] = await keep(await runArticleTask(tasks[index]!), index)
          done()
        }
      }

      await Promise.all(Array.from({length: Math.min(articlesInFlight, ordered.length)}, lane))
    } else {
      pool = await openPool(tasks, Math.min(jobs, misses.length))
      await runOnPool(pool, tasks, ordered, results, done, keep)
    }
  } finally {
    const opened = pool
    const closed = (async () => {
      try {
        await opened?.pool.destroy()
      } finally {
        opened?.release()
      }
    })()
    if (closing) {
      // Never an unhandled rejection while the caller goes on.
      closed.catch(() => {})
      closing(closed)
    } else {
      await closed
    }
  }

  return results as Array<Kept>
}

/** Positions of tasks, their articles largest first. */
async function bySize(tasks: ReadonlyArray<ArticleTask>, positions: ReadonlyArray<number>): Promise<Array<number>> {
  const sizes = await Promise.all(positions.map((index) => articleSize(tasks[index]!)))
  return positions.map((index, position) => ({index, size: sizes[position]!})).sort((a, b) => b.size - a.size).map(({index}) => index)
}

/**
 * A pool of worker threads for article tasks. Options every task shares
 * (they hold the site's page map) go to each worker once, not with every article.
 */
async function openPool(tasks: ReadonlyArray<ArticleTask>, threads: number) {
  const shared = tasks[0]!.options
  const same = tasks.every((task) => task.options === shared)
  const {default: Tinypool} = await import('tinypool')
  // Before the workers start: each isolate's first limits are computed with it.
  const release = growHeapsSlowly()
  try {
    const pool = new Tinypool({
      filename: new URL('build-worker.mjs', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      // Likewise in each worker: the next article builds while the last one's files are written.
      concurrentTasksPerWorker: articlesInFlight,
      resourceLimits: {maxYoungGenerationSizeMb: workerYoungGenerationMb},
      ...(same ? {workerData: {options: shared}} : {})
    })
    return {pool, threads, same, release}
  } catch (error) {
    release()
    throw error
  }
}

/** Run tasks on a pool, in the order given, keeping each result as it comes. */
async function runOnPool<Kept>(
  {pool, threads, same}: Awaited<ReturnType<typeof openPool>>,
  tasks: ReadonlyArray<ArticleTask>,
  ordered: ReadonlyArray<number>,
  results: Array<Kept | undefined>,
  done: () => void,
  keep: (result: ArticleResult, index: number) => Kept | Promise<Kept>
): Promise<void> {
  // A few articles queued per thread, not every one at once: a queued task holds memory of the main thread until it runs.
  let position = 0
  const lane = async () => {
    while (position < ordered.length) {
      const index = ordered[position++]!
      const task = tasks[index]!
      const sent: WorkerTask = same ? {...task, options: undefined} : task
      results[index] = await keep((await pool.run(sent)) as ArticleResult, index)
      done()
    }
  }

  await Promise.all(Array.from({length: Math.min(ordered.length, threads * articlesInFlight * 2)}, lane))
}

/**
 * Mark every article whose slug an earlier one already has: the build
 * cannot publish both. Case- and normalization-insensitive: on Windows and
 * macOS `A.html` and `a.html` are one file, and one would overwrite the other.
 */
export function markDuplicateSlugs(
  articles: ReadonlyArray<{file: VFile; slug: string | undefined; slugPoint?: {line: number; column: number} | undefined}>
): Array<boolean> {
  const slugs = new Map<string, {path: string; slug: string}>()
  return articles.map(({file, slug, slugPoint}) => {
    if (slug === undefined) return false
    const key = fileNameKey(slug)
    const other = slugs.get(key)
    if (!other) {
      slugs.set(key, {path: file.path, slug})
      return false
    }

    report(file, 'duplicate-slug', {slug, other: other.path, otherSlug: other.slug}, {place: slugPoint ?? {line: 1, column: 1}})
    return true
  })
}

export async function noArticles(options: Pick<BuildOptions, 'source'>, io: Pick<Io, 'cwd'>): Promise<VFile> {
  const file = new VFile({path: options.source, cwd: io.cwd})
  report(file, 'no-articles', {})
  return file
}

/**
 * Worker threads for `--jobs`: by default the cores available; more than
 * that only slows a build down (each worker holds its own dictionaries),
 * so a larger number is capped, with a warning.
 *
 * @param jobs `--jobs`, if given.
 * @param io Where to warn.
 * @returns Threads to start.
 */
export function workerCount(jobs: number | undefined, io: Pick<Io, 'stderr'>): number {
  const cores = availableParallelism()
  if (jobs === undefined) return cores
  if (jobs > cores) {
    io.stderr(`zhpress: --jobs ${jobs} is more than the ${cores} core${cores === 1 ? '' : 's'} available; using ${cores}\n`)
    return cores
  }

  return jobs
}

async function articleSize(task: ArticleTask): Promise<number> {
  try {
    return (await fs.stat(path.resolve(task.cwd, task.name))).size
  } catch {
    return 0
  }
}

/**
 * An article's file with every message: those it was built with, read back
 * from the records, then those the site-wide checks added to `site`.
 *
 * @param records The build's records (flushed).
 * @param index The article's position.
 * @param site The article's file of the site-wide checks.
 * @param cwd Working folder.
 * @returns A new file.
 */
function wholeFile(records: ResultRecords, index: number, site: VFile, cwd: string): VFile {
  const file = new VFile({path: site.path, cwd})
  restoreMessages(file, records.messagesOf(index))
  file.messages.push(...site.messages)
  return file
}

/** Key → bytes of the cache entries a build read or wrote. */
function usedEntries(results: ReadonlyArray<Pick<ArticleResult, 'cacheEntry'>>): Map<string, number> {
  const used = new Map<string, number>()
  for (const result of results) if (result.cacheEntry) used.set(result.cacheEntry.key, result.cacheEntry.bytes)
  return used
}

function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`
}

/**
 * Every article's cache key: known (the source memo), else from its bytes (read 16 at a time).
 *
 * @returns One key per name; `undefined` where the article cannot be read (its task reports why).
 */
async function articleKeys(
  names: ReadonlyArray<string>,
  cwd: string,
  key: (name: string, bytes: Uint8Array) => string,
  known: (name: string) => string | undefined
): Promise<Array<string | undefined>> {
  const keys: Array<string | undefined> = Array.from({length: names.length})
  let next = 0
  const take = async () => {
    while (next < names.length) {
      const index = next++
      keys[index] = known(names[index]!)
      if (keys[index] !== undefined) continue
      const bytes = await readSource(names[index]!, cwd)
      keys[index] = bytes instanceof VFile ? undefined : key(names[index]!, bytes)
    }
  }

  await Promise.all(Array.from({length: 16}, take))
  return keys
}

/**
 * Whether the output folder is exactly as the stamped build left it, the
 * assets it copied unchanged and the cache entries it used still there.
 *
 * @returns The published manifest when so, else `undefined`.
 */
async function upToDate(stamp: BuildStamp, outDir: string, cacheFolder: string): Promise<Manifest | undefined> {
  const listing = await listOutput(outDir)
  if (!listing || !compareOutput(stamp.output, listing).whole) return undefined
  if (!(await sameFiles(stamp.assets))) return undefined
  for (const key in stamp.entries) if (cacheEntrySize(cacheFolder, key) !== stamp.entries[key]) return undefined
  try {
    return JSON.parse(await fs.readFile(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

/**
 * Mark the tasks whose article the stamped build published with the same
 * key, whose files in the output folder are as it left them and whose cache
 * entry is still there: they are linked from the output folder (see
 * {@link ArticleTask.reuse}), neither read from the cache nor built.
 *
 * @returns The output folder's listing and its files as the stamp recorded them; `whole` when every file in it is (it may be updated in place).
 */
async function markReusable(
  tasks: ReadonlyArray<ArticleTask>,
  stamp: BuildStamp,
  outDir: string,
  cacheFolder: string
): Promise<{listing: OutputListing; same: Set<string>; whole: boolean; previous: Map<string, RecordedText>} | undefined> {
  const listing = await listOutput(outDir)
  if (!listing) return undefined
  const {same, whole} = compareOutput(stamp.output, listing)
  const articles = await readStampedArticles(cacheFolder, outDir, stamp.site)
  for (const task of tasks) {
    const article = task.key ? articles.get(task.key) : undefined
    const result = article?.result
    if (!task.key || !result?.built || result.name !== task.name || !result.built.outputs.every((output) => same.has(output.path))) continue
    // Built in a site that answered its links otherwise: it is built again.
    if (!lookupsHold(result.built, task.options)) continue
    const bytes = stamp.entries[task.key]
    if (bytes === undefined || cacheEntrySize(cacheFolder, task.key) !== bytes) continue
    task.reuse = {folder: outDir, article: article!, entryBytes: bytes}
  }

  // The last build's record of each article not taken from it (by name): what its pages were.
  const previous = new Map<string, RecordedText>()
  const wanted = new Set(tasks.flatMap((task) => (task.reuse ? [] : [task.name])))
  for (const article of articles.values()) if (wanted.has(article.result.name)) previous.set(article.result.name, article.text)
  return {listing, same, whole, previous}
}

/**
 * The articles whose pages' links need no look in this build's link check
 * (see `LinkCheckSince`): those taken from the last build's record, when
 * the last check found no link broken by zhpress and every other article
 * has the pages, with the same ids, that it had in the last build.
 *
 * @returns Their files, or `undefined` when every page is to be checked.
 */
async function settledPages(
  results: ReadonlyArray<KeptResult>,
  files: ReadonlyArray<VFile>,
  fromRecord: ReadonlySet<number>,
  records: ResultRecords,
  previous: ReadonlyMap<string, RecordedText> | undefined,
  last: BuildStamp['linkCheck']
): Promise<Set<VFile> | undefined> {
  if (!previous || last?.broken !== 0 || fromRecord.size === 0) return undefined
  for await (const [index, pages] of records.eachPages((index) => fromRecord.has(index) || !results[index]!.built)) {
    const before = previous.get(results[index]!.name)
    if (!before || !sameIds(recordedPages(before), pages)) return undefined
  }

  return new Set([...fromRecord].map((index) => files[index]!))
}

/** Whether two articles' pages are the same pages with the same ids. */
function sameIds(before: Record<string, PageScan> | undefined, now: Record<string, PageScan> | undefined): boolean {
  const names = Object.keys(before ?? {})
  if (names.length !== Object.keys(now ?? {}).length) return false
  return names.every((name) => {
    const ids = now && Object.hasOwn(now, name) ? now[name]!.ids : undefined
    return ids !== undefined && ids.length === before![name]!.ids.length && ids.every((id, position) => id === before![name]!.ids[position])
  })
}

/**
 * The output folder's listing after an in-place update: the files kept as
 * they were listed before, each file moved in listed again, the folders
 * those of the manifest's files (a build leaves no empty folder).
 *
 * @returns The listing, or `undefined` when a moved file cannot be listed (the folder is then listed whole).
 */
function updatedListing(outDir: string, before: OutputListing, paths: Iterable<string>, committed: {moved: ReadonlyArray<string>; folders: Array<string>}): OutputListing | undefined {
  const files: OutputListing['files'] = {}
  const moved = new Set(committed.moved)
  for (const name of [...paths, 'manifest.json', ...committed.moved]) {
    if (Object.hasOwn(files, name)) continue
    const figures = moved.has(name) ? undefined : before.files[name]
    if (figures) {
      files[name] = figures
      continue
    }

    try {
      const stats = fsSync.lstatSync(path.join(outDir, name))
      if (!stats.isFile()) return undefined
      files[name] = [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino]
    } catch {
      return undefined
    }
  }

  return {files, folders: committed.folders}
}

/** Record what a published build left (see `build-stamp.ts`), for the next build. */
async function stampBuild(
  cacheFolder: string,
  outDir: string,
  build: {
    site: string
    results: ReadonlyArray<KeptResult>
    /** The whole results, kept for the next build. */
    records: ResultRecords
    messages: Iterable<StampMessages[number] | {name: string; text: string}>
    slugs: BuildStamp['slugs']
    assets: ReadonlyArray<string>
    articles: number
    linksChecked: boolean
    linkCheck?: BuildStamp['linkCheck']
    /** The output folder's listing, asked for once everything else of the record is written. */
    listing: () => Promise<OutputListing | undefined>
    sitePages?: BuildStamp['sitePages']
  }
): Promise<void> {
  const assets: BuildStamp['assets'] = {}
  for (const file of new Set(build.assets)) {
    const figures = await fileFigures(file)
    if (!figures) return
    assets[file] = figures
  }

  const {results, records} = build
  // The records kept as they are (nothing parsed or written again), with the cache key of each article to take again.
  const articles = {save: (target: string) => records.saveAs(target), keys: results.map((kept) => (kept.cacheEntry && kept.built ? kept.cacheEntry.key : null))}
  const stamp: StampToWrite = {
    version: stampVersion,
    site: build.site,
    output: build.listing,
    assets,
    entries: Object.fromEntries(usedEntries(build.results)),
    messages: build.messages,
    slugs: build.slugs,
    articles: build.articles,
    linksChecked: build.linksChecked,
    ...(build.linkCheck ? {linkCheck: build.linkCheck} : {}),
    ...(build.sitePages ? {sitePages: build.sitePages} : {})
  }
  await writeStamp(cacheFolder, outDir, stamp, articles)
}
