/**
 * The incremental build cache: one entry per built article, under
 * `.cache/zhpress/articles/`, keyed by everything its outputs depend on.
 * Entries are written whole (a folder renamed into place), never edited,
 * and the cache is safe to delete at any time: a miss only costs time.
 */
import {createHash, randomBytes} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {ManifestEntry} from './write.ts'
import {versions} from './versions.ts'

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
const cacheVersion = 1

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
}

/**
 * The cache key of an article.
 *
 * @param parts What the outputs depend on.
 * @returns A hex sha256.
 */
export function articleKey(parts: KeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([cacheVersion, parts.path, parts.project, parts.tool, parts.options]))
    .update('\0')
    .update(parts.source)
    .digest('hex')
}

/**
 * Fingerprint of the tool: zhpress's and its data's versions, the lockfile
 * (every dependency's exact version) and zhpress's own code, so an edit to
 * a stage or an upgrade of opencc-js never serves stale outputs.
 *
 * @param root Folder holding `package.json` and the code (`scripts/` or `lib/`).
 * @returns A hex sha256.
 */
export async function toolFingerprint(root = path.resolve(import.meta.dirname, '..')): Promise<string> {
  // The code that runs: `scripts/` under tsx, `lib/` when compiled.
  const hash = createHash('sha256').update(JSON.stringify(versions))
  for (const name of ['package.json', 'package-lock.json']) {
    hash.update(name + '\0')
    hash.update(await fs.readFile(path.join(root, name)).catch(() => ''))
  }

  const scripts = path.join(root, path.basename(import.meta.dirname))
  const entries = await fs.readdir(scripts, {recursive: true, withFileTypes: true})
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(scripts, path.join(entry.parentPath, entry.name)))
    .sort()
  for (const name of files) {
    hash.update(name + '\0')
    hash.update(await fs.readFile(path.join(scripts, name)))
  }

  return hash.digest('hex')
}

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

function entryFolder(folder: string, key: string): string {
  return path.join(folder, 'articles', key.slice(0, 2), key)
}

/**
 * Read a cache entry.
 *
 * @param folder Cache folder (`.cache/zhpress`).
 * @param key Key from {@link articleKey}.
 * @returns The record and a function giving the stored file of output `i`,
 *   or `undefined` on a miss.
 */
export async function readCache<Summary>(
  folder: string,
  key: string
): Promise<{record: CacheRecord<Summary>; file: (index: number) => string} | undefined> {
  const entry = entryFolder(folder, key)
  try {
    const record = JSON.parse(await fs.readFile(path.join(entry, 'entry.json'), 'utf8')) as CacheRecord<Summary>
    return {record, file: (index) => path.join(entry, String(index))}
  } catch {
    return undefined
  }
}

/**
 * Write a cache entry: output `i` is copied from `files[i]`. Written aside
 * and renamed into place, so a reader never sees half an entry; a failure
 * to write only loses the entry.
 *
 * @param folder Cache folder.
 * @param key Key from {@link articleKey}.
 * @param record What to remember.
 * @param files Files holding the outputs, in `record.outputs` order.
 */
export async function writeCache<Summary>(
  folder: string,
  key: string,
  record: CacheRecord<Summary>,
  files: ReadonlyArray<string>
): Promise<void> {
  const entry = entryFolder(folder, key)
  const temporary = `${entry}.tmp-${randomBytes(6).toString('hex')}`
  try {
    await fs.mkdir(temporary, {recursive: true})
    for (const [index, file] of files.entries()) await fs.copyFile(file, path.join(temporary, String(index)))
    await fs.writeFile(path.join(temporary, 'entry.json'), JSON.stringify(record))
    await fs.rename(temporary, entry)
  } catch {
    // Another build wrote the same entry first, or the cache is read-only.
    await fs.rm(temporary, {recursive: true, force: true})
  }
}
