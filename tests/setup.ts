/**
 * Vitest global setup: one temporary folder for the whole run, removed at
 * the end. Every test folder (`temporaryFolder`) is made inside it, and
 * the cache root of every build or conversion under test
 * (`ZHPRESS_CACHE_DIR`, inherited by subprocesses) is its `cache/`, so a
 * test run never writes into the checkout's `.cache/` and leaves nothing
 * behind.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export default async function setup(): Promise<() => Promise<void>> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'zhpress-tests-'))
  process.env.ZHPRESS_TEST_TMP = folder
  process.env.ZHPRESS_CACHE_DIR = path.join(folder, 'cache')
  return async () => {
    await fs.rm(folder, {recursive: true, force: true})
  }
}
