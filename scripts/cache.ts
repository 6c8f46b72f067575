/**
 * The incremental build cache: one entry per built article, under
 * `.cache/zhpress/articles/`, keyed by everything its outputs depend on:
 * one Brotli-compressed file holding its outputs and what the build needs
 * of it. Entries are written whole (renamed into place), never edited, and
 * pruned after each full build to those the last builds used (`used.json`);
 * the cache is safe to delete at any time: a miss only costs time.
 */
import {createHash, randomBytes} from 'node:crypto'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import type {ManifestEntry} from './write.ts'
import {versions} from './versions.ts'

const brotliCompress = promisify(zlib.brotliCompress)
const brotliDecompress = promisify(zlib.brotliDecompress)

/**
 * The cache root a command opens: `$ZHPRESS_CACHE_DIR`, else `.cache/zhpress`
 * in the working folder. Articles are cached in `articles/`, compiled
 * dictionaries in `dictionaries/`; library calls use none unless given one.
 *
 * @param cwd Working folder.
 * @param env Environment variables.
 * @returns The root, absolute.
 */
export function cacheRoot(cwd: string, env: Record<string, string | undefined>): string {
  return path.resolve(cwd, env.ZHPRESS_CACHE_DIR || path.join('.cache', 'zhpress'))
}

/** Bump when the entry layout changes. */
const cacheVersion = 3

/** Everything an article's outputs depend on. */
export interface KeyParts {
  /** Path of the article as diagnostics name it. */
  path: string
  /** The article's bytes. */
  source: Uint8Array
  /** Fingerprint of the project-wide inputs (see {@link projectFingerprint}). */
  project: string
  /** Fingerprint of the tool (see {@link toolFingerprint}). */
  tool: string
  /** Build options that change outputs (locales, formats…). */
  options: unknown
  /**
   * {@link optionsDigest} of `options`, when the caller made it once for
   * every article (the options hold the whole site's page map: hashed per
   * article, a large site's keys took time quadratic in its size).
   */
  optionsDigest?: string
}

/**
 * The digest of an article's build options, as its cache key takes them.
 *
 * @param options Build options that change outputs.
 * @returns A hex sha256.
 */
export function optionsDigest(options: unknown): string {
  return createHash('sha256').update(JSON.stringify(options)).digest('hex')
}

/**
 * The cache key of an article.
 *
 * @param parts What the outputs depend on.
 * @returns A hex sha256.
 */
export function articleKey(parts: KeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([cacheVersion, parts.path, parts.project, parts.tool, parts.optionsDigest ?? optionsDigest(parts.options)]))
    .update('\0')
    .update(parts.source)
    .digest('hex')
}

/**
 * Fingerprint of the tool: zhpress's and its data's versions, the lockfile
 * (every dependency's exact version) and zhpress's own code, so an edit to
 * a stage or an upgrade of opencc-js never serves stale outputs.
 *
 * With a memo folder, the fingerprint is kept there (`tool.json`) with the
 * `lstat` figures (size, modification and change times, inode) of every
 * file it was made from, and taken from there while they are the same:
 * the compiled `lib/` holds 17 MB (the dictionaries), read and hashed on
 * every build before. A write to a file moves its change time, which
 * `utimes` cannot set back; a file changed less than 3 s before the memo
 * was made is read again, as the source memo does (`source-memo.ts`).
 *
 * @param root Folder holding `package.json` and the code (`scripts/` or `lib/`).
 * @param memoFolder Where to keep the memo (the cache root), if anywhere.
 * @returns A hex sha256.
 */
export async function toolFingerprint(root = path.resolve(import.meta.dirname, '..'), memoFolder?: string): Promise<string> {
  // The code that runs: `scripts/` under tsx, `lib/` when compiled.
  const scripts = path.join(root, path.basename(import.meta.dirname))
  const entries = await fs.readdir(scripts, {recursive: true, withFileTypes: true})
  const files = [
    ...['package.json', 'package-lock.json'].map((name) => ({name, file: path.join(root, name)})),
    ...entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(scripts, path.join(entry.parentPath, entry.name)))
      .sort()
      .map((name) => ({name, file: path.join(scripts, name)}))
  ]
  const memoFile = memoFolder === undefined ? undefined : path.join(memoFolder, 'tool.json')
  const at = Date.now()
  let figures: string | undefined
  let newest = 0
  if (memoFile) {
    const hash = createHash('sha256').update(JSON.stringify(versions))
    for (const {name, file} of files) {
      const stats = fsSync.lstatSync(file, {throwIfNoEntry: false})
      hash.update(JSON.stringify([name, stats ? [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino] : null]))
      if (stats) newest = Math.max(newest, stats.ctimeMs)
    }

    figures = hash.digest('hex')
    try {
      const memo = JSON.parse(fsSync.readFileSync(memoFile, 'utf8')) as {figures?: unknown; at?: unknown; fingerprint?: unknown}
      if (memo.figures === figures && typeof memo.at === 'number' && newest < memo.at - racyMargin && typeof memo.fingerprint === 'string') return memo.fingerprint
    } catch {
      // No memo yet, or a damaged one: the files are read.
    }
  }

  const hash = createHash('sha256').update(JSON.stringify(versions))
  for (const [index, {name, file}] of files.entries()) {
    hash.update(name + '\0')
    // The two package files may be missing (an empty string, as before); the code may not.
    hash.update(index < 2 ? await fs.readFile(file).catch(() => '') : await fs.readFile(file))
  }

  const fingerprint = hash.digest('hex')
  if (memoFile) {
    const temporary = `${memoFile}.tmp-${randomBytes(6).toString('hex')}`
    try {
      await fs.mkdir(path.dirname(memoFile), {recursive: true})
      await fs.writeFile(temporary, JSON.stringify({figures, at, fingerprint}))
      await fs.rename(temporary, memoFile)
    } catch {
      // A read-only cache: the next build reads the files again.
      await fs.rm(temporary, {force: true})
    }
  }

  return fingerprint
}

/** A file changed less than this long before a memo was made is read again (file system clocks tick coarsely). */
const racyMargin = 3000

/**
 * Fingerprint of the project-wide inputs: every file at the top of the
 * source folder that is not an article (`glossary.yaml` and whatever
 * project configuration joins it). A change to any of them rebuilds every
 * article: conservative, never stale.
 *
 * @param folder Source folder (absolute).
 * @returns A hex sha256.
 */
export async function projectFingerprint(folder: string): Promise<string> {
  const hash = createHash('sha256')
  const entries = await fs.readdir(folder, {withFileTypes: true})
  for (const entry of entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.md')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(entry.name + '\0')
    hash.update(await fs.readFile(path.join(folder, entry.name)))
    hash.update('\0')
  }

  return hash.digest('hex')
}

/** What a cache entry remembers of a built article, besides its files. */
export interface CacheRecord<Summary> {
  /** Outputs, in the order their contents are stored. */
  outputs: Array<ManifestEntry>
  /** Everything else the build needs (messages, index entries…). */
  summary: Summary
}

function entryFile(folder: string, key: string): string {
  return path.join(folder, 'articles', key.slice(0, 2), key + '.br')
}

/**
 * Size on disk of a cache entry, without reading it. Synchronous: a
 * rebuild asks for every article's entry, and a `stat` takes microseconds,
 * less than a round trip through the thread pool.
 *
 * @param folder Cache folder.
 * @param key Key from {@link articleKey}.
 * @returns Bytes, or `undefined` when there is no such entry.
 */
export function cacheEntrySize(folder: string, key: string): number | undefined {
  return fsSync.statSync(entryFile(folder, key), {throwIfNoEntry: false})?.size
}

/** A cache entry as read: the record, the contents of its outputs, and its size on disk. */
export interface CacheHit<Summary> {
  record: CacheRecord<Summary>
  /** Content of output `i`, as UTF-8 bytes. */
  contents: Array<Uint8Array>
  /** Bytes of the entry on disk (compressed). */
  bytes: number
}

/** The head of an entry: the record and the byte length of each output's content. */
interface EntryHead<Summary> {
  record: CacheRecord<Summary>
  sizes: Array<number>
}

/**
 * Read a cache entry.
 *
 * @param folder Cache folder (`.cache/zhpress`).
 * @param key Key from {@link articleKey}.
 * @returns The entry, or `undefined` on a miss (a missing or damaged entry).
 */
export async function readCache<Summary>(folder: string, key: string): Promise<CacheHit<Summary> | undefined> {
  try {
    const compressed = await fs.readFile(entryFile(folder, key))
    const entry = await brotliDecompress(compressed)
    // One line of JSON (JSON.stringify writes no line break), then the contents.
    const newline = entry.indexOf(10)
    if (newline === -1) return undefined
    const {record, sizes} = JSON.parse(entry.subarray(0, newline).toString('utf8')) as EntryHead<Summary>
    if (!Array.isArray(sizes) || sizes.length !== record.outputs.length) return undefined
    const contents: Array<Uint8Array> = []
    let offset = newline + 1
    for (const size of sizes) {
      contents.push(entry.subarray(offset, offset + size))
      offset += size
    }

    if (offset !== entry.length) return undefined
    return {record, contents, bytes: compressed.length}
  } catch {
    return undefined
  }
}

/**
 * Write a cache entry: one file holding the record (a line of JSON) and the
 * outputs' contents as they are staged (their UTF-8 bytes, one after the
 * other: no string made of them, no escaping), Brotli-compressed
 * (restoring it costs a fraction of building the article, and it takes a
 * fraction of the outputs' size). Written aside and renamed into place, so
 * a reader never sees half an entry; a failure to write only loses the
 * entry.
 *
 * @param folder Cache folder.
 * @param key Key from {@link articleKey}.
 * @param record What to remember.
 * @param contents Content of each output as UTF-8 bytes, in `record.outputs` order.
 * @returns Bytes written, or 0 when the entry could not be written.
 */
export async function writeCache<Summary>(
  folder: string,
  key: string,
  record: CacheRecord<Summary>,
  contents: ReadonlyArray<Uint8Array>
): Promise<number> {
  const entry = entryFile(folder, key)
  const temporary = `${entry}.tmp-${randomBytes(6).toString('hex')}`
  try {
    const head = JSON.stringify({record, sizes: contents.map((content) => content.byteLength)} satisfies EntryHead<Summary>)
    const compressed = await brotliCompress(Buffer.concat([Buffer.from(head + '\n', 'utf8'), ...contents]), {
      params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT}
    })
    await fs.mkdir(path.dirname(entry), {recursive: true})
    await fs.writeFile(temporary, compressed)
    await fs.rename(temporary, entry)
    return compressed.length
  } catch {
    // The cache is read-only or full: the build goes on without the entry.
    await fs.rm(temporary, {force: true})
    return 0
  }
}

/** `used.json`: the entries each of the last builds used, newest first. */
interface UsedIndex {
  version: typeof cacheVersion
  builds: Array<Record<string, number>>
}

/**
 * Prune the cache: keep the entries that the last `keep` builds used (this
 * one included) and delete the others, and entries of older layouts.
 *
 * @param folder Cache folder.
 * @param used Key → bytes of every entry this build read or wrote.
 * @param keep How many builds' entries to keep (at least 1).
 * @returns Bytes and entries left in the cache.
 */
export async function pruneCache(folder: string, used: ReadonlyMap<string, number>, keep: number): Promise<{bytes: number; entries: number}> {
  const indexFile = path.join(folder, 'used.json')
  let previous: UsedIndex['builds'] = []
  try {
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as UsedIndex
    if (index.version === cacheVersion && Array.isArray(index.builds)) previous = index.builds
  } catch {
    // No index yet, or a damaged one: only this build's entries are known.
  }

  const builds = [Object.fromEntries(used), ...previous].slice(0, Math.max(1, keep))
  const kept = new Map<string, number>()
  for (const build of builds) for (const [key, bytes] of Object.entries(build)) if (!kept.has(key)) kept.set(key, bytes)

  const articles = path.join(folder, 'articles')
  const shards = await fs.readdir(articles).catch(() => [] as Array<string>)
  await Promise.all(
    shards.map(async (shard) => {
      const names = await fs.readdir(path.join(articles, shard)).catch(() => [] as Array<string>)
      for (const name of names) {
        const key = name.endsWith('.br') ? name.slice(0, -3) : undefined
        if (key !== undefined && kept.has(key)) continue
        // Another layout (an entry folder of an older zhpress) or unused.
        if (!name.includes('.tmp-')) await fs.rm(path.join(articles, shard, name), {recursive: true, force: true})
      }
    })
  )

  await fs.mkdir(folder, {recursive: true})
  const temporary = `${indexFile}.tmp-${randomBytes(6).toString('hex')}`
  await fs.writeFile(temporary, JSON.stringify({version: cacheVersion, builds} satisfies UsedIndex))
  await fs.rename(temporary, indexFile)
  let bytes = 0
  for (const size of kept.values()) bytes += size
  return {bytes, entries: kept.size}
}
