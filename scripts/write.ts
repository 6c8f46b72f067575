/**
 * Staging folder, manifest, atomic swap: the only stage that writes.
 *
 * Everything is written into a hidden folder beside the output folder; only
 * when all of it is on disk does a rename put it in place. A build that
 * fails or is killed leaves the previous output whole.
 *
 * The output folder is zhpress's alone: every output folder holds a marker
 * file, and a folder is replaced only when it has the marker or is empty
 * ({@link checkOutput}). One build at a time writes an output folder: a
 * lock file beside it, created exclusively, holds the writer's PID.
 */
import {createHash, randomBytes} from 'node:crypto'
import fsSync, {constants} from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {Worker} from 'node:worker_threads'
import type {Manifest, ManifestEntry} from './bundle-types.ts'
import {manifestSchemaVersion} from './schemas.ts'
import type {OutputFile} from './types.ts'
import {versions} from './versions.ts'

export {manifestSchemaVersion as manifestVersion} from './schemas.ts'

// One definition, the shipped schema's (json/manifest.schema.json).
export type {Manifest, ManifestEntry} from './bundle-types.ts'

/** sha256 of a text as UTF-8, hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

/** The manifest entry of one output. */
export function manifestEntry(file: OutputFile): ManifestEntry {
  return {
    path: file.path,
    article: file.article ?? null,
    locale: file.locale ?? null,
    format: file.format ?? null,
    bytes: Buffer.byteLength(file.content),
    sha256: sha256(file.content)
  }
}

/**
 * Manifest entries held compactly until the manifest is written: a build
 * has 16 per article, and as objects (each with a 64-character hash) they
 * were a large part of a big site's final phase. Each hash is kept as its
 * 32 bytes, slugs, locales and formats as one string each.
 */
export interface ManifestTable {
  /** Add an entry. */
  add(entry: ManifestEntry): void
  /** How many entries. */
  readonly size: number
  /** The entries sorted by path (the manifest's order), each made as it is taken. */
  sorted(): Generator<ManifestEntry>
  /** The entries in the order they were added, each made as it is taken. */
  [Symbol.iterator](): Generator<ManifestEntry>
}

/**
 * A new {@link ManifestTable}.
 *
 * @param entries Entries to start with.
 * @returns The table.
 */
export function manifestTable(entries: Iterable<ManifestEntry> = []): ManifestTable {
  const paths: Array<string> = []
  const articles: Array<string | null> = []
  const locales: Array<ManifestEntry['locale']> = []
  const formats: Array<string | null> = []
  const sizes: Array<number> = []
  let hashes = new Uint8Array(32 * 1024)
  const others = new Map<number, string>()
  // One string per slug, locale and format, however many entries name it.
  const names = new Map<string, string>()
  const name = <T extends string | null>(value: T): T => {
    if (value === null) return value
    const known = names.get(value)
    if (known !== undefined) return known as T
    names.set(value, value)
    return value
  }

  const table: ManifestTable = {
    add(entry) {
      const position = paths.length
      if (32 * (position + 1) > hashes.length) {
        const larger = new Uint8Array(hashes.length * 2)
        larger.set(hashes)
        hashes = larger
      }

      // A hash that is not 64 hex digits (a damaged shard's manifest) is kept as it is, to be written back as it was.
      if (/^[\da-f]{64}$/.test(entry.sha256)) hashes.set(Buffer.from(entry.sha256, 'hex'), 32 * position)
      else others.set(position, entry.sha256)
      paths.push(entry.path)
      articles.push(name(entry.article))
      locales.push(name(entry.locale))
      formats.push(name(entry.format))
      sizes.push(entry.bytes)
    },
    get size() {
      return paths.length
    },
    *sorted() {
      const order = Uint32Array.from(paths.keys())
      order.sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : a - b))
      for (const position of order) yield entryAt(position)
    },
    *[Symbol.iterator]() {
      for (const position of paths.keys()) yield entryAt(position)
    }
  }
  // Made when taken, never kept.
  const entryAt = (position: number): ManifestEntry => ({
    path: paths[position]!,
    article: articles[position]!,
    locale: locales[position]!,
    format: formats[position]!,
    bytes: sizes[position]!,
    sha256: others.get(position) ?? Buffer.from(hashes.buffer, hashes.byteOffset + 32 * position, 32).toString('hex')
  })
  for (const entry of entries) table.add(entry)
  return table
}

/** File in every output folder zhpress writes: only a folder holding it (or an empty one) is replaced. */
export const outputMarker = '.zhpress-output'

const markerText = 'This folder is written by zhpress: the next build replaces it as a whole.\n'

/** An output folder opened for writing: its staging folder, lock and the parents the build created. */
export interface OpenOutput {
  /** The output folder, absolute. */
  outDir: string
  /** The staging folder; outputs go in with {@link stageFile}. */
  staging: string
  /** The lock file beside the output folder. */
  lock: string
  /** The first parent folder this build created (removed again if the build fails), if any. */
  created: string | undefined
  /** A thread started ahead to remove the old output folder once the new one is in place (see {@link startRemoval}). */
  remover?: Remover
}

/** Another build holds the output folder. */
export interface BusyOutput {
  busy: string
}

function siblings(outDir: string): {parent: string; base: string} {
  const resolved = path.resolve(outDir)
  return {parent: path.dirname(resolved), base: path.basename(resolved)}
}

/** Whether `folder` is `parent` or inside it. */
export function within(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder)
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative))
}

/** The real path of a path that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
export async function realPathOf(file: string): Promise<string> {
  const resolved = path.resolve(file)
  const rest: Array<string> = []
  let current = resolved
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest)
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return resolved
      rest.unshift(path.basename(current))
      current = parent
    }
  }
}

/**
 * Check that a folder may be replaced as a whole by zhpress's output.
 *
 * Refused: a symlink (zhpress does not follow it: give the real folder), a
 * file, a non-empty folder without the {@link outputMarker}, the root or
 * home folder, a folder holding the working folder, and any folder that
 * overlaps one of `keep` (the sources, the shards), all compared as real
 * paths so that a symlink cannot hide an overlap.
 *
 * @param outDir The output folder (absolute).
 * @param options `name`: how the user wrote it; `cwd`: working folder;
 *   `keep`: folders the output must neither hold nor sit in, each with the
 *   option that named it (`--source \`x\``).
 * @returns Why the folder is refused, with what to do; `undefined` when it may be replaced.
 */
export async function checkOutput(
  outDir: string,
  options: {name: string; cwd: string; keep: ReadonlyArray<{folder: string; label: string}>}
): Promise<string | undefined> {
  const named = `--out \`${options.name}\``
  const real = await realPathOf(outDir)
  const home = await realPathOf(os.homedir())
  if (real === path.parse(real).root) return `${named} is the root folder; zhpress replaces the output folder as a whole: give a folder of its own, such as dist`
  if (real === home) return `${named} is your home folder; zhpress replaces the output folder as a whole: give a folder of its own, such as dist`
  if (within(await realPathOf(options.cwd), real)) {
    return `${named} holds the working folder; zhpress replaces the output folder as a whole: give a folder of its own inside the project, such as dist`
  }

  for (const {folder, label} of options.keep) {
    const kept = await realPathOf(folder)
    if (within(kept, real) || within(real, kept)) {
      return `${named} overlaps ${label}; zhpress replaces the output folder as a whole, so it would take them with it: put the output elsewhere`
    }
  }

  let stats
  try {
    stats = await fs.lstat(outDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  if (stats.isSymbolicLink()) return `${named} is a symbolic link; zhpress does not replace what a link points to: give the real folder (${await realPathOf(outDir)})`
  if (!stats.isDirectory()) return `${named} is a file, not a folder; zhpress would replace it: give a folder, or move the file away`
  if (await hasMarker(outDir)) return undefined
  const names = await fs.readdir(outDir)
  if (names.length === 0) return undefined
  return `${named} is a folder zhpress did not make (it has no ${outputMarker}) and it is not empty; zhpress replaces the output folder as a whole: give a new or empty folder, or move its contents away yourself`
}

/**
 * Whether a folder carries the marker of a zhpress output folder.
 *
 * @param folder The folder.
 */
export async function hasMarker(folder: string): Promise<boolean> {
  try {
    return (await fs.lstat(path.join(folder, outputMarker))).isFile()
  } catch {
    return false
  }
}

/** Whether a process of this machine with that id is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface LockInfo {
  pid: number
  host: string
  started: string
}

async function readLock(lock: string): Promise<LockInfo | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(lock, 'utf8')) as Partial<LockInfo>
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockInfo) : undefined
  } catch {
    return undefined
  }
}

/** Take the lock of an output folder; a lock whose process on this machine is gone is stale and taken over. */
async function takeLock(lock: string, display: string): Promise<BusyOutput | undefined> {
  const info: LockInfo = {pid: process.pid, host: os.hostname(), started: new Date().toISOString()}
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(lock, JSON.stringify(info) + '\n', {flag: 'wx'})
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }

    const holder = await readLock(lock)
    if (holder && (holder.host !== os.hostname() || alive(holder.pid))) {
      return {
        busy: `another build (process ${holder.pid} on ${holder.host}, started ${holder.started}) is writing ${display}; wait for it to finish and run again (if that process is gone, remove ${lock})`
      }
    }

    // Stale (its process is gone) or unreadable (killed mid-write): move it
    // aside under a unique name, so two builds cannot both remove it.
    const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
    try {
      await fs.rename(lock, aside)
      await fs.rm(aside, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }

  return {busy: `cannot take the lock ${lock}: other builds keep taking it; run again`}
}

/** The process id in a staging or aside folder name (`.dist.tmp-<pid>-<random>`), if any. */
function ownerOf(name: string): number | undefined {
  const match = /\.(?:tmp|old)-(\d+)(?:-|$)/.exec(name)
  return match ? Number(match[1]) : undefined
}

/**
 * Put back an output folder that a build killed between its two renames
 * left aside, and remove staging folders of killed builds. Call it only
 * while holding the output folder's lock: staging folders of running
 * builds (their process is alive) are left alone all the same.
 *
 * @param outDir The output folder.
 */
export async function recover(outDir: string): Promise<void> {
  const {parent, base} = siblings(outDir)
  let names: Array<string>
  try {
    names = await fs.readdir(parent)
  } catch {
    return
  }

  // An in-place update cut short is finished first: its staging folder holds the files still to move.
  if (names.includes(`.${base}.journal`)) await rollForward(outDir)
  const target = path.join(parent, base)
  const hasTarget = names.includes(base)
  for (const name of names.sort()) {
    const owner = ownerOf(name)
    if (owner !== undefined && owner !== process.pid && alive(owner)) continue
    if (name.startsWith(`.${base}.old-`) && !hasTarget) {
      await fs.rename(path.join(parent, name), target)
    } else if (name.startsWith(`.${base}.tmp-`) || name.startsWith(`.${base}.old-`) || name.startsWith(`.${base}.journal.tmp-`)) {
      await fs.rm(path.join(parent, name), {recursive: true, force: true})
    }
  }
}

/**
 * Start a build's output: take the output folder's lock, clean up what
 * killed builds left, and make a fresh staging folder beside `outDir`.
 * Outputs are written into it with {@link stageFile} (from any worker) and
 * put in place by {@link commitStaging}; {@link discardStaging} drops them.
 * Parents of `outDir` that do not exist are created, and removed again if
 * the build fails. Folder modes follow the umask.
 *
 * @param outDir The output folder (checked with {@link checkOutput} first).
 * @returns The open output, or why another build holds it.
 */
export async function openStaging(outDir: string): Promise<OpenOutput | BusyOutput> {
  const {parent, base} = siblings(outDir)
  const created = await fs.mkdir(parent, {recursive: true})
  const lock = path.join(parent, `.${base}.lock`)
  let busy: BusyOutput | undefined
  try {
    busy = await takeLock(lock, path.join(parent, base))
  } catch (error) {
    await removeCreated(parent, created)
    throw error
  }

  if (busy) {
    await removeCreated(parent, created)
    return busy
  }

  const open = {outDir: path.join(parent, base), staging: '', lock, created}
  try {
    await recover(outDir)
    // mkdir, not mkdtemp: mkdtemp makes the folder 0700 whatever the umask,
    // and that folder becomes the published one.
    const staging = path.join(parent, `.${base}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
    await fs.mkdir(staging)
    open.staging = staging
    return open
  } catch (error) {
    await releaseOutput(open)
    throw error
  }
}

/** Remove the parents of a folder that this build created, deepest first, as far as they are empty. */
async function removeCreated(parent: string, created: string | undefined): Promise<void> {
  if (created === undefined) return
  let current = parent
  while (within(current, created)) {
    try {
      await fs.rmdir(current)
    } catch {
      return
    }

    if (current === created) return
    current = path.dirname(current)
  }
}

async function releaseOutput(open: OpenOutput): Promise<void> {
  await open.remover?.close()
  const holder = await readLock(open.lock)
  if (holder?.pid === process.pid) await fs.rm(open.lock, {force: true})
}

function stagedPath(staging: string, file: string): string {
  const target = path.join(staging, file)
  if (!target.startsWith(staging + path.sep)) throw new Error('output path escapes the output folder: `' + file + '`')
  return target
}

/** An output to stage: its text, or its text already encoded as UTF-8. */
export type StagedOutput = Omit<OutputFile, 'content'> & {content: string | Uint8Array}

/** Create a file (it must not exist) holding bytes: `fs.writeFile`'s callback form, which opens no `FileHandle`. */
const writeNewFile = promisify((target: string, bytes: Uint8Array, done: (error: NodeJS.ErrnoException | null) => void) =>
  fsSync.writeFile(target, bytes, {flag: 'wx'}, done)
)

/**
 * Write one output into a staging folder. The text is encoded once (the
 * bytes written are the bytes hashed), by the callback form of
 * `fs.writeFile` (the promise form makes a `FileHandle` per file, a large
 * part of staging thousands of small files). The folder is made only when
 * the file cannot be created without it, so a folder that is there costs
 * no call.
 *
 * @param staging Staging folder of an {@link OpenOutput}.
 * @param file The output (path relative to the output folder), its content
 *   as text or as UTF-8 bytes.
 * @returns Its manifest entry.
 */
export async function stageFile(staging: string, file: StagedOutput): Promise<ManifestEntry> {
  const target = stagedPath(staging, file.path)
  const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content
  // Created, never written through: a staged file may be a hard link to a
  // published one (see stageLink). A file already there (two articles on
  // one path, which fails the build) is unlinked first.
  for (let attempt = 0; ; attempt++) {
    try {
      await writeNewFile(target, bytes)
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && attempt < 2) await fs.mkdir(path.dirname(target), {recursive: true})
      else if (code === 'EEXIST' && attempt < 2) await fs.rm(target)
      else throw error
    }
  }

  return {
    path: file.path,
    article: file.article ?? null,
    locale: file.locale ?? null,
    format: file.format ?? null,
    bytes: bytes.byteLength,
    sha256: sha256(bytes)
  }
}

/**
 * The text `JSON.stringify({...head, [key]: [...items]}, null, 2) + '\n'`
 * gives, in pieces: the list `key` (last) item by item, so that a long list
 * (every message of a site, every output of its manifest) is never one string.
 *
 * @param head The object's other fields, in order.
 * @param key The list's field.
 * @param items The list.
 * @returns Pieces that join into that text.
 */
export function* jsonListPieces(head: Readonly<Record<string, unknown>>, key: string, items: Iterable<unknown>): Generator<string> {
  const opening = JSON.stringify(head, null, 2)
  yield (opening === '{}' ? '{\n  ' : opening.slice(0, -2) + ',\n  ') + JSON.stringify(key) + ': '
  let first = true
  let batch: Array<unknown> = []
  // A few dozen items at a time (no string long enough for V8's large objects), written by JSON.stringify as the list of a
  // field (so already indented as they stand in the whole), cut out of `{"k": [` … `]}`.
  const cut = () => {
    const text = JSON.stringify({k: batch}, null, 2)
    const piece = (first ? '[\n' : ',\n') + text.slice('{\n  "k": [\n'.length, -'\n  ]\n}'.length)
    first = false
    batch = []
    return piece
  }

  for (const item of items) {
    batch.push(item)
    if (batch.length === 64) yield cut()
  }

  if (batch.length > 0) yield cut()
  yield first ? '[]\n}\n' : '\n  ]\n}\n'
}

/**
 * Write pieces of text into a file, in writes of about 16 KiB. The writes
 * are synchronous: each is a copy into the page cache, shorter than the
 * trip through the thread pool a promise would make (a site's manifest is a
 * few hundred of them, on the build's last stretch, where nothing else runs).
 *
 * @param file Path; created, or replaced when `flag` allows.
 * @param pieces The text.
 * @param flag `fs.open` flag (default `w`).
 * @returns Bytes written and their sha256.
 */
export async function writePieces(file: string, pieces: Iterable<string>, flag = 'w'): Promise<{bytes: number; sha256: string}> {
  const hash = createHash('sha256')
  const descriptor = fsSync.openSync(file, flag)
  let bytes = 0
  try {
    let buffer: Array<string> = []
    let size = 0
    const flush = () => {
      const chunk = Buffer.from(buffer.join(''))
      buffer = []
      size = 0
      hash.update(chunk)
      bytes += chunk.length
      for (let written = 0; written < chunk.length; ) written += fsSync.writeSync(descriptor, chunk, written)
    }

    for (const piece of pieces) {
      buffer.push(piece)
      size += piece.length
      // Small writes: a string past 64 KB would go among V8's large objects, freed only by a full collection.
      if (size >= 16_384) flush()
    }

    flush()
  } finally {
    fsSync.closeSync(descriptor)
  }

  return {bytes, sha256: hash.digest('hex')}
}

/**
 * Write a JSON object whose last field is a long list into a staging folder
 * without making it one string: the bytes `formatJson` would give.
 *
 * @param staging Staging folder of an {@link OpenOutput}.
 * @param file The output without its content (path, article, locale, format).
 * @param head The object's other fields; `key` the list's field; `items` the list.
 * @returns Its manifest entry.
 */
export async function stageJsonList(
  staging: string,
  file: Omit<OutputFile, 'content'>,
  head: Readonly<Record<string, unknown>>,
  key: string,
  items: Iterable<unknown>
): Promise<ManifestEntry> {
  const target = stagedPath(staging, file.path)
  await fs.mkdir(path.dirname(target), {recursive: true})
  await fs.rm(target, {force: true})
  const {bytes, sha256} = await writePieces(target, jsonListPieces(head, key, items), 'wx')
  return {path: file.path, article: file.article ?? null, locale: file.locale ?? null, format: file.format ?? null, bytes, sha256}
}

/**
 * Put a file of the published output folder into a staging folder, for an
 * output that has not changed: a hard link (no byte copied), or a copy
 * where a link cannot be made (another device, a file system without
 * links). The file is never written again: staged files are created, never
 * overwritten, and after the swap the old folder is removed, so the link
 * becomes the file's only name and the output folder stays a plain folder.
 *
 * @param staging Staging folder of an {@link OpenOutput}.
 * @param file Path relative to the output folder.
 * @param from The published file.
 */
export async function stageLink(staging: string, file: string, from: string): Promise<void> {
  const target = stagedPath(staging, file)
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.link(from, target)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && attempt < 2) {
        // The folder is not there yet (or `from` is missing: the next attempt says so).
        await fs.mkdir(path.dirname(target), {recursive: true})
      } else if (code === 'EEXIST' && attempt < 2) {
        // A file already there (two articles on one path, which fails the build) is unlinked first.
        await fs.rm(target, {force: true})
      } else if (code === 'ENOENT' || code === 'EEXIST') {
        throw error
      } else {
        // No links here (another device, a file system without them): a copy.
        await fs.mkdir(path.dirname(target), {recursive: true})
        await fs.copyFile(from, target, constants.COPYFILE_EXCL)
        return
      }
    }
  }
}

/**
 * {@link stageLink} for many files: each link is made synchronously, and
 * only a link that fails (its folder not there yet, a file in the way, no
 * links on this file system) takes {@link stageLink}'s way. A rebuild links
 * thousands of unchanged files, and a link takes microseconds: as promises,
 * the round trips through the thread pool cost more than the links.
 *
 * @param staging Staging folder of an {@link OpenOutput}.
 * @param files Paths relative to the output folder, and the published file each is linked from.
 */
export async function stageLinks(staging: string, files: ReadonlyArray<{file: string; from: string}>): Promise<void> {
  for (const {file, from} of files) {
    try {
      fsSync.linkSync(from, stagedPath(staging, file))
    } catch {
      await stageLink(staging, file, from)
    }
  }
}

/**
 * Copy a file that is already on disk (a cached or shard output) into a
 * staging folder.
 *
 * @param staging Staging folder of an {@link OpenOutput}.
 * @param file Path relative to the output folder.
 * @param from The file to copy.
 */
export async function stageCopy(staging: string, file: string, from: string): Promise<void> {
  const target = stagedPath(staging, file)
  await fs.mkdir(path.dirname(target), {recursive: true})
  // A plain copy of the bytes: no reflink of a file we do not own, and
  // never through a link planted at the target.
  await fs.copyFile(from, target, constants.COPYFILE_EXCL)
}

/**
 * Write the output marker and `manifest.json` (which lists the marker too) into the staging folder and
 * swap it in for the output folder: the previous output stays whole until
 * the last rename. The previous folder, renamed aside, is removed on a
 * thread of its own while the caller goes on (a large site's thousands of
 * unlinks); the lock is released once it is gone (`settled`).
 *
 * @param open From {@link openStaging}, with every output staged.
 * @param entries Manifest entries of every output.
 * @returns The manifest written; `settled`: the old folder removed and the lock released; `removed`: when an
 *   entry of the old folder's top level (`json`, `manifest.json`…) is gone, before the rest of it (a file
 *   linked into the new folder has its `ctime` changed by the unlink of its old link: see `listOutput`).
 */
export async function commitStaging(
  open: OpenOutput,
  entries: ReadonlyArray<ManifestEntry> | ManifestTable
): Promise<{manifest: Manifest; settled: Promise<void>; removed: (name: string) => Promise<void>}> {
  const {parent, base} = siblings(open.outDir)
  const marker = await stageFile(open.staging, {path: outputMarker, content: markerText})
  const table = 'sorted' in entries ? entries : manifestTable(entries)
  table.add(marker)
  const head: Omit<Manifest, 'outputs'> = {schemaVersion: manifestSchemaVersion, generator: versions}
  // Item by item: the manifest of a large site, as one string, would be a peak of memory of its own.
  await writePieces(path.join(open.staging, 'manifest.json'), jsonListPieces(head, 'outputs', table.sorted()))

  const target = path.join(parent, base)
  const aside = path.join(parent, `.${base}.old-${process.pid}`)
  let moved = false
  try {
    await fs.rename(target, aside)
    moved = true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }

  await fs.rename(open.staging, target)
  const gone = new Map<string, {promise: Promise<void>; resolve: () => void}>()
  const entry = (name: string) => {
    let each = gone.get(name)
    if (!each) {
      let resolve = () => {}
      const promise = new Promise<void>((done) => (resolve = done))
      each = {promise, resolve}
      gone.set(name, each)
    }

    return each
  }

  let over = !moved
  const settled = (async () => {
    try {
      const removed = (name: string) => entry(name).resolve()
      if (moved) await (open.remover ? open.remover.remove(aside, removed) : removeTreeAsync(aside, removed))
    } finally {
      over = true
      for (const each of gone.values()) each.resolve()
      await releaseOutput(open)
    }
  })()
  // Awaited by the caller; never an unhandled rejection meanwhile.
  settled.catch(() => {})
  return {manifest: manifestView(head, table), settled, removed: async (name) => (over ? undefined : entry(name).promise)}
}

/**
 * What an in-place update of an output folder does, written beside it
 * (`.<out>.journal`) before the first change and removed after the last: a
 * build killed part way is rolled forward by the next one ({@link recover}).
 * Paths are relative to the output folder, `/`-separated.
 */
export interface Journal {
  version: 1
  /** Name of the staging folder (beside the output folder) the new files come from. */
  staging: string
  /** Files of the old output that the new one does not have. */
  deletes: Array<string>
  /** Folders of the old output that the new one does not have, deepest first (removed once empty). */
  folders: Array<string>
  /** Files moved from the staging folder into the output folder, replacing the old ones. */
  moves: Array<string>
}

function journalFile(outDir: string): string {
  const {parent, base} = siblings(outDir)
  return path.join(parent, `.${base}.journal`)
}

/**
 * Carry out a journal: remove the files and folders the new output drops,
 * then move each staged file in (its folder made first). Every step can be
 * taken again: a file already moved is no longer in the staging folder, a
 * file already removed is not there. Synchronous: thousands of calls that
 * take microseconds each.
 *
 * @param outDir The output folder.
 * @param journal The journal.
 * @param step Called after each file moved (tests stop a process there).
 */
export function applyJournal(outDir: string, journal: Journal, step?: () => void): void {
  const staging = path.join(path.dirname(path.resolve(outDir)), journal.staging)
  const inside = (file: string) => {
    const target = path.join(outDir, file)
    if (!within(target, outDir) || target === path.resolve(outDir)) throw new Error('journal path escapes the output folder: `' + file + '`')
    return target
  }

  for (const file of journal.deletes) {
    try {
      fsSync.unlinkSync(inside(file))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }

  for (const folder of journal.folders) {
    try {
      fsSync.rmdirSync(inside(folder))
    } catch {
      // Already gone, or not empty (then the listing of the next build sees it).
    }
  }

  const made = new Set<string>()
  for (const file of journal.moves) {
    const from = path.join(staging, file)
    const target = inside(file)
    if (!within(from, staging)) throw new Error('journal path escapes the staging folder: `' + file + '`')
    if (!fsSync.existsSync(from)) continue
    const folder = path.dirname(target)
    if (!made.has(folder)) {
      fsSync.mkdirSync(folder, {recursive: true})
      made.add(folder)
    }

    fsSync.renameSync(from, target)
    step?.()
  }
}

/**
 * Roll forward an in-place update that a killed build left part way: its
 * journal is carried out and removed. A journal is written whole (renamed
 * into place), so one that is there is complete; without one, the output
 * folder was not touched and the staging folder is only a leftover. Call it
 * only while holding the output folder's lock.
 *
 * @param outDir The output folder.
 */
export async function rollForward(outDir: string): Promise<void> {
  const file = journalFile(outDir)
  let journal: Journal
  try {
    journal = JSON.parse(await fs.readFile(file, 'utf8')) as Journal
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    // Unreadable: it cannot be carried out, and a build that wrote none never started changing the folder.
    await fs.rm(file, {force: true})
    return
  }

  if (journal.version === 1 && Array.isArray(journal.moves) && Array.isArray(journal.deletes) && Array.isArray(journal.folders) && (await hasMarker(outDir))) {
    applyJournal(outDir, journal)
  }

  await fs.rm(file, {force: true})
}

/**
 * Publish a staging folder by updating the output folder in place, for a
 * build that left most of the output as it was (the unchanged articles'
 * files are not in the staging folder at all): the marker and
 * `manifest.json` are staged, a journal names every file to remove and to
 * move in, then it is carried out ({@link applyJournal}) and removed. A
 * build killed before the journal is in place leaves the old output
 * untouched; one killed after it, part way, is rolled forward by the next
 * build ({@link recover}). Releases the lock.
 *
 * @param open From {@link openStaging}, with the changed outputs staged.
 * @param entries Manifest entries of every output, staged or kept.
 * @param previous The output folder's files and folders now (as listed and checked by the caller).
 * @param step Called after each file moved (see {@link applyJournal}).
 * @returns The manifest written, and the files moved in (whose `lstat` figures changed).
 */
export async function commitInPlace(
  open: OpenOutput,
  entries: ManifestTable,
  previous: {files: Iterable<string>; folders: Iterable<string>},
  step?: () => void
): Promise<{manifest: Manifest; moved: Array<string>; folders: Array<string>}> {
  const marker = await stageFile(open.staging, {path: outputMarker, content: markerText})
  entries.add(marker)
  const head: Omit<Manifest, 'outputs'> = {schemaVersion: manifestSchemaVersion, generator: versions}
  await writePieces(path.join(open.staging, 'manifest.json'), jsonListPieces(head, 'outputs', entries.sorted()))

  const moves: Array<string> = []
  for (const entry of fsSync.readdirSync(open.staging, {recursive: true, withFileTypes: true})) {
    if (!entry.isDirectory()) moves.push(path.relative(open.staging, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
  }

  const kept = new Set(moves)
  kept.add('manifest.json')
  for (const entry of entries.sorted()) kept.add(entry.path)
  const folders = new Set<string>()
  for (const file of kept) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) folders.add(file.slice(0, slash))
  }

  const journal: Journal = {
    version: 1,
    staging: path.basename(open.staging),
    deletes: [...previous.files].filter((file) => !kept.has(file)),
    folders: [...previous.folders].filter((folder) => !folders.has(folder)).sort((a, b) => b.length - a.length),
    moves
  }
  const file = journalFile(open.outDir)
  const temporary = `${file}.tmp-${process.pid}`
  await fs.writeFile(temporary, JSON.stringify(journal))
  await fs.rename(temporary, file)
  applyJournal(open.outDir, journal, step)
  await fs.rm(file, {force: true})
  removeTree(open.staging)
  await releaseOutput(open)
  return {manifest: manifestView(head, entries), moved: moves, folders: [...folders].sort()}
}

/**
 * A manifest whose entries are made from the table when first asked for
 * (`outputs`): a caller that only publishes never holds them as objects.
 */
function manifestView(head: Omit<Manifest, 'outputs'>, table: ManifestTable): Manifest {
  let outputs: Array<ManifestEntry> | undefined
  return {
    ...head,
    get outputs() {
      outputs ??= [...table.sorted()]
      return outputs
    },
    set outputs(value) {
      outputs = value
    }
  }
}

/**
 * Remove a folder and everything in it, synchronously: one listing, then
 * every file unlinked and every folder removed, deepest first (thousands of
 * unlinks, each faster than a round trip through the thread pool; Node's
 * own recursive removal tries `rmdir` on every entry first). Links are
 * removed, never followed. Anything unexpected takes `fs.rmSync`'s way.
 *
 * @param folder The folder.
 */
export function removeTree(folder: string): void {
  try {
    emptyFolder(fsSync, path.sep, folder)
    fsSync.rmdirSync(folder)
  } catch {
    fsSync.rmSync(folder, {recursive: true, force: true})
  }
}

/** A thread that removes one folder ({@link removeTree}) when told which, while this one goes on. */
interface Remover {
  /** Remove the folder (here, where the thread cannot), telling `removed` each entry of its top level as it is gone. */
  remove(folder: string, removed?: (name: string) => void): Promise<void>
  /** Stop the thread if it was never told a folder. */
  close(): Promise<void>
}

/**
 * Start the thread that will remove the old output folder when the build
 * commits ({@link commitStaging}): started while the build still runs, its
 * start-up is not waited for after the commit. Stopped when the output is
 * released, if unused. Not started when there is no output folder yet (a
 * first build has nothing to remove).
 *
 * @param open From {@link openStaging}.
 */
export function startRemoval(open: OpenOutput): void {
  if (fsSync.existsSync(open.outDir)) open.remover ??= startRemover()
}

/**
 * {@link removeTree} on a thread of its own, while this one goes on (the
 * old output folder of a large site: thousands of unlinks). Where the
 * thread cannot do it, it is done here.
 *
 * @param folder The folder.
 * @param removed Told each entry of the folder's top level as it is gone.
 */
export async function removeTreeAsync(folder: string, removed?: (name: string) => void): Promise<void> {
  await startRemover().remove(folder, removed)
}

function startRemover(): Remover {
  // The same loop as removeTree, its source given to the thread (it uses nothing but its arguments).
  const source = `${emptyFolder.toString()}
const fs = require('node:fs')
const {parentPort} = require('node:worker_threads')
parentPort.once('message', (folder) => {
  emptyFolder(fs, require('node:path').sep, folder, (name) => parentPort.postMessage(name))
  fs.rmdirSync(folder)
  parentPort.close()
})`
  const worker = new Worker(source, {eval: true})
  // Waiting for a folder must not keep the process alive.
  worker.unref()
  const exited = new Promise<boolean>((resolve) => {
    worker.on('error', () => resolve(false))
    worker.on('exit', (code) => resolve(code === 0))
  })
  let told = false
  return {
    async remove(folder, removed) {
      told = true
      worker.ref()
      if (removed) worker.on('message', removed)
      worker.postMessage(folder)
      if (!(await exited)) removeTree(folder)
    },
    async close() {
      if (told) return
      told = true
      await worker.terminate()
    }
  }
}

/**
 * Unlink every file under a folder and remove every folder under it, deepest first (the folder itself stays),
 * telling `removed` the name of each of its entries once it is gone.
 */
function emptyFolder(fs: typeof fsSync, sep: string, folder: string, removed?: (name: string) => void): void {
  for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
    const file = folder + sep + entry.name
    if (entry.isDirectory()) {
      emptyFolder(fs, sep, file)
      fs.rmdirSync(file)
    } else {
      fs.unlinkSync(file)
    }

    removed?.(entry.name)
  }
}

/**
 * Remove a staging folder, the lock and the parents this build created: the
 * build failed and the output stays as it was.
 *
 * @param open From {@link openStaging}.
 */
export async function discardStaging(open: OpenOutput): Promise<void> {
  await fs.rm(open.staging, {recursive: true, force: true})
  await releaseOutput(open)
  await removeCreated(path.dirname(open.outDir), open.created)
}

/**
 * The key under which two file names are one file on a case-insensitive
 * file system (macOS, Windows): NFKC, then case folded through upper case,
 * so that `ΑΣ`, `ας` and `ασ`, or `Ａ` and `a`, share a key.
 *
 * @param name A file name or slug.
 */
export function fileNameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC')
}
