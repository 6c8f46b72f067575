/**
 * What a build with a cache remembers of the output folder it published,
 * so that the next build can skip work without trusting anything it has
 * not checked: a key of every input of the site, the size, times and inode
 * of every file it left in the output folder (checked again with `lstat`,
 * no file is read), the asset files it copied, the cache entries it used,
 * the articles' messages, and each article's summary by its cache key.
 *
 * Two files under `<cache>/builds/<output folder's hash>/`, each written
 * whole (renamed into place): `stamp.json` (read by every build) and
 * `articles.json` (read only when something changed). A missing, damaged
 * or stale stamp only costs time: the build then does all its work.
 */
import {createHash, randomBytes} from 'node:crypto'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {writePieces, type ManifestEntry} from '../write.ts'
import type {ArticleResult, StoredMessage} from './build-task.ts'

/** Bump when the layout of the stamp changes. */
export const stampVersion = 1

/** What `lstat` says of an output file: size, modification and change times (ms), inode. */
export type FileStat = [size: number, mtimeMs: number, ctimeMs: number, ino: number]

/** The files and folders of an output folder, `/`-separated relative paths. */
export interface OutputListing {
  files: Record<string, FileStat>
  folders: Array<string>
}

/** `stamp.json`: the last published build of one output folder. */
export interface BuildStamp {
  version: typeof stampVersion
  /** {@link siteKey} of the build's inputs. */
  site: string
  /** The output folder as the build left it. */
  output: OutputListing
  /** Absolute path of every asset copied → size and modification time. */
  assets: Record<string, [size: number, mtimeMs: number]>
  /** Cache entries the build used: key → bytes. */
  entries: Record<string, number>
  /** Every article's messages after the site-wide checks, in build order. */
  messages: Array<{name: string; messages: Array<StoredMessage>}>
  /** Front matter slugs by sha256 of the article's text (see `scanSite`). */
  slugs: Record<string, string | null>
  /** Articles published, and whether the published pages' links were checked. */
  articles: number
  linksChecked: boolean
  /** The HTML site pages and what made them (see `SitePageMemo`). */
  sitePages?: Record<string, [digest: string, entry: ManifestEntry]>
}

/** A {@link BuildStamp} to write: its messages may be made as they are written. */
export type StampToWrite = Omit<BuildStamp, 'messages'> & {messages: Iterable<BuildStamp['messages'][number]>}

/** `articles.json`: each article's result, by cache key (what restoring it from the output folder needs). */
export type StampedArticles = Record<string, Pick<ArticleResult, 'name' | 'messages' | 'built'>>

/**
 * The key of a whole build: changes whenever any input of any output may
 * have changed (every article's cache key, which covers its bytes, path,
 * the project files, the options and the tool; and the site-level options).
 *
 * @param parts Everything the site-level outputs depend on, as JSON.
 * @returns A hex sha256.
 */
export function siteKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify([stampVersion, parts])).digest('hex')
}

function stampFolder(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, 'builds', createHash('sha256').update(path.resolve(outDir)).digest('hex').slice(0, 32))
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

/**
 * Read the stamp of an output folder.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @returns The stamp, or `undefined` when there is none or it is damaged.
 */
export async function readStamp(cacheDir: string, outDir: string): Promise<BuildStamp | undefined> {
  const value = (await readJson(path.join(stampFolder(cacheDir, outDir), 'stamp.json'))) as Partial<BuildStamp> | undefined
  if (!value || typeof value !== 'object' || value.version !== stampVersion || typeof value.site !== 'string') return undefined
  if (!value.output || typeof value.output.files !== 'object' || !Array.isArray(value.output.folders)) return undefined
  if (typeof value.assets !== 'object' || typeof value.entries !== 'object' || !Array.isArray(value.messages) || typeof value.slugs !== 'object') return undefined
  return value as BuildStamp
}

/**
 * Read the article summaries of a stamp.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @param site The stamp's key (`articles.json` of another build is not used).
 * @returns Cache key → the article's result.
 */
export async function readStampedArticles(cacheDir: string, outDir: string, site: string): Promise<StampedArticles> {
  const value = (await readJson(path.join(stampFolder(cacheDir, outDir), 'articles.json'))) as {site?: unknown; articles?: unknown} | undefined
  if (!value || value.site !== site || !value.articles || typeof value.articles !== 'object') return {}
  return value.articles as StampedArticles
}

/**
 * Write the stamp of a build that was just published. Best effort: a stamp
 * that cannot be written only costs the next build time. The previous stamp
 * is removed first, so that a failure never leaves a stamp describing
 * another folder state.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @param stamp The stamp.
 * @param articles Each article's result (or its JSON) with its cache key, made as they are written.
 */
export async function writeStamp(
  cacheDir: string,
  outDir: string,
  stamp: StampToWrite,
  articles: AsyncIterable<[string, StampedArticles[string] | string]> | Iterable<[string, StampedArticles[string] | string]>
): Promise<void> {
  const folder = stampFolder(cacheDir, outDir)
  // Piece by piece: the listing of a large output folder and every message, as one string, would be a peak of memory of their own.
  const writeStampFile = async () => {
    const temporary = path.join(folder, `stamp.json.tmp-${randomBytes(6).toString('hex')}`)
    try {
      await writePieces(temporary, stampPieces(stamp))
      await fs.rename(temporary, path.join(folder, 'stamp.json'))
    } catch (error) {
      await fs.rm(temporary, {force: true})
      throw error
    }
  }

  // One article at a time: the articles of a large site, as one string, would be a peak of memory of their own.
  const writeArticles = async () => {
    const temporary = path.join(folder, `articles.json.tmp-${randomBytes(6).toString('hex')}`)
    const handle = await fs.open(temporary, 'w')
    try {
      await handle.write(`{"site":${JSON.stringify(stamp.site)},"articles":{`)
      let first = true
      for await (const [key, result] of articles) {
        await handle.write(`${first ? '' : ','}${JSON.stringify(key)}:${typeof result === 'string' ? result : JSON.stringify(result)}`)
        first = false
      }

      await handle.write('}}')
      await handle.close()
      await fs.rename(temporary, path.join(folder, 'articles.json'))
    } catch (error) {
      await handle.close().catch(() => {})
      await fs.rm(temporary, {force: true})
      throw error
    }
  }

  try {
    await fs.mkdir(folder, {recursive: true})
    await fs.rm(path.join(folder, 'stamp.json'), {force: true})
    await writeArticles()
    await writeStampFile()
  } catch {
    // A read-only or full cache: the next build does all its work.
  }
}

/** The text of `stamp.json` (the JSON of a {@link BuildStamp}), its long parts item by item. */
function* stampPieces(stamp: StampToWrite): Generator<string> {
  const {output, messages, ...rest} = stamp
  yield JSON.stringify(rest).slice(0, -1) + `,"output":{"folders":${JSON.stringify(output.folders)},"files":{`
  let first = true
  for (const name in output.files) {
    yield `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(output.files[name])}`
    first = false
  }

  yield '}},"messages":['
  first = true
  for (const article of messages) {
    yield `${first ? '' : ','}${JSON.stringify(article)}`
    first = false
  }

  yield ']}'
}

/**
 * Remove the stamp of an output folder (the folder is about to change in a
 * way the stamp does not describe).
 */
export async function removeStamp(cacheDir: string, outDir: string): Promise<void> {
  await fs.rm(path.join(stampFolder(cacheDir, outDir), 'stamp.json'), {force: true}).catch(() => {})
}

/**
 * List an output folder: every file with its `lstat` figures, every folder.
 *
 * @param outDir Output folder (absolute).
 * @returns The listing, or `undefined` when it is missing or holds anything
 *   but files and folders (a symbolic link: nothing in it is trusted).
 */
export async function listOutput(outDir: string): Promise<OutputListing | undefined> {
  let entries
  try {
    entries = fsSync.readdirSync(outDir, {recursive: true, withFileTypes: true})
  } catch {
    return undefined
  }

  const listing: OutputListing = {files: {}, folders: []}
  const files: Array<string> = []
  for (const entry of entries) {
    const name = path.relative(outDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
    if (entry.isDirectory()) listing.folders.push(name)
    else if (entry.isFile()) files.push(name)
    else return undefined
  }

  listing.folders.sort()
  // One `lstat` after the other, synchronously: for a site's thousands of
  // files that is several times faster than as promises (no round trip
  // through the thread pool for a call that takes microseconds).
  for (const name of files) {
    try {
      const stats = fsSync.lstatSync(path.join(outDir, name))
      if (!stats.isFile()) return undefined
      listing.files[name] = [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino]
    } catch {
      return undefined
    }
  }

  return listing
}

/**
 * Which files of the output folder are as the stamp left them.
 *
 * @param stamp The stamp's listing.
 * @param now The folder's listing now.
 * @returns The files unchanged, and whether the whole folder is (same files, same folders).
 */
export function compareOutput(stamp: OutputListing, now: OutputListing): {same: Set<string>; whole: boolean} {
  const same = new Set<string>()
  for (const [name, figures] of Object.entries(now.files)) {
    const before = stamp.files[name]
    if (before && before.length === 4 && before.every((value, index) => value === figures[index])) same.add(name)
  }

  const whole =
    same.size === Object.keys(now.files).length &&
    same.size === Object.keys(stamp.files).length &&
    now.folders.length === stamp.folders.length &&
    now.folders.every((name, index) => stamp.folders[index] === name)
  return {same, whole}
}

/**
 * Whether files are as the stamp recorded them (size and modification time).
 *
 * @param files Absolute path → size and modification time.
 */
export async function sameFiles(files: Record<string, [number, number]>): Promise<boolean> {
  const checks = await Promise.all(
    Object.entries(files).map(async ([file, [size, mtimeMs]]) => {
      try {
        const stats = await fs.stat(file)
        return stats.size === size && stats.mtimeMs === mtimeMs
      } catch {
        return false
      }
    })
  )
  return checks.every(Boolean)
}

/** Size and modification time of a file, as {@link sameFiles} checks them; `undefined` if it cannot be read. */
export async function fileFigures(file: string): Promise<[number, number] | undefined> {
  try {
    const stats = await fs.stat(file)
    return [stats.size, stats.mtimeMs]
  } catch {
    return undefined
  }
}
