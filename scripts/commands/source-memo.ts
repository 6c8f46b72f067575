/**
 * What the last build learnt of each source article, by its `stat` figures:
 * a rebuild takes an unchanged file's digest (for the slug pre-scan) and
 * cache key from here instead of reading and hashing every article again.
 *
 * A file is taken as unchanged only when its size, modification time,
 * change time and inode are those recorded, and its change time was older
 * than the moment they were recorded by more than {@link racyMargin}. Any
 * write to a file sets its change time to the clock's now (`utimes` cannot
 * set it back), so a file written again after it was recorded differs in
 * change time, unless both writes fell in one tick of the file system's
 * clock: the margin excludes that (as git does with "racily clean"
 * entries), and such a file is simply read again.
 */
import {createHash, randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type {SourceDigests} from './site-tree.ts'

/** Bump when the memo's layout changes. */
const memoVersion = 1

/**
 * A file changed less than this long before its figures were taken is read
 * again by the next build (file system clocks tick in milliseconds to
 * seconds: 2 s on FAT).
 */
export const racyMargin = 3000

/** `stat` figures: size, mtime, ctime (milliseconds), inode. */
type Figures = [size: number, mtimeMs: number, ctimeMs: number, ino: number]

/** The memo as stored: per article path (as diagnostics name it), its figures, digest and cache key. */
interface MemoFile {
  version: number
  /** What the keys depend on besides the path and bytes (see {@link keyContext}). */
  context: string
  /** When the figures were taken (`Date.now()` before the first `stat`). */
  at: number
  files: Record<string, [...Figures, digest: string, key: string]>
}

/** What a build knows of the source articles: the last memo, and this build's figures as they are taken. */
export interface SourceMemo {
  /** Where the memo is kept. */
  file: string
  /** The memo of the last build, when there is one. */
  last?: MemoFile
  /** When this build took its figures. */
  at: number
  /** This build's figures, per article path relative to `cwd`. */
  figures: Map<string, Figures | undefined>
  /** Digests found this build (from the memo or by reading). */
  digests: Map<string, string>
  /** Cache keys found this build. */
  keys: Map<string, string>
  cwd: string
}

/**
 * What the cache keys of articles depend on besides their path and bytes
 * (the project and tool fingerprints and the build options).
 */
export function keyContext(parts: {project: string; tool: string; options: unknown}): string {
  return createHash('sha256').update(JSON.stringify([parts.project, parts.tool, parts.options])).digest('hex')
}

/**
 * Open the memo of a source folder (kept in the cache folder).
 *
 * @param cacheFolder Cache root.
 * @param sourceDir Source folder (absolute).
 * @param cwd Folder the article paths are relative to.
 */
export function openSourceMemo(cacheFolder: string, sourceDir: string, cwd: string): SourceMemo {
  const file = path.join(cacheFolder, 'sources', createHash('sha256').update(sourceDir).digest('hex').slice(0, 32) + '.json')
  let last: MemoFile | undefined
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<MemoFile>
    if (value.version === memoVersion && typeof value.context === 'string' && typeof value.at === 'number' && value.files && typeof value.files === 'object') {
      last = value as MemoFile
    }
  } catch {
    // No memo yet, or a damaged one: every article is read.
  }

  return {file, ...(last ? {last} : {}), at: Date.now(), figures: new Map(), digests: new Map(), keys: new Map(), cwd}
}

/** The memo's entry of an article, when its figures now prove it unchanged since the memo was made. */
function unchanged(memo: SourceMemo, name: string): MemoFile['files'][string] | undefined {
  let figures = memo.figures.get(name)
  if (!memo.figures.has(name)) {
    try {
      const stats = fs.statSync(path.resolve(memo.cwd, name))
      figures = stats.isFile() ? [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino] : undefined
    } catch {
      figures = undefined
    }

    memo.figures.set(name, figures)
  }

  const entry = memo.last && Object.hasOwn(memo.last.files, name) ? memo.last.files[name] : undefined
  if (!figures || !entry || entry[2] >= memo.last!.at - racyMargin) return undefined
  for (let index = 0; index < 4; index++) if (entry[index] !== figures[index]) return undefined
  return entry
}

/**
 * The digest of an article's text (sha256 of its UTF-8), when its figures
 * prove it unchanged since the last build; else `undefined` (read it). Takes
 * the article's figures on the first call, before it is read.
 *
 * @param memo From {@link openSourceMemo}.
 * @param name Article path relative to `cwd`.
 */
export function knownDigest(memo: SourceMemo, name: string): string | undefined {
  const digest = unchanged(memo, name)?.[4]
  if (digest !== undefined) memo.digests.set(name, digest)
  return digest
}

/**
 * The cache key of an article, when its figures prove it unchanged and the
 * key's context is the last build's; else `undefined` (read it).
 *
 * @param memo From {@link openSourceMemo}.
 * @param name Article path relative to `cwd`.
 * @param context From {@link keyContext}.
 */
export function knownKey(memo: SourceMemo, name: string, context: string): string | undefined {
  if (memo.last?.context !== context) return undefined
  const key = unchanged(memo, name)?.[5]
  if (key !== undefined) memo.keys.set(name, key)
  return key
}

/**
 * Store what this build learnt (figures, digests, keys of every article it
 * has all three for), when that differs from the last memo. Best effort: a
 * read-only cache only means the next build reads every article.
 *
 * @param memo From {@link openSourceMemo}, after the build read or recognized every article.
 * @param context From {@link keyContext}.
 */
export function saveSourceMemo(memo: SourceMemo, context: string): void {
  const files: MemoFile['files'] = {}
  let changed = memo.last?.context !== context
  for (const [name, figures] of memo.figures) {
    const digest = memo.digests.get(name)
    const key = memo.keys.get(name)
    if (!figures || digest === undefined || key === undefined) continue
    files[name] = [...figures, digest, key]
    const before = memo.last && Object.hasOwn(memo.last.files, name) ? memo.last.files[name] : undefined
    if (!before || before.some((value, index) => value !== files[name]![index])) changed = true
  }

  if (!changed && Object.keys(files).length === Object.keys(memo.last?.files ?? {}).length) return
  // Entries recognized from the last memo keep their (older) change times: the newer moment is as safe for them.
  const value: MemoFile = {version: memoVersion, context, at: memo.at, files}
  const temporary = `${memo.file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    fs.mkdirSync(path.dirname(memo.file), {recursive: true})
    fs.writeFileSync(temporary, JSON.stringify(value))
    fs.renameSync(temporary, memo.file)
  } catch {
    fs.rmSync(temporary, {force: true})
  }
}

/**
 * The memo as `scanSite` takes it: digests known without reading, and the
 * digests of the articles it reads, recorded.
 *
 * @param memo From {@link openSourceMemo}.
 */
export function sourceDigests(memo: SourceMemo): SourceDigests {
  return {known: (name) => knownDigest(memo, name), found: (name, digest) => void memo.digests.set(name, digest)}
}
