/**
 * Vitest global setup: one temporary folder for the whole run, removed at
 * the end. Every test folder (`temporaryFolder`) is made inside it, and
 * the cache root of every build or conversion under test
 * (`ZHPRESS_CACHE_DIR`, inherited by subprocesses) is its `cache/`, so a
 * test run never writes into the checkout's `.cache/` and leaves nothing
 * behind. At the end, the run fails if anything in `tests/` (but the
 * screenshots of the browser tests) or in `.cache/` changed, unless
 * `UPDATE=1` asked for expected files to be rewritten.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const screenshots = path.join('tests', '.output', 'screenshots')

/** Every file of `tests/` and `.cache/` with its size and modification time. */
async function snapshot(): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const top of ['tests', '.cache']) {
    const entries = await fs.readdir(path.join(root, top), {recursive: true, withFileTypes: true}).catch(() => [])
    for (const entry of entries) {
      const name = path.relative(root, path.join(entry.parentPath, entry.name))
      if (entry.isDirectory() || name.startsWith(screenshots + path.sep)) continue
      const stats = await fs.lstat(path.join(root, name)).catch(() => undefined)
      if (stats) files.set(name, `${stats.size} ${stats.mtimeMs}`)
    }
  }

  return files
}

export default async function setup(): Promise<() => Promise<void>> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'zhpress-tests-'))
  process.env.ZHPRESS_TEST_TMP = folder
  process.env.ZHPRESS_CACHE_DIR = path.join(folder, 'cache')
  const before = await snapshot()
  return async () => {
    await fs.rm(folder, {recursive: true, force: true})
    if (process.env.UPDATE) return
    const after = await snapshot()
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name)).sort()
    if (changed.length > 0) {
      // Vitest reports a teardown error but keeps its exit code: fail the run ourselves.
      process.exitCode = 1
      throw new Error(`the test run wrote into the checkout (only ${screenshots}/ is allowed):\n${changed.join('\n')}`)
    }
  }
}
