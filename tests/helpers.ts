/**
 * Shared test helpers: an in-memory Io, an in-process CLI runner and temp folders.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {main} from '../scripts/commands/index.ts'
import type {Io} from '../scripts/types.ts'

export const root = path.resolve(import.meta.dirname, '..')
export const fixtures = path.join(root, 'tests', 'fixtures')
/** Reference data copied from ../shared/anchors (see tests/fixtures/opencc/SOURCE.md). */
export const opencc = path.join(fixtures, 'opencc')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Run the CLI in-process.
 *
 * @param argv Arguments after the program name.
 * @param options Working folder and standard input.
 */
export async function runCli(argv: Array<string>, options: {cwd?: string; stdin?: string; env?: Record<string, string>} = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ''),
    isTTY: false,
    // The run's temporary cache root (tests/setup.ts), never the checkout's .cache/.
    env: {CI: 'true', ZHPRESS_CACHE_DIR: process.env.ZHPRESS_CACHE_DIR, ...options.env},
    cwd: options.cwd ?? root
  }
  const code = await main(argv, io)
  return {code, stdout, stderr}
}

/** A fresh temporary folder, inside the run's folder that tests/setup.ts removes at the end. */
export async function temporaryFolder(prefix = 'zhpress-test-'): Promise<string> {
  return fs.mkdtemp(path.join(process.env.ZHPRESS_TEST_TMP ?? os.tmpdir(), prefix))
}

/** Every file below a folder, relative paths, sorted. */
export async function listFiles(folder: string): Promise<Array<string>> {
  const entries = await fs.readdir(folder, {recursive: true, withFileTypes: true})
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort()
}

/** sha256 of every file below a folder, by relative path. */
export async function hashFolder(folder: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  for (const name of await listFiles(folder)) {
    hashes.set(name, createHash('sha256').update(await fs.readFile(path.join(folder, name))).digest('hex'))
  }

  return hashes
}

/** Whether UPDATE=1 asks to (re)write expected files. */
export const update = process.env.UPDATE === '1'

/**
 * Compare with an expected file; write it under UPDATE=1. A missing expected
 * file fails.
 */
export async function expectFile(file: string, actual: string): Promise<string> {
  if (update) {
    await fs.writeFile(file, actual)
    return actual
  }

  return fs.readFile(file, 'utf8')
}

/** Articles of the site tests (besides source/): see tests/fixtures/site/README.txt. */
export const siteFixture = path.join(fixtures, 'site', 'source')

/**
 * Build source/ plus the site fixture articles into a fresh folder.
 *
 * @param extra More build arguments (`--base-url …`).
 * @returns The output folder.
 */
export async function buildSite(extra: Array<string> = []): Promise<string> {
  const folder = await temporaryFolder()
  const source = path.join(folder, 'source')
  // All of source/ (a glossary too, when there is one), then the fixtures.
  await fs.cp(path.join(root, 'source'), source, {recursive: true})
  for (const name of await fs.readdir(siteFixture)) await fs.copyFile(path.join(siteFixture, name), path.join(source, name))

  const out = path.join(folder, 'dist')
  const result = await runCli(['build', '--source', source, '--out', out, ...extra])
  if (result.code !== 0) throw new Error('build failed:\n' + result.stderr)
  return out
}
