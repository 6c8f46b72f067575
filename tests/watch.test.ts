/**
 * `build --watch` as an editor uses it: a real subprocess builds, then
 * builds again after each change to the source folder (a changed article,
 * a broken one, a new one, a deleted one), and stops on an interrupt,
 * leaving the last good output folder and no lock behind.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {startCli} from './process.ts'
import {runCli, temporaryFolder} from './helpers.ts'

const article = (title: string, body: string) => `---\ntitle: ${title}\nlang: zh-Hans\n---\n\n${body}\n`

describe('build --watch', async () => {
  const folder = await temporaryFolder()
  const source = path.join(folder, 'source')
  await fs.mkdir(source)
  await fs.writeFile(path.join(source, 'a.md'), article('第一篇', '这是第一篇文章，讲软件的内存。'))
  await fs.writeFile(path.join(source, 'b.md'), article('第二篇', '这是第二篇文章，见[第一篇](a.md)。'))
  const {child, done} = startCli(['build', '--watch', '--jobs', '2'], {cwd: folder})
  let stderr = ''
  child.stderr!.on('data', (chunk) => void (stderr += chunk))
  afterAll(() => void child.kill('SIGKILL'))

  /** Wait until the watch has printed `count` more lines matching `pattern` after `from`. */
  const waitFor = async (pattern: RegExp, from: number, count = 1) => {
    for (let waited = 0; waited < 60_000; waited += 50) {
      if ((stderr.slice(from).match(new RegExp(pattern, 'g')) ?? []).length >= count) return stderr.slice(from)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }

    throw new Error(`no ${pattern} after 60 s:\n${stderr.slice(from)}`)
  }

  const page = (name: string) => fs.readFile(path.join(folder, 'dist', 'html', 'zh-TW', name), 'utf8')
  /** Change the source and wait for the rebuild that follows (and the watch's return to waiting). */
  const change = async (edit: () => Promise<void>) => {
    const from = stderr.length
    await edit()
    return waitFor(/watching source\//, from)
  }

  it('builds, then waits', async () => {
    const first = await waitFor(/watching source\//, 0)
    expect(first).toMatch(/built 2 articles × 4 locales/)
    expect(await page('a.html')).toContain('記憶體')
  })

  it('builds a changed article again, taking the other from the cache', async () => {
    const log = await change(() => fs.writeFile(path.join(source, 'a.md'), article('第一篇', '这是改过的第一篇文章，讲打印机。')))
    expect(log).toMatch(/change in source\/: building again/)
    expect(log).toMatch(/built 2 articles × 4 locales: .*1 cache hit\b/)
    expect(await page('a.html')).toContain('印表機')
  })

  it('reports a broken article with its place, keeps the output folder, and goes on watching', async () => {
    const log = await change(() => fs.writeFile(path.join(source, 'b.md'), '---\ntitle: [第二篇\n---\n\n正文。\n'))
    expect(log).toMatch(/source\/b\.md:2:\d+ error/)
    expect(log).toMatch(/build failed: dist\/ was left as it was/)
    expect(await page('b.html')).toContain('第二篇')
    const fixed = await change(() => fs.writeFile(path.join(source, 'b.md'), article('第二篇', '修好了，见[第一篇](a.md)。')))
    expect(fixed).toMatch(/built 2 articles/)
    expect(await page('b.html')).toContain('修好了')
  })

  it('publishes a new article and drops a deleted one', async () => {
    await change(() => fs.writeFile(path.join(source, 'c.md'), article('第三篇', '新来的文章。')))
    expect(await page('c.html')).toContain('新來的文章')
    const log = await change(() => fs.rm(path.join(source, 'c.md')))
    expect(log).toMatch(/built 2 articles/)
    await expect(page('c.html')).rejects.toThrow(/ENOENT/)
  })

  it('stops on an interrupt with the last build’s exit code, its lock released', async () => {
    child.kill('SIGINT')
    const result = await done
    expect(result.code, result.stderr).toBe(0)
    const after = await runCli(['build'], {cwd: folder})
    expect(after.code, after.stderr).toBe(0)
    expect(after.stderr).toMatch(/nothing changed|built 2 articles/)
  })
})

describe('build --watch usage', () => {
  it('cannot be combined with --shard', async () => {
    const result = await runCli(['build', '--watch', '--shard', '1/2'], {cwd: await temporaryFolder()})
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--watch .*--shard/)
  })
})
