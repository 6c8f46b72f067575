/**
 * What a build with a cache remembers of the output folder it published,
 * so that the next build can skip work without trusting anything it has
 * not checked: a key of every input of the site, the size, times and inode
 * of every file it left in the output folder (checked again with `lstat`,
 * no file is read), the asset files it copied, the cache entries it used,
 * the articles' messages, and each article's result by its cache key.
 *
 * Files under `<cache>/builds/<output folder's hash>/`, each written whole
 * (renamed into place): `stamp.json` (read by every build, written last),
 * `messages.json` (read only when nothing changed), and the build's records
 * (`articles.records`, see `build-records.ts`, kept as they are) with
 * `articles.json`, the cache key of each line (read only when something
 * changed). A missing, damaged or stale stamp only costs time: the build
 * then does all its work.
 */
import {createHash, randomBytes} from 'node:crypto'
import fsSync from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {writePieces, type ManifestEntry} from '../write.ts'
import {readRecordedLines, type RecordedResult, type RecordedText} from './build-records.ts'
import type {StoredMessage} from './build-task.ts'

/** Bump when the layout of the stamp changes. */
export const stampVersion = 2

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
  /** Front matter slugs by sha256 of the article's text (see `scanSite`). */
  slugs: Record<string, string | null>
  /** Articles published, and whether the published pages' links were checked. */
  articles: number
  linksChecked: boolean
  /** The published pages' link check: the digest of its files and how many links it found broken by zhpress (see `LinkCheckSince`). */
  linkCheck?: {files: string; broken: number}
  /** The HTML site pages and what made them (see `SitePageMemo`). */
  sitePages?: Record<string, [digest: string, entry: ManifestEntry]>
}

/** Every article's messages after the site-wide checks, in build order (`messages.json`). */
export type StampMessages = Array<{name: string; messages: Array<StoredMessage>}>

/**
 * A {@link BuildStamp} to write, with its messages (made as they are
 * written; an article's may come as the JSON text of its messages).
 */
export type StampToWrite = Omit<BuildStamp, 'output'> & {
  messages: Iterable<StampMessages[number] | {name: string; text: string}>
  /** The output folder's listing, asked for last (`undefined`: it holds something else than files and folders, no stamp). */
  output: () => Promise<OutputListing | undefined>
}

/** An article's result as the last build recorded it: what taking it from the output folder needs. */
export interface StampedArticle {
  /** Without messages and pages' scans, parsed. */
  result: RecordedResult & {built: NonNullable<RecordedResult['built']>}
  /** The whole of it as the records hold it. */
  text: RecordedText
}

/** Each article's result, by cache key. */
export type StampedArticles = Map<string, StampedArticle>

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
  if (typeof value.assets !== 'object' || typeof value.entries !== 'object' || typeof value.slugs !== 'object') return undefined
  return value as BuildStamp
}

/**
 * Read the messages of a stamp.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @param site The stamp's key (the messages of another build are not used).
 * @returns The messages, or `undefined` when they are missing or damaged.
 */
export async function readStampMessages(cacheDir: string, outDir: string, site: string): Promise<StampMessages | undefined> {
  const value = (await readJson(path.join(stampFolder(cacheDir, outDir), 'messages.json'))) as {site?: unknown; messages?: unknown} | undefined
  if (!value || value.site !== site || !Array.isArray(value.messages)) return undefined
  return value.messages as StampMessages
}

/**
 * Read the article results of a stamp.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @param site The stamp's key (the records of another build are not used).
 * @returns Cache key → the article's result; empty when they are missing or damaged.
 */
export async function readStampedArticles(cacheDir: string, outDir: string, site: string): Promise<StampedArticles> {
  const folder = stampFolder(cacheDir, outDir)
  const articles: StampedArticles = new Map()
  const value = (await readJson(path.join(folder, 'articles.json'))) as {site?: unknown; keys?: unknown} | undefined
  if (!value || value.site !== site || !Array.isArray(value.keys)) return articles
  const keys = value.keys as Array<string | null>
  try {
    for await (const [index, text, resultText] of readRecordedLines(path.join(folder, 'articles.records'))) {
      const key = keys[index]
      if (typeof key !== 'string') continue
      const result = JSON.parse(resultText) as RecordedResult
      if (result.built) articles.set(key, {result: result as StampedArticle['result'], text})
    }
  } catch {
    return new Map()
  }

  return articles
}

/** What a build keeps of its articles' results for the next one: its records, and the cache key of each position. */
export interface ArticlesToStamp {
  /** Keep the records under this name (see `ResultRecords.saveAs`). */
  save: (target: string) => Promise<void>
  /** Each position's cache key; `null` for an article not to take again (not built, not cached). */
  keys: ReadonlyArray<string | null>
}

/**
 * Write the stamp of a build that was just published. Best effort: a stamp
 * that cannot be written only costs the next build time. The previous stamp
 * is removed first, so that a failure never leaves a stamp describing
 * another folder state.
 *
 * @param cacheDir Cache root.
 * @param outDir Output folder (absolute).
 * @param stamp The stamp and the messages.
 * @param articles The articles' results.
 */
export async function writeStamp(cacheDir: string, outDir: string, stamp: StampToWrite, articles: ArticlesToStamp): Promise<void> {
  const folder = stampFolder(cacheDir, outDir)
  const {messages, ...head} = stamp
  // Written aside, then renamed into place.
  const whole = async (name: string, write: (temporary: string) => Promise<unknown>) => {
    const temporary = path.join(folder, `${name}.tmp-${randomBytes(6).toString('hex')}`)
    try {
      await write(temporary)
      await fs.rename(temporary, path.join(folder, name))
    } catch (error) {
      await fs.rm(temporary, {force: true})
      throw error
    }
  }

  try {
    await fs.mkdir(folder, {recursive: true})
    await fs.rm(path.join(folder, 'stamp.json'), {force: true})
    await whole('articles.records', (temporary) => articles.save(temporary))
    await whole('articles.json', (temporary) => fs.writeFile(temporary, JSON.stringify({site: stamp.site, keys: articles.keys})))
    // Piece by piece: every message of a large site, or the listing of its output folder, as one string, would be a peak of memory of its own.
    await whole('messages.json', (temporary) => writePieces(temporary, messagePieces(stamp.site, messages)))
    const output = await head.output()
    if (output) await whole('stamp.json', (temporary) => writePieces(temporary, stampPieces({...head, output})))
  } catch {
    // A read-only or full cache: the next build does all its work.
  }
}

/** The text of `messages.json`, article by article. */
function* messagePieces(site: string, messages: StampToWrite['messages']): Generator<string> {
  yield `{"site":${JSON.stringify(site)},"messages":[`
  let first = true
  for (const article of messages) {
    yield `${first ? '' : ','}${'text' in article ? `{"name":${JSON.stringify(article.name)},"messages":${article.text}}` : JSON.stringify(article)}`
    first = false
  }

  yield ']}'
}

/** The text of `stamp.json` (the JSON of a {@link BuildStamp}), its listing file by file. */
function* stampPieces(stamp: BuildStamp): Generator<string> {
  const {output, ...rest} = stamp
  yield JSON.stringify(rest).slice(0, -1) + `,"output":{"folders":${JSON.stringify(output.folders)},"files":{`
  let first = true
  for (const name in output.files) {
    yield `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(output.files[name])}`
    first = false
  }

  yield '}}}'
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
 * @param before Awaited before each entry of the folder's top level is
 *   listed: a folder just published lists each part once the old folder's
 *   part of that name is removed (removing a file's other link changes its
 *   `ctime`), while the rest is still being removed. A file listed too
 *   early only looks changed to the next build, which then makes it again.
 * @returns The listing, or `undefined` when it is missing or holds anything
 *   but files and folders (a symbolic link: nothing in it is trusted).
 */
export async function listOutput(outDir: string, before?: (name: string) => Promise<void>): Promise<OutputListing | undefined> {
  const listing: OutputListing = {files: {}, folders: []}
  // One folder after the other, names joined as strings (no `path.relative` per file), and one
  // `lstat` after the other, synchronously: for a site's thousands of files that is several times
  // faster than as promises (no round trip through the thread pool for a call that takes microseconds).
  const visit = (folder: string, prefix: string, entry: fsSync.Dirent): boolean => {
    const name = prefix + entry.name
    const file = folder + path.sep + entry.name
    if (entry.isDirectory()) {
      listing.folders.push(name)
      return walk(file, name + '/')
    }

    if (!entry.isFile()) return false
    const stats = fsSync.lstatSync(file)
    if (!stats.isFile()) return false
    listing.files[name] = [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino]
    return true
  }

  const walk = (folder: string, prefix: string): boolean => {
    for (const entry of fsSync.readdirSync(folder, {withFileTypes: true})) if (!visit(folder, prefix, entry)) return false
    return true
  }

  try {
    for (const entry of fsSync.readdirSync(outDir, {withFileTypes: true})) {
      await before?.(entry.name)
      if (!visit(outDir, '', entry)) return undefined
    }
  } catch {
    return undefined
  }

  listing.folders.sort()
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
