/**
 * The output folder is zhpress's alone: it replaces only a folder it made
 * (marked with `.zhpress-output`) or an empty one, one build at a time, with
 * modes from the umask, and a failed build creates nothing outside `--out`.
 * Real files, real subprocesses where locks, umask and concurrency matter.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {commitStaging, discardStaging, openStaging, outputMarker, removeTreeAsync, sha256, stageFile, startRemoval} from '../scripts/write.ts'
import {hashFolder, listFiles, runCli, temporaryFolder} from './helpers.ts'
import {runCliProcess, startCli} from './process.ts'

const article = (title: string) => `---\ntitle: ${title}\nlang: zh-Hant\ndate: 2026-11-28\n---\n\n用戶通過網絡貸款，頭髮和軟體都在互聯網上。\n`

async function project(count = 2): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  for (let index = 1; index <= count; index++) {
    await fs.writeFile(path.join(cwd, 'source', `article-${String(index).padStart(3, '0')}.md`), article(`第${index}篇`))
  }

  return cwd
}

/** Every file, link and folder below a folder with its content hash or link target. */
async function tree(folder: string): Promise<Array<string>> {
  const entries = await fs.readdir(folder, {recursive: true, withFileTypes: true})
  const lines: Array<string> = []
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name)
    const name = path.relative(folder, full)
    if (entry.isSymbolicLink()) lines.push(`${name} -> ${await fs.readlink(full)}`)
    else if (entry.isFile()) lines.push(`${name} ${sha256(await fs.readFile(full))}`)
    else lines.push(`${name}/`)
  }

  return lines.sort()
}

async function expectWhole(out: string): Promise<void> {
  const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as {outputs: Array<{path: string; sha256: string}>}
  expect((await listFiles(out)).filter((name) => name !== 'manifest.json')).toEqual(manifest.outputs.map((entry) => entry.path))
  for (const entry of manifest.outputs) expect(sha256(await fs.readFile(path.join(out, entry.path))), entry.path).toBe(entry.sha256)
}

describe('--out is refused unless zhpress made it or it is empty (exit 2, nothing touched)', () => {
  it('a folder with someone else’s files (a subprocess)', async () => {
    const cwd = await project()
    await fs.mkdir(path.join(cwd, 'mysite', 'photos'), {recursive: true})
    await fs.writeFile(path.join(cwd, 'mysite', 'thesis.docx'), 'not ours')
    await fs.writeFile(path.join(cwd, 'mysite', 'photos', 'a.jpg'), 'jpeg')
    const before = await tree(cwd)
    const result = await runCliProcess(['build', '--out', 'mysite'], {cwd})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--out `mysite` is a folder zhpress did not make (it has no .zhpress-output) and it is not empty')
    expect(await tree(cwd)).toEqual(before)
  })

  it('`--out ..` from inside a project (a subprocess)', async () => {
    const cwd = await project()
    await fs.writeFile(path.join(cwd, 'keep.txt'), '留著')
    await fs.writeFile(path.join(cwd, outputMarker), '')
    const inner = path.join(cwd, 'inner')
    await fs.mkdir(inner)
    await fs.cp(path.join(cwd, 'source'), path.join(inner, 'source'), {recursive: true})
    const before = await tree(cwd)
    // Even marked, a folder that holds the working folder is refused.
    const result = await runCliProcess(['build', '--out', '..'], {cwd: inner})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--out `..` holds the working folder')
    expect(await tree(cwd)).toEqual(before)
  })

  it('a regular file', async () => {
    const cwd = await project()
    await fs.writeFile(path.join(cwd, 'notes.txt'), '筆記')
    const result = await runCli(['build', '--out', 'notes.txt'], {cwd})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--out `notes.txt` is a file, not a folder')
    expect(await fs.readFile(path.join(cwd, 'notes.txt'), 'utf8')).toBe('筆記')
  })

  it('a symbolic link, even to a folder zhpress made (documented: give the real folder)', async () => {
    const cwd = await project()
    expect((await runCli(['build', '--out', 'real'], {cwd})).code).toBe(0)
    await fs.symlink('real', path.join(cwd, 'link'))
    const before = await tree(cwd)
    const result = await runCli(['build', '--out', 'link'], {cwd})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--out `link` is a symbolic link')
    expect(await tree(cwd)).toEqual(before)
  })

  it('a folder that is the sources through a symlinked --source (real paths are compared)', async () => {
    const cwd = await project()
    await fs.symlink('source', path.join(cwd, 'link'))
    // Marked, so only the overlap can refuse it.
    await fs.writeFile(path.join(cwd, 'source', outputMarker), '')
    const before = await tree(cwd)
    for (const argv of [
      ['build', '--source', 'link', '--out', 'source'],
      ['build', '--source', 'source', '--out', 'link/sub'],
      ['build', '--source', 'link/', '--out', '.']
    ]) {
      const result = await runCli(argv, {cwd})
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/overlaps --source|holds the working folder/)
    }

    expect(await tree(cwd)).toEqual(before)
  })

  it('the root folder and the home folder', async () => {
    const cwd = await project()
    const root = await runCli(['build', '--out', '/'], {cwd})
    expect(root.code).toBe(2)
    expect(root.stderr).toContain('--out `/` is the root folder')
    const home = await runCli(['build', '--out', os.homedir()], {cwd})
    expect(home.code).toBe(2)
    expect(home.stderr).toContain('is your home folder')
  })

  it('an empty folder is used, and the output is marked; a marked folder is replaced', async () => {
    const cwd = await project()
    await fs.mkdir(path.join(cwd, 'site'))
    expect((await runCli(['build', '--out', 'site'], {cwd})).code).toBe(0)
    expect(await fs.readFile(path.join(cwd, 'site', outputMarker), 'utf8')).toContain('zhpress')
    await expectWhole(path.join(cwd, 'site'))
    await fs.writeFile(path.join(cwd, 'source', 'article-009.md'), article('第九篇'))
    expect((await runCli(['build', '--out', 'site'], {cwd})).code).toBe(0)
    expect(await listFiles(path.join(cwd, 'site'))).toContain('html/zh-TW/article-009.html')
    await expectWhole(path.join(cwd, 'site'))
  })
})

describe('merge --out and shard folders', () => {
  it('merge never writes into or over a shard folder, and takes only shard folders zhpress made', async () => {
    const cwd = await project(3)
    await fs.mkdir(path.join(cwd, 'shards'))
    for (const index of [1, 2]) {
      const result = await runCli(['build', '--shard', `${index}/2`, '--out', `shards/s${index}`, '--jobs', '1', '--no-cache'], {cwd})
      expect(result.code, result.stderr).toBe(0)
    }

    const before = await tree(cwd)
    for (const out of ['shards/s1', 'shards', 'shards/s2/merged']) {
      const result = await runCli(['merge', '--out', out, 'shards/s1', 'shards/s2'], {cwd})
      expect(result.code, out).toBe(2)
      expect(result.stderr).toMatch(/overlaps the shard folder|did not make/)
    }

    await fs.mkdir(path.join(cwd, 'fake'))
    await fs.cp(path.join(cwd, 'shards/s2'), path.join(cwd, 'fake/s2'), {recursive: true})
    await fs.rm(path.join(cwd, 'fake/s2', outputMarker))
    const fake = await runCli(['merge', '--out', 'merged', 'shards/s1', 'fake/s2'], {cwd})
    expect(fake.code).toBe(2)
    expect(fake.stderr).toContain('the shard folder `fake/s2` is not an output folder of `zhpress build --shard K/N`')
    await fs.rm(path.join(cwd, 'fake'), {recursive: true})
    expect(await tree(cwd)).toEqual(before)

    const merged = await runCli(['merge', '--out', 'merged', 'shards/s1', 'shards/s2'], {cwd})
    expect(merged.code, merged.stderr).toBe(0)
    await expectWhole(path.join(cwd, 'merged'))
  })
})

describe('what a build creates', () => {
  it('a failed build creates no parent of --out (a subprocess)', async () => {
    const cwd = await project()
    await fs.writeFile(path.join(cwd, 'source', 'broken.md'), '---\nlang: zh-XX\n---\n\n語言不對\n')
    const before = await tree(cwd)
    const result = await runCliProcess(['build', '--out', 'a/b/dist', '--no-cache'], {cwd})
    expect(result.code).toBe(1)
    expect(await tree(cwd)).toEqual(before)
  })

  it('folder and file modes follow the umask (subprocesses under 022 and 027)', async () => {
    const cwd = await project(1)
    for (const [umask, folder, file] of [
      ['022', 0o755, 0o644],
      ['027', 0o750, 0o640]
    ] as const) {
      const result = await runCliProcess(['build', '--out', `dist-${umask}`, '--no-cache'], {cwd, umask})
      expect(result.code, result.stderr).toBe(0)
      const out = path.join(cwd, `dist-${umask}`)
      expect((await fs.stat(out)).mode & 0o777, umask).toBe(folder)
      expect((await fs.stat(path.join(out, 'html'))).mode & 0o777, umask).toBe(folder)
      expect((await fs.stat(path.join(out, 'html/zh-TW/article-001.html'))).mode & 0o777, umask).toBe(file)
      expect((await fs.stat(path.join(out, 'manifest.json'))).mode & 0o777, umask).toBe(file)
    }
  })
})

describe('the previous output folder, once replaced', () => {
  it('is removed whole by the time the build returns: no folder set aside, no lock; the record still matches the new folder', async () => {
    const cwd = await project(3)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    await fs.appendFile(path.join(cwd, 'source', 'article-002.md'), '\n第二篇改了一句。\n')
    const rebuilt = await runCli(['build'], {cwd})
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    // Beside dist/: neither the old folder set aside (`.dist.old-<pid>`) nor the lock (`.dist.lock`).
    expect((await fs.readdir(cwd)).filter((name) => name.startsWith('.dist')).sort()).toEqual([])
    expect(await fs.readFile(path.join(cwd, 'dist/markdown/zh-TW/article-002.md'), 'utf8')).toContain('第二篇改了一句。')
    // Listed after the old folder's links were gone (an unlink changes the other link's ctime): nothing to do next.
    const again = await runCli(['build'], {cwd})
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain('nothing changed')
  })

  it('is removed on a thread of its own without following links out of it', async () => {
    const folder = await temporaryFolder()
    const outside = path.join(folder, 'outside')
    await fs.mkdir(outside)
    await fs.writeFile(path.join(outside, 'keep.txt'), '留下')
    const old = path.join(folder, '.dist.old-1')
    await fs.mkdir(path.join(old, 'html/zh-TW'), {recursive: true})
    await fs.writeFile(path.join(old, 'html/zh-TW/a.html'), '<p>舊</p>')
    await fs.writeFile(path.join(old, 'manifest.json'), '{}')
    await fs.symlink(outside, path.join(old, 'html/link'))
    await removeTreeAsync(old)
    expect(await fs.readdir(folder)).toEqual(['outside'])
    expect(await fs.readFile(path.join(outside, 'keep.txt'), 'utf8')).toBe('留下')
  })

  it('is removed by a thread started while the build ran; a discarded build leaves the published folder and no lock', async () => {
    const cwd = await temporaryFolder()
    const outDir = path.join(cwd, 'dist')
    const publish = async (text: string, commit: boolean) => {
      const open = await openStaging(outDir)
      if ('busy' in open) throw new Error(open.busy)
      startRemoval(open)
      const entry = await stageFile(open.staging, {path: 'html/zh-TW/a.html', content: text})
      if (!commit) return discardStaging(open)
      const {settled} = await commitStaging(open, [entry])
      await settled
    }

    // No output folder yet: nothing to remove, no thread to start.
    await publish('<p>一</p>', true)
    await publish('<p>二</p>', true)
    expect(await fs.readFile(path.join(outDir, 'html/zh-TW/a.html'), 'utf8')).toBe('<p>二</p>')
    // The old folder is gone, the lock released; a discarded build leaves the published folder as it was.
    expect((await fs.readdir(cwd)).sort()).toEqual(['dist'])
    await publish('<p>三</p>', false)
    expect((await fs.readdir(cwd)).sort()).toEqual(['dist'])
    expect(await fs.readFile(path.join(outDir, 'html/zh-TW/a.html'), 'utf8')).toBe('<p>二</p>')
  })
})

describe('one build at a time per output folder', () => {
  it('a lock held by a running process makes the next build exit 1; a lock whose process is gone is taken over', async () => {
    const cwd = await project(1)
    expect((await runCli(['build'], {cwd})).code).toBe(0)
    const previous = await hashFolder(path.join(cwd, 'dist'))
    // A real other process holds the lock.
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      await fs.writeFile(path.join(cwd, '.dist.lock'), JSON.stringify({pid: sleeper.pid, host: os.hostname(), started: 'now'}))
      const busy = await runCliProcess(['build'], {cwd})
      expect(busy.code).toBe(1)
      expect(busy.stderr).toContain(`another build (process ${sleeper.pid} on ${os.hostname()}`)
      expect(await hashFolder(path.join(cwd, 'dist'))).toEqual(previous)
    } finally {
      sleeper.kill('SIGKILL')
      await new Promise((resolve) => sleeper.on('close', resolve))
    }

    // Its process is gone: the lock is stale.
    const next = await runCliProcess(['build'], {cwd})
    expect(next.code, next.stderr).toBe(0)
    expect((await fs.readdir(cwd)).filter((name) => name.startsWith('.dist.'))).toEqual([])
  })

  it('two real builds into one dist/: none publishes an incomplete folder, the second waits its turn or exits 1', async () => {
    const cwd = await project(40)
    const first = startCli(['build', '--no-cache', '--jobs', '1'], {cwd})
    // Start the second once the first holds the output (its staging folder exists).
    for (;;) {
      const names = await fs.readdir(cwd)
      if (names.some((name) => name.startsWith('.dist.tmp-'))) break
      if (first.child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }

    const second = startCli(['build', '--no-cache', '--jobs', '1'], {cwd})
    const [a, b] = await Promise.all([first.done, second.done])
    expect(a.code, a.stderr).toBe(0)
    if (b.code !== 0) {
      expect(b.code).toBe(1)
      expect(b.stderr).toContain('another build (process')
    }

    await expectWhole(path.join(cwd, 'dist'))
    expect(await listFiles(path.join(cwd, 'dist'))).toContain('html/zh-TW/article-040.html')
    expect((await fs.readdir(cwd)).filter((name) => name.startsWith('.dist.'))).toEqual([])
  })
})
