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
import {sha256} from '../scripts/write.ts'
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

  it('a dist/ left aside by a kill between the two renames is put back, even when the next build fails', async () => {
    const cwd = await temporaryFolder()
    const out = path.join(cwd, 'dist')
    await writeCorpus(path.join(cwd, 'source'), 2)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    const previous = await hashFolder(out)

    // What a kill after `rename(dist, .dist.old-<pid>)` and before
    // `rename(staging, dist)` leaves: no dist/, the old one aside, a full staging folder.
    await fs.rename(out, path.join(cwd, '.dist.old-4242'))
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
    await fs.rename(out, path.join(cwd, '.dist.old-4242'))
    const next = await runCli(['build'], {cwd})
    expect(next.code, next.stderr).toBe(0)
    expect(await leftovers(cwd)).toEqual([])
    await expectWhole(out)
  })

  it('a kill after the swap, before the old dist/ was removed, leaves the new dist/ and the next build removes the old one', async () => {
    const cwd = await temporaryFolder()
    await writeCorpus(path.join(cwd, 'source'), 1)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    await fs.cp(path.join(cwd, 'dist'), path.join(cwd, '.dist.old-4242'), {recursive: true})
    const current = await hashFolder(path.join(cwd, 'dist'))

    await fs.writeFile(path.join(cwd, 'source', 'broken.md'), '')
    expect((await runCli(['build'], {cwd})).code).toBe(1)
    expect(await leftovers(cwd)).toEqual([])
    expect(await hashFolder(path.join(cwd, 'dist'))).toEqual(current)
  })
})
