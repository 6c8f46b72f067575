/**
 * A subprocess for tests/publish.test.ts: publishes the build in FRESH over
 * the output folder OUT by an in-place update (`commitInPlace`), staging only
 * the files that differ, and kills itself with SIGKILL after STOP files were
 * moved (0: before the journal is written; -1: never).
 *
 * Usage: node --import tsx tests/journal-child.ts OUT FRESH STOP
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {listOutput} from '../scripts/commands/build-stamp.ts'
import {commitInPlace, manifestTable, openStaging, outputMarker, sha256, type Manifest} from '../scripts/write.ts'

const [out, fresh, stopText] = process.argv.slice(2) as [string, string, string]
const stop = Number(stopText)
const listing = await listOutput(out)
if (!listing) throw new Error(`cannot list ${out}`)
const open = await openStaging(out)
if ('busy' in open) throw new Error(open.busy)
const manifest = JSON.parse(await fs.readFile(path.join(fresh, 'manifest.json'), 'utf8')) as Manifest
// The marker is added by commitInPlace itself.
const entries = manifest.outputs.filter((entry) => entry.path !== outputMarker)
for (const entry of entries) {
  const published = listing.files[entry.path] ? sha256(await fs.readFile(path.join(out, entry.path))) : undefined
  if (published === entry.sha256) continue
  await fs.mkdir(path.dirname(path.join(open.staging, entry.path)), {recursive: true})
  await fs.copyFile(path.join(fresh, entry.path), path.join(open.staging, entry.path))
}

if (stop === 0) process.kill(process.pid, 'SIGKILL')
let moved = 0
await commitInPlace(open, manifestTable(entries), {files: Object.keys(listing.files), folders: listing.folders}, () => {
  if (++moved === stop) process.kill(process.pid, 'SIGKILL')
})
process.stdout.write(`moved ${moved}\n`)
