/**
 * The source memo (`scripts/commands/source-memo.ts`): a rebuild takes an
 * unchanged article's digest and cache key from its `stat` figures instead
 * of reading it, and never mistakes a changed article for an unchanged one.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest'
import {generateCorpus} from '../scripts/bench/corpus.ts'
import {keyContext, knownDigest, knownKey, openSourceMemo, racyMargin, saveSourceMemo} from '../scripts/commands/source-memo.ts'
import {listFiles, runCli, temporaryFolder} from './helpers.ts'

/** Every file of a folder and its bytes. */
async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of await listFiles(folder)) files.set(name, await fs.readFile(path.join(folder, name), 'utf8'))
  return files
}

/** The memo file of a cache folder (one source folder per test project). */
async function memoFile(cache: string): Promise<string> {
  const [name] = await fs.readdir(path.join(cache, 'sources'))
  return path.join(cache, 'sources', name!)
}

/**
 * Move the moment the memo's figures were taken past the racy margin, as if
 * the build had run long after the files were written (a test writes them
 * just before).
 */
async function ageMemo(cache: string): Promise<void> {
  const file = await memoFile(cache)
  const memo = JSON.parse(await fs.readFile(file, 'utf8')) as {at: number}
  memo.at = Date.now() + 2 * racyMargin
  await fs.writeFile(file, JSON.stringify(memo))
}

/**
 * Write new bytes of the same length into a file and put its modification
 * time back, to the nanosecond (`touch -r` from a copy that kept it).
 */
async function sameSizeSameTime(file: string, edit: (text: string) => string): Promise<void> {
  const before = await fs.stat(file, {bigint: true})
  const text = await fs.readFile(file, 'utf8')
  const changed = edit(text)
  expect(BigInt(Buffer.byteLength(changed))).toBe(before.size)
  expect(changed).not.toBe(text)
  const reference = `${file}.time`
  execFileSync('cp', ['-p', file, reference])
  await fs.writeFile(file, changed)
  execFileSync('touch', ['-m', '-r', reference, file])
  await fs.rm(reference)
  const after = await fs.stat(file, {bigint: true})
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs])
  expect(after.ctimeNs).not.toBe(before.ctimeNs)
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the memo', () => {
  it('knows an article by its figures only once they are older than the racy margin, and forgets it when any figure moves', async () => {
    const folder = await temporaryFolder()
    const cache = path.join(folder, 'cache')
    await fs.mkdir(path.join(folder, 'source'))
    const name = path.join('source', 'a.md')
    await fs.writeFile(path.join(folder, name), '# 标题\n\n正文。\n')
    const context = keyContext({project: 'p', tool: 't', options: {}})

    const first = openSourceMemo(cache, path.join(folder, 'source'), folder)
    expect(knownDigest(first, name)).toBeUndefined()
    first.digests.set(name, 'digest-1')
    first.keys.set(name, 'key-1')
    saveSourceMemo(first, context)
    // Taken just now, right after the file was written: not trusted (the next build reads it).
    expect(knownDigest(openSourceMemo(cache, path.join(folder, 'source'), folder), name)).toBeUndefined()

    await ageMemo(cache)
    const aged = openSourceMemo(cache, path.join(folder, 'source'), folder)
    expect(knownDigest(aged, name)).toBe('digest-1')
    expect(knownKey(aged, name, context)).toBe('key-1')
    // Keys made with other options, another tool or project are not these.
    expect(knownKey(aged, name, keyContext({project: 'p', tool: 'u', options: {}}))).toBeUndefined()

    // The modification time moved, the bytes did not: read again.
    const stats = await fs.stat(path.join(folder, name))
    await fs.utimes(path.join(folder, name), stats.atime, new Date(stats.mtimeMs + 5000))
    expect(knownDigest(openSourceMemo(cache, path.join(folder, 'source'), folder), name)).toBeUndefined()
  })

  it('an article rewritten with the same size and modification time is not known (its change time moved)', async () => {
    const folder = await temporaryFolder()
    const cache = path.join(folder, 'cache')
    await fs.mkdir(path.join(folder, 'source'))
    const name = path.join('source', 'a.md')
    await fs.writeFile(path.join(folder, name), '# 标题\n\n正文甲。\n')
    const context = keyContext({project: 'p', tool: 't', options: {}})
    const memo = openSourceMemo(cache, path.join(folder, 'source'), folder)
    knownDigest(memo, name)
    memo.digests.set(name, 'digest-1')
    memo.keys.set(name, 'key-1')
    saveSourceMemo(memo, context)
    await ageMemo(cache)
    expect(knownKey(openSourceMemo(cache, path.join(folder, 'source'), folder), name, context)).toBe('key-1')
    // Change times have a clock tick of their own: make sure the rewrite lands in another one.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await sameSizeSameTime(path.join(folder, name), (text) => text.replace('甲', '乙'))
    expect(knownKey(openSourceMemo(cache, path.join(folder, 'source'), folder), name, context)).toBeUndefined()
  })

  it('a damaged memo is no memo', async () => {
    const folder = await temporaryFolder()
    const cache = path.join(folder, 'cache')
    await fs.mkdir(path.join(cache, 'sources'), {recursive: true})
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '正文。\n')
    const memo = openSourceMemo(cache, path.join(folder, 'source'), folder)
    await fs.writeFile(memo.file, '{"version": 1, "files": ')
    expect(knownDigest(openSourceMemo(cache, path.join(folder, 'source'), folder), path.join('source', 'a.md'))).toBeUndefined()
  })
})

describe('rebuilds with the memo', () => {
  let project: string
  const cache = () => path.join(project, '.cache', 'zhpress')
  const build = async (...args: Array<string>) => {
    const result = await runCli(['build', '--jobs', '1', ...args], {cwd: project, env: {ZHPRESS_CACHE_DIR: cache()}})
    expect(result.code, result.stderr).toBe(0)
    return {stderr: result.stderr, hits: Number(/(\d+) cache hits?[,)]/.exec(result.stderr)?.[1])}
  }

  const fresh = async () => {
    await build('--no-cache', '--out', 'fresh')
    return snapshot(path.join(project, 'fresh'))
  }

  let names: Array<string>
  beforeAll(async () => {
    project = await temporaryFolder()
    await fs.mkdir(path.join(project, 'source'))
    const articles = await generateCorpus({articles: 3, seed: 5, minBytes: 400, maxBytes: 900})
    for (const {name, content} of articles) await fs.writeFile(path.join(project, 'source', name), content)
    names = articles.map((article) => article.name).sort()
  })

  it('an unchanged article is neither read nor hashed again; a changed one is', async () => {
    await build()
    await ageMemo(cache())
    await fs.appendFile(path.join(project, 'source', names[0]!), '\n新增的一段：软件。\n')
    const readFile = vi.spyOn(fs, 'readFile')
    const open = vi.spyOn(fs, 'open')
    const result = await build()
    const opened = [...readFile.mock.calls, ...open.mock.calls].map(([file]) => String(file))
    vi.restoreAllMocks()
    expect(result.hits).toBe(2)
    // The changed article is read (to be scanned, keyed and built); the others are not opened at all.
    expect(opened.some((file) => file.endsWith(names[0]!))).toBe(true)
    for (const name of names.slice(1)) expect(opened.filter((file) => file.endsWith(name)), name).toEqual([])
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh())
  })

  it('an article whose modification time changed but not its bytes comes from the cache', async () => {
    await ageMemo(cache())
    const file = path.join(project, 'source', names[1]!)
    const stats = await fs.stat(file)
    await fs.utimes(file, stats.atime, new Date(stats.mtimeMs + 60_000))
    const result = await build()
    expect(result.hits).toBe(3)
    expect(result.stderr).toContain('nothing changed')
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh())
  })

  it('an article rewritten with the same size and modification time is rebuilt', async () => {
    await build()
    await ageMemo(cache())
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Two Han characters swapped for two others of the same UTF-8 length, in the body.
    await sameSizeSameTime(path.join(project, 'source', names[2]!), (text) => text.replace(/\n\n([^#\n-][^\n]*?)[\u4e00-\u9fff]{2}/u, '\n\n$1改动'))
    const result = await build()
    expect(result.hits).toBe(2)
    expect(result.stderr).not.toContain('nothing changed')
    const dist = await snapshot(path.join(project, 'dist'))
    expect(dist).toEqual(await fresh())
  })
})
