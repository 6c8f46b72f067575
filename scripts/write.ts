/**
 * Staging folder, manifest, atomic swap: the only stage that writes.
 *
 * Everything is written into a hidden folder beside the output folder; only
 * when all of it is on disk does a rename put it in place. A build that
 * fails or is killed leaves the previous output whole.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {OutputFile} from './types.ts'
import {versions} from './versions.ts'

export const manifestVersion = 1

export interface ManifestEntry {
  path: string
  article: string | null
  locale: string | null
  format: string | null
  bytes: number
  sha256: string
}

export interface Manifest {
  schemaVersion: typeof manifestVersion
  generator: typeof versions
  outputs: Array<ManifestEntry>
}

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

/** The manifest of a set of entries, sorted by path. */
export function manifestOf(entries: ReadonlyArray<ManifestEntry>): Manifest {
  const outputs = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return {schemaVersion: manifestVersion, generator: versions, outputs}
}

function siblings(outDir: string): {parent: string; base: string} {
  const resolved = path.resolve(outDir)
  return {parent: path.dirname(resolved), base: path.basename(resolved)}
}

/**
 * Put back an output folder that a build killed between its two renames
 * left aside, and remove staging folders of killed builds.
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

  const target = path.join(parent, base)
  const hasTarget = names.includes(base)
  for (const name of names.sort()) {
    if (name.startsWith(`.${base}.old-`) && !hasTarget) {
      await fs.rename(path.join(parent, name), target)
    } else if (name.startsWith(`.${base}.tmp-`) || name.startsWith(`.${base}.old-`)) {
      await fs.rm(path.join(parent, name), {recursive: true, force: true})
    }
  }
}

/**
 * Start a build's output: a fresh staging folder beside `outDir`, after
 * cleaning up what killed builds left. Outputs are written into it with
 * {@link stageFile} (from any worker) and put in place by {@link commitStaging}.
 *
 * @param outDir The output folder.
 * @returns The staging folder.
 */
export async function openStaging(outDir: string): Promise<string> {
  await recover(outDir)
  const {parent, base} = siblings(outDir)
  await fs.mkdir(parent, {recursive: true})
  return fs.mkdtemp(path.join(parent, `.${base}.tmp-`))
}

function stagedPath(staging: string, file: string): string {
  const target = path.join(staging, file)
  if (!target.startsWith(staging + path.sep)) throw new Error('output path escapes the output folder: `' + file + '`')
  return target
}

/**
 * Write one output into a staging folder.
 *
 * @param staging Folder from {@link openStaging}.
 * @param file The output (path relative to the output folder).
 * @returns Its manifest entry.
 */
export async function stageFile(staging: string, file: OutputFile): Promise<ManifestEntry> {
  const target = stagedPath(staging, file.path)
  await fs.mkdir(path.dirname(target), {recursive: true})
  await fs.writeFile(target, file.content)
  return manifestEntry(file)
}

/**
 * Copy a file that is already on disk (a cached or shard output) into a
 * staging folder.
 *
 * @param staging Folder from {@link openStaging}.
 * @param file Path relative to the output folder.
 * @param from The file to copy.
 */
export async function stageCopy(staging: string, file: string, from: string): Promise<void> {
  const target = stagedPath(staging, file)
  await fs.mkdir(path.dirname(target), {recursive: true})
  await fs.copyFile(from, target)
}

/**
 * Write `manifest.json` into a staging folder and swap the folder in for
 * `outDir`: the previous output stays whole until the last rename.
 *
 * @param staging Folder from {@link openStaging}, with every output in it.
 * @param outDir The output folder.
 * @param entries Manifest entries of every output.
 * @returns The manifest written.
 */
export async function commitStaging(staging: string, outDir: string, entries: ReadonlyArray<ManifestEntry>): Promise<Manifest> {
  const {parent, base} = siblings(outDir)
  const manifest = manifestOf(entries)
  await fs.writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

  const target = path.join(parent, base)
  const aside = path.join(parent, `.${base}.old-${process.pid}`)
  let moved = false
  try {
    await fs.rename(target, aside)
    moved = true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }

  await fs.rename(staging, target)
  if (moved) await fs.rm(aside, {recursive: true, force: true})
  return manifest
}

/**
 * Remove a staging folder: the build failed and the output stays as it was.
 *
 * @param staging Folder from {@link openStaging}.
 */
export async function discardStaging(staging: string): Promise<void> {
  await fs.rm(staging, {recursive: true, force: true})
}
