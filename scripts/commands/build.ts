/**
 * `build`: source/ → dist/. Wires the stages; holds no conversion logic.
 */
import fs from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import Tinypool from 'tinypool'
import {VFile} from 'vfile'
import {projectFingerprint, pruneCache, toolFingerprint} from '../cache.ts'
import {report} from '../diagnostics.ts'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {readGlossaryFile, readSettings} from '../ingest.ts'
import {exitCode, formatDiagnostics, reportEntries} from '../report.ts'
import type {Io} from '../types.ts'
import {checkOutput, commitStaging, discardStaging, fileNameKey, openStaging, type OpenOutput} from '../write.ts'
import {UsageError, type BuildOptions, type Shard} from './args.ts'
import {partsFolder, restoreMessages, runArticleTask, runFromCache, type ArticleResult, type ArticleTask} from './build-task.ts'
import {createProgress} from './progress.ts'
import {sourceFingerprint, stageShard} from './shard.ts'
import {stageSiteFiles} from './site.ts'
import {checkSite, scanSite, stageAssets} from './site-tree.ts'

/** The incremental cache, relative to the working folder. */
export const cacheFolder = '.cache/zhpress'

/**
 * Read the project glossary, `glossary.yaml` in the source folder.
 *
 * @returns Its file (for diagnostics), and the glossary when it parsed.
 */
export async function loadGlossary(source: string, io: Io): Promise<{file?: VFile; glossary?: Glossary}> {
  const file = await readGlossaryFile(path.join(source, 'glossary.yaml'), io.cwd)
  if (!file) return {}
  if (file.messages.some((message) => message.fatal)) return {file}
  return {file, glossary: parseGlossary(file)}
}

/**
 * Run a build: every article through a worker pool (or in-process with
 * `--jobs 1`), straight into a staging folder, taking unchanged articles
 * from the incremental cache; then the site-level outputs and the swap.
 * Only small summaries of each article stay in memory.
 *
 * @param options Parsed `build` options.
 * @param io Where to print.
 * @returns Exit code.
 */
export async function build(options: BuildOptions, io: Io): Promise<number> {
  const started = performance.now()
  const outDir = path.resolve(io.cwd, options.out)
  const sourceDir = path.resolve(io.cwd, options.source)
  const refusal = await checkOutput(outDir, {name: options.out, cwd: io.cwd, keep: [{folder: sourceDir, label: `--source \`${options.source}\``}]})
  if (refusal) throw new UsageError(refusal)

  // Lock and recover first, so that even a failing build puts back a dist/
  // that a build killed between its two renames left aside.
  const output = await openStaging(outDir)
  if ('busy' in output) {
    io.stderr(`zhpress build: ${output.busy}\n`)
    return 1
  }

  const {staging} = output
  try {
    const {file: settingsFile, settings} = await readSettings(options.source, io.cwd)
    if (settingsFile?.messages.some((message) => message.fatal)) return await fail(io, options, output, [settingsFile])
    options = {...options, baseUrl: options.baseUrl ?? settings.baseUrl}
    const {names: all, site} = await scanSite(options.source, io.cwd, settings)
    const names = options.shard ? shardOf(all, options.shard) : all
    if (all.length === 0) return await fail(io, options, output, [await noArticles(options, io)])
    const {file: glossaryFile, glossary} = await loadGlossary(options.source, io)
    if (glossaryFile?.messages.some((message) => message.fatal)) return await fail(io, options, output, [glossaryFile])

    const cache = options.cache
      ? {
          folder: path.resolve(io.cwd, cacheFolder),
          project: await projectFingerprint(path.resolve(io.cwd, options.source)),
          tool: await toolFingerprint()
        }
      : undefined
    const articleOptions = {
      locales: options.locales,
      formats: options.formats,
      ...(options.baseUrl ? {baseUrl: options.baseUrl} : {}),
      ...(glossary ? {glossary} : {}),
      site,
      defaultLocale: settings.defaultLocale,
      corrections: options.corrections,
      keepSourceForms: options.keepSourceForms
    }
    const tasks = names.map((name): ArticleTask => ({name, cwd: io.cwd, staging, options: articleOptions, cache}))
    const progress = createProgress(io, tasks.length)
    let results: Array<ArticleResult>
    try {
      results = await runTasks(tasks, workerCount(options.jobs, io), () => progress.tick())
    } finally {
      progress.stop()
    }

    const files = results.map((result) => {
      const file = new VFile({path: result.name, cwd: io.cwd})
      restoreMessages(file, result.messages)
      return file
    })
    const failed = checkSite(
      results.map((result, index) => ({file: files[index]!, built: result.built})),
      site,
      options.formats
    )
    for (const [index, bad] of failed.entries()) if (bad) delete results[index]!.built
    if (glossaryFile) files.unshift(glossaryFile)
    if (settingsFile) files.unshift(settingsFile)
    for (const line of formatDiagnostics(files, {verbose: options.verbose})) io.stderr(line + '\n')
    const code = exitCode(files, options.strict)
    if (code !== 0) {
      await discardStaging(output)
      io.stderr(`build failed: ${options.out}/ was left as it was\n`)
      return code
    }

    const built = results.flatMap((result) => (result.built ? [result.built] : []))
    const report = reportEntries(files)
    const entries = built.flatMap((article) => article.outputs)
    if (options.formats.includes('html')) {
      entries.push(...(await stageAssets(staging, sourceDir, built.flatMap((article) => article.assets), options.locales)))
    }

    const index = built.flatMap((article) => article.index)
    const resources = built.flatMap((article) => article.resources.map((resource) => ({...resource, slug: article.slug})))
    if (options.shard) {
      const articles = results.flatMap((result) => (result.built ? [{name: result.name, slug: result.built.slug}] : []))
      entries.push(
        ...(await stageShard(staging, {shard: options.shard, source: await sourceFingerprint(sourceDir, all, io.cwd), articles, locales: options.locales, formats: options.formats, baseUrl: options.baseUrl, index, resources, report}))
      )
    } else {
      entries.push(...(await stageSiteFiles(staging, {locales: options.locales, formats: options.formats, baseUrl: options.baseUrl, index, resources, report, listPage: site.listPage})))
      await fs.rm(path.join(staging, partsFolder), {recursive: true, force: true})
    }

    await commitStaging(output, entries)
    // A shard builds a share of the articles: the others' entries stay.
    const pruned = cache && !options.shard ? await pruneCache(cache.folder, usedEntries(results), options.cacheKeep) : undefined
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const hits = results.filter((result) => result.cached).length
    io.stderr(
      `built ${built.length} article${built.length === 1 ? '' : 's'} × ${options.locales.length} locales` +
        `${options.shard ? ` (shard ${options.shard.index}/${options.shard.count} of ${all.length})` : ''}: ` +
        `${entries.length + 1} files in ${options.out}/ (${seconds}s, ${hits} cache hit${hits === 1 ? '' : 's'}` +
        `${pruned ? `, cache ${megabytes(pruned.bytes)}` : ''})\n`
    )
    return 0
  } catch (error) {
    await discardStaging(output)
    throw error
  }
}

/** The articles of shard `index` of `count`: every `count`th, by sorted path. */
export function shardOf<T>(names: ReadonlyArray<T>, shard: Shard): Array<T> {
  return names.filter((_, position) => position % shard.count === shard.index - 1)
}

/**
 * Run article tasks on a pool of `jobs` worker threads, or in this thread
 * for one job or one article to build (no worker start-up to pay). Results
 * keep the tasks' order. `build` and `check` both run on it.
 *
 * @param tasks One per article.
 * @param jobs Worker threads.
 * @param done Called once per finished article.
 * @returns One result per task, in order.
 */
export async function runTasks(tasks: ReadonlyArray<ArticleTask>, jobs: number, done: () => void): Promise<Array<ArticleResult>> {
  const results: Array<ArticleResult | undefined> = Array.from({length: tasks.length})
  // Cache hits only copy files: take them here, many at once (it is all
  // waiting on the disk), and start workers only for articles to build.
  let next = 0
  const take = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await runFromCache(tasks[index]!)
      if (results[index]) done()
    }
  }

  await Promise.all(Array.from({length: 16}, take))
  const misses = tasks.flatMap((_, index) => (results[index] ? [] : [index]))
  // Largest first, so that no worker is left with a big article at the end
  // while the others wait.
  const sizes = await Promise.all(misses.map((index) => articleSize(tasks[index]!)))
  const bySize = misses.map((index, position) => ({index, size: sizes[position]!})).sort((a, b) => b.size - a.size)

  if (jobs <= 1 || misses.length <= 1) {
    for (const index of misses) {
      results[index] = await runArticleTask(tasks[index]!)
      done()
    }

    return results as Array<ArticleResult>
  }

  const threads = Math.min(jobs, misses.length)
  const pool = new Tinypool({filename: new URL('build-worker.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads})
  try {
    await Promise.all(
      bySize.map(async ({index}) => {
        results[index] = (await pool.run(tasks[index])) as ArticleResult
        done()
      })
    )
  } finally {
    await pool.destroy()
  }

  return results as Array<ArticleResult>
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

export async function noArticles(options: Pick<BuildOptions, 'source'>, io: Io): Promise<VFile> {
  const file = new VFile({path: options.source, cwd: io.cwd})
  report(file, 'no-articles', {})
  return file
}

async function fail(io: Io, options: BuildOptions, output: OpenOutput, files: Array<VFile>): Promise<number> {
  await discardStaging(output)
  for (const line of formatDiagnostics(files, {verbose: options.verbose})) io.stderr(line + '\n')
  io.stderr(`build failed: ${options.out}/ was left as it was\n`)
  return exitCode(files, options.strict)
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

/** Key → bytes of the cache entries a build read or wrote. */
function usedEntries(results: ReadonlyArray<ArticleResult>): Map<string, number> {
  const used = new Map<string, number>()
  for (const result of results) if (result.cacheEntry) used.set(result.cacheEntry.key, result.cacheEntry.bytes)
  return used
}

function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`
}
