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

/**
 * The manifest of a set of outputs, sorted by path.
 *
 * @param files Outputs (the manifest itself excluded).
 * @returns The manifest object.
 */
export function createManifest(files: ReadonlyArray<OutputFile>): Manifest {
  const outputs = files
    .map((file) => ({
      path: file.path,
      article: file.article ?? null,
      locale: file.locale ?? null,
      format: file.format ?? null,
      bytes: Buffer.byteLength(file.content),
      sha256: sha256(file.content)
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
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
 * Write all outputs and `manifest.json`, then swap them in for `outDir`.
 *
 * @param outDir The output folder (replaced as a whole).
 * @param files Outputs, paths relative to `outDir`.
 * @returns The manifest written.
 */
export async function publish(outDir: string, files: ReadonlyArray<OutputFile>): Promise<Manifest> {
  await recover(outDir)
  const {parent, base} = siblings(outDir)
  await fs.mkdir(parent, {recursive: true})
  const staging = await fs.mkdtemp(path.join(parent, `.${base}.tmp-`))

  try {
    const folders = new Set(files.map((file) => path.dirname(path.join(staging, file.path))))
    for (const folder of [...folders].sort()) await fs.mkdir(folder, {recursive: true})
    for (const file of files) {
      const target = path.join(staging, file.path)
      if (!target.startsWith(staging + path.sep)) throw new Error('output path escapes the output folder: `' + file.path + '`')
      await fs.writeFile(target, file.content)
    }

    const manifest = createManifest(files)
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
  } catch (error) {
    await fs.rm(staging, {recursive: true, force: true})
    throw error
  }
}
