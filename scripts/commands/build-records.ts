/**
 * The articles' results of a build, kept on disk while it runs: each
 * result, as it comes back from its worker or the cache, is appended to a
 * file beside the staging folder, and the build keeps in memory only what
 * the site-wide checks need of it (slug, heading ids, anchor links, assets,
 * its cache entry). The rest — messages, outputs, index entries, each page's
 * links and ids — is read back, one article at a time, once every article is
 * done. A large site's results, held whole until the end, were most of a
 * build's memory.
 */
import fs from 'node:fs/promises'
import {createInterface} from 'node:readline'
import type {ArticleResult, ArticleSummary} from './build-task.ts'

/** What a build keeps in memory of an article's result. */
export interface KeptResult {
  name: string
  cached: boolean
  cacheEntry?: ArticleResult['cacheEntry']
  /** Present when the article built. */
  built?: Pick<ArticleSummary, 'slug' | 'slugPoint' | 'ids' | 'anchors' | 'assets'>
}

/** The records of a build's results (see {@link openRecords}). */
export interface ResultRecords {
  /**
   * Record a result.
   *
   * @param result The article's whole result.
   * @param index Its position among the build's articles.
   * @returns What the build keeps in memory of it.
   */
  keep(result: ArticleResult, index: number): Promise<KeptResult>
  /** Every recorded result with its position, in the order they were kept. */
  each(): AsyncGenerator<[number, ArticleResult]>
  /** Close and remove the file. */
  close(): Promise<void>
}

/**
 * Open the records of a build.
 *
 * @param file A new file (beside the staging folder, named like it so that
 *   the clean-up of a killed build removes it too).
 * @returns The records.
 */
export async function openRecords(file: string): Promise<ResultRecords> {
  const handle = await fs.open(file, 'wx')
  // Writes one after the other, in the order results are kept.
  let written: Promise<unknown> = Promise.resolve()
  let closed = false
  return {
    async keep(result, index) {
      const line = JSON.stringify([index, result]) + '\n'
      written = written.then(() => handle.write(line))
      // A failed write fails the build when the records are read (not as an unhandled rejection now).
      written.catch(() => {})
      const {name, cached, cacheEntry, built} = result
      return {
        name,
        cached,
        ...(cacheEntry ? {cacheEntry} : {}),
        ...(built
          ? {built: {slug: built.slug, ...(built.slugPoint ? {slugPoint: built.slugPoint} : {}), ids: built.ids, anchors: built.anchors, assets: built.assets}}
          : {})
      }
    },
    async *each() {
      await written
      const lines = createInterface({input: (await fs.open(file)).createReadStream({encoding: 'utf8'}), crlfDelay: Number.POSITIVE_INFINITY})
      for await (const line of lines) if (line !== '') yield JSON.parse(line) as [number, ArticleResult]
    },
    async close() {
      if (closed) return
      closed = true
      await written.catch(() => {})
      await handle.close()
      await fs.rm(file, {force: true})
    }
  }
}
