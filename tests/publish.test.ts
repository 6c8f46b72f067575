/**
 * Atomic publishing: a build killed part way, or between its two renames,
 * never damages the published output folder, and the next build succeeds.
 * The killed build is a real subprocess; SIGKILL gives it no chance to clean up.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {recover, sha256} from '../scripts/write.ts'
import {hashFolder, listFiles, root, runCli, temporaryFolder} from './helpers.ts'

/** Small articles: many output files per second of CPU, so the write phase is long enough to hit. */
async function writeCorpus(folder: string, count: number, title = '網絡貸款'): Promise<void> {
  await fs.mkdir(folder, {recursive: true})
  for (let index = 1; index <= count; index++) {
    const id = String(index).padStart(3, '0')
    await fs.writeFile(
      path.join(folder, `article-${id}.md`),
      `---\ntitle: 第${id}篇 ${title}\nlang: zh-Hant\ndate: 2026-11-28\n---\n\n## 一、網絡貸款\n\n用戶通過網絡貸款，頭髮和軟體都在**互聯網**上。第 ${index} 段。\n`
    )
  }
}

/** Assert that an output folder is exactly what its manifest says: no file missing, extra or changed. */
async function expectWhole(out: string): Promise<void> {
  const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as {outputs: Array<{path: string; sha256: string}>}
  const files = (await listFiles(out)).filter((name) => name !== 'manifest.json')
  expect(files).toEqual(manifest.outputs.map((entry) => entry.path))
  for (const entry of manifest.outputs) {
    expect(sha256(await fs.readFile(path.join(out, entry.path))), entry.path).toBe(entry.sha256)
  }
}

/**
 * The pid of a killed build in the names of the folders it left: above
 * Linux's largest possible pid (2^22), so never a live process. A small
 * made-up pid can belong to a live process on a busy machine, and recovery
 * leaves a live owner's folders alone.
 */
const deadPid = 4_194_305

const leftovers = async (folder: string) => (await fs.readdir(folder)).filter((name) => /^\.dist\.(?:tmp|old)-/.test(name))

describe('atomic publishing', () => {
  it('a build killed with SIGKILL while writing leaves the previous dist/ whole; the next build succeeds', async () => {
    const cwd = await temporaryFolder()
    const out = path.join(cwd, 'dist')
    await writeCorpus(path.join(cwd, 'small'), 2, '舊版')
    const first = await runCli(['build', '--source', 'small', '--out', 'dist'], {cwd})
    expect(first.code, first.stderr).toBe(0)
    const previous = await hashFolder(out)

    await writeCorpus(path.join(cwd, 'big'), 60)
    const sourceBefore = await hashFolder(path.join(cwd, 'big'))
    // `node --import tsx`, not `npx tsx`: tsx's own CLI runs the script in a
    // child process, which a SIGKILL to the parent would not reach.
    const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
    const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'scripts/cli.ts'), 'build', '--source', 'big', '--out', 'dist'], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => void (stderr += chunk))
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))

    // Kill as soon as the staging folder appears: the build is then writing.
    let running = true
    void exited.then(() => void (running = false))
    let staging: Array<string> = []
    while (running && staging.length === 0) {
      staging = (await fs.readdir(cwd)).filter((name) => name.startsWith('.dist.tmp-'))
      if (staging.length === 0) await new Promise((resolve) => setTimeout(resolve, 2))
    }

    expect(staging, `the build ended before its staging folder was seen: ${stderr}`).toHaveLength(1)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    // The kill landed mid-write: the staging folder is still there, half full.
    expect(await leftovers(cwd)).toEqual(staging)
    expect(await hashFolder(out)).toEqual(previous)
    await expectWhole(out)

    const next = await runCli(['build', '--source', 'big', '--out', 'dist'], {cwd})
    expect(next.code, next.stderr).toBe(0)
    expect(await leftovers(cwd)).toEqual([])
    await expectWhole(out)
    expect(await listFiles(out)).toContain('html/zh-TW/article-060.html')
    expect(await hashFolder(path.join(cwd, 'big'))).toEqual(sourceBefore)
  })

  it('a rebuild killed while it links unchanged articles and site pages from dist/ leaves the previous dist/ whole, not one of its files written through; the next build succeeds', async () => {
    const cwd = await temporaryFolder()
    const out = path.join(cwd, 'dist')
    const env = {ZHPRESS_CACHE_DIR: path.join(cwd, '.cache')}
    await writeCorpus(path.join(cwd, 'source'), 150)
    const first = await runCli(['build'], {cwd, env})
    expect(first.code, first.stderr).toBe(0)
    const previous = await hashFolder(out)
    await fs.appendFile(path.join(cwd, 'source', 'article-001.md'), '\n改過的一段。\n')

    const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
    const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'scripts/cli.ts'), 'build'], {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk) => void (stderr += chunk))
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
    let running = true
    void exited.then(() => void (running = false))
    // Kill once the staging folder holds files linked from dist/ (the changed article builds meanwhile).
    let staging: string | undefined
    while (running) {
      staging = (await fs.readdir(cwd)).find((name) => name.startsWith('.dist.tmp-') && !name.endsWith('.records'))
      if (staging && (await fs.readdir(path.join(cwd, staging)).catch(() => [] as Array<string>)).includes('markdown')) break
      await new Promise((resolve) => setTimeout(resolve, 1))
    }

    expect(running, `the rebuild ended before it was seen linking: ${stderr}`).toBe(true)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    // Some files of the staging folder are links to the published ones: those are as they were, and dist/ is whole.
    expect(await hashFolder(out)).toEqual(previous)
    await expectWhole(out)

    const next = await runCli(['build'], {cwd, env})
    expect(next.code, next.stderr).toBe(0)
    // The unchanged articles come from the cache (the changed one too, if the killed build got to write its entry).
    expect(Number(/, (\d+) cache hits, /.exec(next.stderr)?.[1])).toBeGreaterThanOrEqual(149)
    expect(await leftovers(cwd)).toEqual([])
    await expectWhole(out)
    const fresh = await runCli(['build', '--no-cache', '--out', 'fresh'], {cwd})
    expect(fresh.code, fresh.stderr).toBe(0)
    expect(await hashFolder(out)).toEqual(await hashFolder(path.join(cwd, 'fresh')))
  })

  it('a dist/ left aside by a kill between the two renames is put back, even when the next build fails', async () => {
    const cwd = await temporaryFolder()
    const out = path.join(cwd, 'dist')
    await writeCorpus(path.join(cwd, 'source'), 2)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    const previous = await hashFolder(out)

    // What a kill after `rename(dist, .dist.old-<pid>)` and before
    // `rename(staging, dist)` leaves: no dist/, the old one aside, a full staging folder.
    // Its pid is one no process can have (recovery leaves a live owner's folder alone).
    await fs.rename(out, path.join(cwd, `.dist.old-${deadPid}`))
    await fs.mkdir(path.join(cwd, '.dist.tmp-killed'))
    await fs.writeFile(path.join(cwd, '.dist.tmp-killed', 'manifest.json'), '{}')

    await fs.writeFile(path.join(cwd, 'source', 'broken.md'), '---\nlang: zh-XX\n---\n\n語言不對\n')
    const failed = await runCli(['build'], {cwd})
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('source/broken.md:2:7 error unknown locale `zh-XX`')
    expect(await leftovers(cwd)).toEqual([])
    expect(await hashFolder(out)).toEqual(previous)
    await expectWhole(out)

    await fs.rm(path.join(cwd, 'source', 'broken.md'))
    await fs.rename(out, path.join(cwd, `.dist.old-${deadPid}`))
    const next = await runCli(['build'], {cwd})
    expect(next.code, next.stderr).toBe(0)
    expect(await leftovers(cwd)).toEqual([])
    await expectWhole(out)
  })

  it('a kill after the swap, before the old dist/ was removed, leaves the new dist/ and the next build removes the old one', async () => {
    const cwd = await temporaryFolder()
    await writeCorpus(path.join(cwd, 'source'), 1)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    await fs.cp(path.join(cwd, 'dist'), path.join(cwd, `.dist.old-${deadPid}`), {recursive: true})
    const current = await hashFolder(path.join(cwd, 'dist'))

    await fs.writeFile(path.join(cwd, 'source', 'broken.md'), '---\nlang: zh-XX\n---\n\n語言不對\n')
    expect((await runCli(['build'], {cwd})).code).toBe(1)
    expect(await leftovers(cwd)).toEqual([])
    expect(await hashFolder(path.join(cwd, 'dist'))).toEqual(current)
  })
})

describe('in-place updates under a journal', () => {
  /** Every folder below a folder, relative paths, sorted (an in-place update leaves no empty one behind). */
  const folders = async (folder: string) =>
    (await fs.readdir(folder, {recursive: true, withFileTypes: true}))
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
      .sort()
  const leftover = async (folder: string) => (await fs.readdir(folder)).filter((name) => /^\.dist\.(?:tmp|old|journal)/.test(name))

  it('a build killed between its renames leaves, after the next start, either the old dist/ or the new one; the next build succeeds', async () => {
    const cwd = await temporaryFolder()
    const env = {ZHPRESS_CACHE_DIR: path.join(cwd, '.cache')}
    await writeCorpus(path.join(cwd, 'source'), 4)
    await fs.mkdir(path.join(cwd, 'source', 'guide'))
    await fs.writeFile(path.join(cwd, 'source', 'guide', 'old.md'), '---\ntitle: 舊的指南\nlang: zh-Hant\n---\n\n這一篇在新版裡刪掉了。\n')
    const first = await runCli(['build', '--jobs', '1'], {cwd, env})
    expect(first.code, first.stderr).toBe(0)
    const before = await hashFolder(path.join(cwd, 'dist'))
    expect([...before.keys()]).toContain('markdown/zh-TW/guide/old.md')
    const pristine = path.join(cwd, 'pristine')
    await fs.cp(path.join(cwd, 'dist'), pristine, {recursive: true})

    // The new version: one article changed, one removed (with its folder), one added.
    await fs.appendFile(path.join(cwd, 'source', 'article-002.md'), '\n改過的一段：軟體。\n')
    await fs.rm(path.join(cwd, 'source', 'guide'), {recursive: true})
    await fs.writeFile(path.join(cwd, 'source', 'added.md'), '---\ntitle: 新加的一篇\nlang: zh-Hant\n---\n\n新的內容，網絡和軟體。\n')
    const fresh = await runCli(['build', '--jobs', '1', '--no-cache', '--out', 'fresh'], {cwd, env})
    expect(fresh.code, fresh.stderr).toBe(0)
    const after = await hashFolder(path.join(cwd, 'fresh'))
    const afterFolders = await folders(path.join(cwd, 'fresh'))

    const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
    const child = path.join(root, 'tests', 'journal-child.ts')
    // Killed before the journal, after the first, second and fifth file moved in, and never.
    for (const stop of [0, 1, 2, 5, -1]) {
      await fs.rm(path.join(cwd, 'dist'), {recursive: true})
      await fs.cp(pristine, path.join(cwd, 'dist'), {recursive: true})
      const run = spawn(process.execPath, ['--import', tsx, child, path.join(cwd, 'dist'), path.join(cwd, 'fresh'), String(stop)], {cwd, stdio: ['ignore', 'pipe', 'pipe']})
      let output = ''
      run.stdout.on('data', (chunk) => void (output += chunk))
      run.stderr.on('data', (chunk) => void (output += chunk))
      const ended = await new Promise<NodeJS.Signals | number | null>((resolve) => run.on('exit', (code, signal) => resolve(signal ?? code)))
      expect(ended, `stop ${stop}: ${output}`).toBe(stop === -1 ? 0 : 'SIGKILL')
      const journal = (await fs.readdir(cwd)).includes('.dist.journal')
      expect(journal, `stop ${stop}`).toBe(stop > 0)
      if (stop > 0) {
        // Cut part way: some files of the new output are in, some of the old one still there.
        const now = await hashFolder(path.join(cwd, 'dist'))
        expect(now, `stop ${stop}`).not.toEqual(before)
        expect(now, `stop ${stop}`).not.toEqual(after)
      }

      // What the next build does first (under the lock): roll the journal forward, remove the leftovers.
      await recover(path.join(cwd, 'dist'))
      expect(await leftover(cwd), `stop ${stop}`).toEqual([])
      expect(await hashFolder(path.join(cwd, 'dist')), `stop ${stop}`).toEqual(stop === 0 ? before : after)
      if (stop !== 0) expect(await folders(path.join(cwd, 'dist')), `stop ${stop}`).toEqual(afterFolders)
      await expectWhole(path.join(cwd, 'dist'))
    }

    // And a real build after a kill part way (its lock left behind) publishes the new version.
    await fs.rm(path.join(cwd, 'dist'), {recursive: true})
    await fs.cp(pristine, path.join(cwd, 'dist'), {recursive: true})
    const run = spawn(process.execPath, ['--import', tsx, child, path.join(cwd, 'dist'), path.join(cwd, 'fresh'), '3'], {cwd, stdio: 'ignore'})
    expect(await new Promise((resolve) => run.on('exit', (code, signal) => resolve(signal ?? code)))).toBe('SIGKILL')
    const next = await runCli(['build', '--jobs', '1'], {cwd, env})
    expect(next.code, next.stderr).toBe(0)
    expect(await leftover(cwd)).toEqual([])
    expect(await hashFolder(path.join(cwd, 'dist'))).toEqual(after)
  })

  it('without --in-place, a rebuild with most articles unchanged still replaces dist/ at once (DESIGN.md: a killed build leaves the previous dist/ whole)', async () => {
    const cwd = await temporaryFolder()
    const env = {ZHPRESS_CACHE_DIR: path.join(cwd, '.cache')}
    await writeCorpus(path.join(cwd, 'source'), 5)
    expect((await runCli(['build', '--jobs', '1'], {cwd, env})).code).toBe(0)
    const distInode = (await fs.lstat(path.join(cwd, 'dist'))).ino
    await fs.appendFile(path.join(cwd, 'source', 'article-002.md'), '\n改過的一段：軟體。\n')
    const rebuilt = await runCli(['build', '--jobs', '1'], {cwd, env})
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toMatch(/, 4 cache hits, /)
    expect((await fs.lstat(path.join(cwd, 'dist'))).ino).not.toBe(distInode)
    expect((await fs.readdir(cwd)).filter((name) => name.startsWith('.dist.'))).toEqual([])
  })

  it('with --in-place, a rebuild with most articles unchanged updates dist/ in place: the unchanged files untouched, the same bytes as a fresh build', async () => {
    const cwd = await temporaryFolder()
    const env = {ZHPRESS_CACHE_DIR: path.join(cwd, '.cache')}
    await writeCorpus(path.join(cwd, 'source'), 5)
    expect((await runCli(['build', '--jobs', '1'], {cwd, env})).code).toBe(0)
    const dist = path.join(cwd, 'dist')
    const inode = async (name: string) => (await fs.lstat(path.join(dist, name))).ino
    const kept = 'html/zh-TW/article-001.html'
    const keptInode = await inode(kept)
    const distInode = (await fs.lstat(dist)).ino

    // (Adding or removing an article changes the site's page map, which every article's key holds: all are rebuilt.)
    await fs.appendFile(path.join(cwd, 'source', 'article-002.md'), '\n改過的一段：軟體。\n')
    const rebuilt = await runCli(['build', '--jobs', '1', '--in-place'], {cwd, env})
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toMatch(/, 4 cache hits, /)
    // The folder itself and an unchanged article's file were not replaced.
    expect((await fs.lstat(dist)).ino).toBe(distInode)
    expect(await inode(kept)).toBe(keptInode)
    expect((await fs.lstat(path.join(dist, kept))).nlink).toBe(1)
    expect(await leftover(cwd)).toEqual([])
    expect((await fs.readdir(cwd)).filter((name) => name.startsWith('.dist.'))).toEqual([])

    expect((await runCli(['build', '--jobs', '1', '--no-cache', '--out', 'fresh'], {cwd, env})).code).toBe(0)
    expect(await hashFolder(dist)).toEqual(await hashFolder(path.join(cwd, 'fresh')))
    expect(await folders(dist)).toEqual(await folders(path.join(cwd, 'fresh')))
    await expectWhole(dist)
    // The stamp it left describes the folder: the next build changes nothing.
    expect((await runCli(['build', '--jobs', '1'], {cwd, env})).stderr).toContain('nothing changed')
  })
})
