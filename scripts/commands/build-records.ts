/**
 * The articles' results of a build, kept on disk while it runs: each
 * result, as it comes back from its worker or the cache, is appended to a
 * file beside the staging folder, and the build keeps in memory only what
 * the site-wide checks need of it (slug, heading ids, anchor links, assets,
 * its cache entry). The rest — messages, outputs, index entries, each page's
 * links and ids — is read back, one article at a time, once every article is
 * done. A large site's results, held whole until the end, were most of a
 * build's memory.
 *
 * One line per result: its position, the result without its pages' scans,
 * and the scans, as JSON, separated by tabs (JSON has none outside
 * strings), so that each reading parses only the part it needs.
 */
import fs from 'node:fs/promises'
import type {PageScan} from '../site-links.ts'
import type {ArticleResult, ArticleSummary} from './build-task.ts'

/** What a build keeps in memory of an article's result. */
export interface KeptResult {
  name: string
  cached: boolean
  cacheEntry?: ArticleResult['cacheEntry']
  /** Present when the article built. */
  built?: Pick<ArticleSummary, 'slug' | 'slugPoint' | 'ids' | 'anchors' | 'assets'>
}

/** A recorded result without its pages' scans. */
export type RecordedResult = Pick<ArticleResult, 'name' | 'messages'> & {built?: Omit<NonNullable<ArticleResult['built']>, 'pages'>}

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
  /** Every recorded result (without its pages' scans) with its position, in the order they were kept. */
  each(): AsyncGenerator<[number, RecordedResult]>
  /** Every recorded result's pages' scans (output path → scan), with its position. */
  eachPages(): AsyncGenerator<[number, Record<string, PageScan> | undefined]>
  /** Every recorded result as the JSON of `{name, messages, built}`, scans included, with its position. */
  eachText(): AsyncGenerator<[number, string]>
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
  const parts = async function* () {
    await written
    for await (const line of readLines(file)) {
      const first = line.indexOf('\t')
      const second = line.indexOf('\t', first + 1)
      yield {index: Number(line.slice(0, first)), result: line.slice(first + 1, second), pages: line.slice(second + 1)}
    }
  }

  return {
    async keep(result, index) {
      const {name, messages, cached, cacheEntry, built} = result
      let line: string
      if (built) {
        const {pages, ...rest} = built
        // `built` last, so that the scans can be put back in it as text (see eachText).
        line = `${index}\t${JSON.stringify({name, messages, built: rest})}\t${pages ? JSON.stringify(pages) : 'null'}\n`
      } else {
        line = `${index}\t${JSON.stringify({name, messages})}\tnull\n`
      }

      written = written.then(() => handle.write(line))
      // A failed write fails the build when the records are read (not as an unhandled rejection now).
      written.catch(() => {})
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
      for await (const {index, result} of parts()) yield [index, JSON.parse(result) as RecordedResult]
    },
    async *eachPages() {
      for await (const {index, pages} of parts()) yield [index, (JSON.parse(pages) as Record<string, PageScan> | null) ?? undefined]
    },
    async *eachText() {
      for await (const {index, result, pages} of parts()) {
        // `…,"built":{…}}` → `…,"built":{…,"pages":{…}}}`.
        yield [index, pages === 'null' ? result : `${result.slice(0, -2)},"pages":${pages}}}`]
      }
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

/** The lines of a file, read in chunks of 1 MiB (faster than `readline` on long lines). */
async function* readLines(file: string): AsyncGenerator<string> {
  const handle = await fs.open(file)
  try {
    const buffer = Buffer.alloc(1 << 20)
    // Bytes after the last line break read so far (a character may be cut in two there).
    let rest: Buffer = Buffer.alloc(0)
    for (;;) {
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      const end = buffer.lastIndexOf(10, bytesRead - 1)
      if (end === -1) {
        rest = Buffer.concat([rest, buffer.subarray(0, bytesRead)])
        continue
      }

      const text = Buffer.concat([rest, buffer.subarray(0, end)]).toString('utf8')
      rest = Buffer.from(buffer.subarray(end + 1, bytesRead))
      for (const line of text.split('\n')) if (line !== '') yield line
    }

    if (rest.length > 0) yield rest.toString('utf8')
  } finally {
    await handle.close()
  }
}
