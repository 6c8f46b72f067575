/**
 * Articles a rebuild is sure to build, started at once on worker threads:
 * an article whose cache key has no entry cannot come from the cache nor
 * from the published folder, so it need not wait while this thread finds
 * the unchanged articles and links or restores their files. On a rebuild
 * with one article changed, its build (the Markdown, HTML and conversion
 * stacks, Jieba) then overlaps the work that grows with the site.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {cacheEntrySize} from '../cache.ts'
import type {ArticleResult, ArticleTask} from './build-task.ts'

/** Builds started ahead of the others (see {@link startEarly}). */
export interface EarlyBuilds {
  /** Task position → its result, as the worker gives it. */
  results: Map<number, Promise<ArticleResult>>
  /** Stop the workers (once every result is in, or when the build fails). */
  destroy: () => Promise<void>
}

/**
 * Start, on `jobs` worker threads at most, the tasks whose cache key has no
 * entry, largest first; only when other tasks remain to overlap them with
 * (a cold build, every article to build, takes the pool the usual way).
 *
 * @param tasks Every task of the build, with their keys.
 * @param cacheFolder Cache root (the entries are in it).
 * @param jobs Worker threads allowed; below 2 nothing starts early (`--jobs 1` builds in this thread).
 * @returns The builds started, or `undefined` when none was.
 */
export async function startEarly(tasks: ReadonlyArray<ArticleTask>, cacheFolder: string, jobs: number): Promise<EarlyBuilds | undefined> {
  if (jobs < 2) return undefined
  const absent = await Promise.all(tasks.map(async (task) => task.key !== undefined && (await cacheEntrySize(cacheFolder, task.key)) === undefined))
  const sure = absent.flatMap((yes, index) => (yes ? [index] : []))
  if (sure.length === 0 || sure.length === tasks.length) return undefined
  const sizes = await Promise.all(sure.map(async (index) => (await fs.stat(path.resolve(tasks[index]!.cwd, tasks[index]!.name)).catch(() => undefined))?.size ?? 0))
  const order = sure.map((index, position) => ({index, size: sizes[position]!})).sort((a, b) => b.size - a.size)
  const threads = Math.min(jobs, sure.length)
  const {default: Tinypool} = await import('tinypool')
  // Two articles in hand per worker, as in `runTasks`: one building while the other's files are written.
  const pool = new Tinypool({filename: new URL('build-worker.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: 2})
  const results = new Map<number, Promise<ArticleResult>>()
  for (const {index} of order) {
    const result = pool.run(tasks[index]) as Promise<ArticleResult>
    // Awaited later, by `runTasks`: a failure must not count as unhandled meanwhile.
    result.catch(() => {})
    results.set(index, result)
  }

  let destroyed: Promise<void> | undefined
  return {results, destroy: () => (destroyed ??= pool.destroy())}
}
