/**
 * The articles' results of a build, kept on disk while it runs: each
 * result, as it comes back from its worker or the cache, is appended to a
 * file beside the staging folder, and the build keeps in memory only what
 * the site-wide checks need of it (slug, heading ids, anchor links, assets,
 * its cache entry, how many errors and warnings it has). The rest —
 * messages, outputs, index entries, each page's links and ids — is read
 * back once every article is done: outputs and index entries in one pass,
 * the messages of one article at a time, where `report.json` or the build
 * record needs them. A large site's results, held whole until the end,
 * were most of a build's memory.
 *
 * One line per result: its position, its messages, the rest of the result
 * without its pages' scans, and the scans, as JSON, separated by tabs (JSON
 * has none outside strings), so that each reading parses only the part it
 * needs; where each article's messages lie in the file is kept, to read
 * them back in article order.
 */
import {readSync, writeSync} from 'node:fs'
import fs from 'node:fs/promises'
import type {PageScan} from '../site-links.ts'
import type {ArticleResult, ArticleSummary, StoredMessage} from './build-task.ts'

/** What a build keeps in memory of an article's result. */
export interface KeptResult {
  name: string
  cached: boolean
  cacheEntry?: ArticleResult['cacheEntry']
  /** Present when the article built. */
  built?: Pick<ArticleSummary, 'slug' | 'slugPoint' | 'ids' | 'anchors' | 'assets'>
  /** Its messages that are errors (`fatal: true`) and warnings (`fatal: false`), for the exit code. */
  errors: number
  warnings: number
  /**
   * The URLs (`actual`) of its `broken-link` and `missing-image` messages,
   * when it has any: the check of the published pages does not report them again.
   */
  sourceBroken?: Array<string>
}

/** A recorded result without its messages and pages' scans. */
export type RecordedResult = Pick<ArticleResult, 'name'> & {built?: Omit<NonNullable<ArticleResult['built']>, 'pages'>}

/**
 * One result as the records hold it: its messages, the rest of it without
 * the pages' scans (a {@link RecordedResult}) and the scans (`null` when
 * none), each as JSON text, separated by tabs, in UTF-8. A rebuild keeps an
 * unchanged article's result as the last build recorded it, its bytes
 * neither decoded nor parsed and written again.
 */
export interface RecordedText {
  /** The three parts' bytes (the line without its position). */
  bytes: Buffer
  /** Where the messages end in `bytes`. */
  messagesEnd: number
}

/** The parts of a records line after its position. */
type LinePart = 'messages' | 'result' | 'pages'

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
  /**
   * Every recorded result (without its messages and pages' scans) with its position, in the order they were kept.
   *
   * @param skip Positions the caller has already (their lines are not decoded).
   */
  each(skip?: (index: number) => boolean): AsyncGenerator<[number, RecordedResult]>
  /**
   * The recorded messages of one result, read from the file there and then
   * (after {@link ResultRecords.flush}): nothing of them is held between calls.
   *
   * @param index Its position among the build's articles.
   * @returns Its messages, `[]` for a position never kept.
   */
  messagesOf(index: number): Array<StoredMessage>
  /** {@link ResultRecords.messagesOf} as the JSON text the records hold. */
  messagesText(index: number): string
  /** Wait until every kept result is in the file. */
  flush(): Promise<void>
  /**
   * Every recorded result's pages' scans (output path → scan), with its position.
   *
   * @param skip Positions whose scans are not wanted (their lines are not decoded).
   */
  eachPages(skip?: (index: number) => boolean): AsyncGenerator<[number, Record<string, PageScan> | undefined]>
  /** Every recorded result as the JSON of `{name, messages, built}`, scans included, with its position. */
  eachText(): AsyncGenerator<[number, string]>
  /**
   * Keep the file under another name as well (a hard link, else a copy),
   * once every result is in it: the next build reads it back with
   * {@link readRecordedLines}.
   *
   * @param target A file that does not exist.
   */
  saveAs(target: string): Promise<void>
  /** Close and remove the file. */
  close(): Promise<void>
}

/**
 * Open the records of a build.
 *
 * @param file A new file (beside the staging folder, named like it so that
 *   the clean-up of a killed build removes it too).
 * @param count How many results there will be (positions `0` to `count - 1`).
 * @returns The records.
 */
export async function openRecords(file: string, count: number): Promise<ResultRecords> {
  const handle = await fs.open(file, 'wx+')
  // Written there and then, in the order results are kept (a rebuild keeps a thousand recorded lines in a burst:
  // synchronous writes into the page cache, not a thousand trips through the thread pool). A failed write fails the
  // build when the records are read, and nothing after it is written.
  let written: Promise<unknown> = Promise.resolve()
  let failed = false
  let closed = false
  // Where each result's messages lie in the file (bytes), by position.
  let size = 0
  const messagesAt = new Float64Array(count)
  const messagesBytes = new Float64Array(count)
  // Each line's parts, only those asked for decoded (a tab is one byte in UTF-8, never inside a character).
  const parts = async function* <Part extends LinePart>(wanted: ReadonlyArray<Part>, skip?: (index: number) => boolean): AsyncGenerator<{index: number} & Record<Part, string>> {
    await written
    for await (const line of readLineBytes(file)) {
      const first = line.indexOf(9)
      const index = Number(line.toString('latin1', 0, first))
      if (skip?.(index)) continue
      const second = line.indexOf(9, first + 1)
      const third = line.indexOf(9, second + 1)
      const bounds = {messages: [first + 1, second], result: [second + 1, third], pages: [third + 1, line.length]} as const
      const part = {index} as {index: number} & Record<Part, string>
      for (const name of wanted) (part as Record<string, unknown>)[name] = line.toString('utf8', bounds[name][0], bounds[name][1])
      yield part
    }
  }

  const messagesText = (index: number): string => {
    const bytes = messagesBytes[index] ?? 0
    if (bytes === 0) return '[]'
    const buffer = Buffer.alloc(bytes)
    let read = 0
    while (read < bytes) read += readSync(handle.fd, buffer, read, bytes - read, messagesAt[index]! + read)
    return buffer.toString('utf8')
  }

  return {
    async keep(result, index) {
      const {name, messages, cached, cacheEntry, built, recorded} = result
      const head = Buffer.from(`${index}\t`)
      let parts: Buffer
      let storedBytes: number
      if (recorded) {
        parts = recorded.bytes
        storedBytes = recorded.messagesEnd
      } else {
        const stored = JSON.stringify(messages)
        let rest: string
        if (built) {
          const {pages, ...summary} = built
          // `built` last, so that the scans can be put back in it as text (see eachText).
          rest = `${JSON.stringify({name, built: summary})}\t${pages ? JSON.stringify(pages) : 'null'}`
        } else {
          rest = `${JSON.stringify({name})}\tnull`
        }

        parts = Buffer.from(`${stored}\t${rest}`)
        storedBytes = Buffer.byteLength(stored)
      }

      const bytes = Buffer.concat([head, parts, newline])
      messagesAt[index] = size + head.length
      messagesBytes[index] = storedBytes
      size += bytes.length
      if (!failed) {
        try {
          for (let done = 0; done < bytes.length; ) done += writeSync(handle.fd, bytes, done)
        } catch (error) {
          failed = true
          written = Promise.reject(error as Error)
          // Not an unhandled rejection now.
          written.catch(() => {})
        }
      }
      let errors = 0
      let warnings = 0
      let sourceBroken: Array<string> | undefined
      if (recorded) {
        // Counted in the bytes: a key is written `"fatal":` only as a key (a quote inside a string is escaped).
        const stored = recorded.bytes.subarray(0, recorded.messagesEnd)
        errors = occurrences(stored, '"fatal":true')
        warnings = occurrences(stored, '"fatal":false')
        if (stored.includes('"ruleId":"broken-link"') || stored.includes('"ruleId":"missing-image"')) sourceBroken = brokenUrls(JSON.parse(stored.toString('utf8')) as Array<StoredMessage>)
      } else {
        for (const message of messages) {
          if (message.fatal === true) errors++
          else if (message.fatal === false) warnings++
        }

        sourceBroken = brokenUrls(messages)
      }

      return {
        name,
        cached,
        ...(cacheEntry ? {cacheEntry} : {}),
        ...(built
          ? {built: {slug: built.slug, ...(built.slugPoint ? {slugPoint: built.slugPoint} : {}), ids: built.ids, anchors: built.anchors, assets: built.assets}}
          : {}),
        errors,
        warnings,
        ...(sourceBroken ? {sourceBroken} : {})
      }
    },
    async *each(skip) {
      for await (const {index, result} of parts(['result'], skip)) yield [index, JSON.parse(result) as RecordedResult]
    },
    messagesOf(index) {
      return JSON.parse(messagesText(index)) as Array<StoredMessage>
    },
    messagesText,
    async flush() {
      await written
    },
    async *eachPages(skip) {
      for await (const {index, pages} of parts(['pages'], skip)) yield [index, (JSON.parse(pages) as Record<string, PageScan> | null) ?? undefined]
    },
    async *eachText() {
      for await (const {index, messages, result, pages} of parts(['messages', 'result', 'pages'])) {
        // `{"name":…}` → `{"messages":[…],"name":…}`, and `…,"built":{…}}` → `…,"built":{…,"pages":{…}}}`.
        const whole = `{"messages":${messages},${result.slice(1)}`
        yield [index, pages === 'null' ? whole : `${whole.slice(0, -2)},"pages":${pages}}}`]
      }
    },
    async saveAs(target) {
      await written
      try {
        await fs.link(file, target)
      } catch {
        // Another device (the cache elsewhere) or no links there: a copy.
        await fs.copyFile(file, target)
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

const newline = Buffer.from('\n')

/**
 * The pages' scans of a recorded result.
 *
 * @param text The result as the records hold it.
 * @returns Output path → scan, or `undefined` when it has no pages.
 */
export function recordedPages(text: RecordedText): Record<string, PageScan> | undefined {
  const pages = text.bytes.indexOf(9, text.messagesEnd + 1) + 1
  return (JSON.parse(text.bytes.toString('utf8', pages)) as Record<string, PageScan> | null) ?? undefined
}

/** How many times `part` occurs in `text`. */
function occurrences(text: Buffer, part: string): number {
  let count = 0
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++
  return count
}

/** The URLs (`actual`) of the `broken-link` and `missing-image` messages, when there are any. */
function brokenUrls(messages: ReadonlyArray<StoredMessage>): Array<string> | undefined {
  let urls: Array<string> | undefined
  for (const message of messages) {
    if ((message.ruleId === 'broken-link' || message.ruleId === 'missing-image') && message.actual) (urls ??= []).push(message.actual)
  }

  return urls
}

/**
 * The lines of a records file kept by {@link ResultRecords.saveAs}: each
 * result's position, its parts as they are recorded (bytes, copied out of
 * the reader's chunk) and its result as JSON text (only that part decoded).
 *
 * @param file The file.
 */
export async function* readRecordedLines(file: string): AsyncGenerator<[number, RecordedText, string]> {
  for await (const line of readLineBytes(file)) {
    const first = line.indexOf(9)
    const second = line.indexOf(9, first + 1)
    const third = line.indexOf(9, second + 1)
    if (first === -1 || second === -1 || third === -1) throw new Error('damaged records')
    yield [Number(line.toString('latin1', 0, first)), {bytes: Buffer.from(line.subarray(first + 1)), messagesEnd: second - first - 1}, line.toString('utf8', second + 1, third)]
  }
}

/**
 * The lines of a file as bytes, read in chunks of 1 MiB, so that a reader
 * decodes only the part of a line it needs. Each line's bytes may be a
 * view of the chunk: valid until the next line is asked for. Empty lines
 * are skipped.
 */
async function* readLineBytes(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(file)
  try {
    const buffer = Buffer.alloc(1 << 20)
    // Bytes of a line begun in an earlier chunk (a character may be cut in two there).
    let rest: Buffer = Buffer.alloc(0)
    for (;;) {
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      let start = 0
      for (let end = buffer.indexOf(10, 0); end !== -1 && end < bytesRead; end = buffer.indexOf(10, start)) {
        const line = rest.length > 0 ? Buffer.concat([rest, buffer.subarray(start, end)]) : buffer.subarray(start, end)
        rest = Buffer.alloc(0)
        start = end + 1
        if (line.length > 0) yield line
      }

      rest = Buffer.concat([rest, buffer.subarray(start, bytesRead)])
    }

    if (rest.length > 0) yield rest
  } finally {
    await handle.close()
  }
}
