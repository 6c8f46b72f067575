/**
 * The probes of issue 16 that no other test file runs as the issue ran
 * them: each through the real CLI in a subprocess. The README's
 * Guarantees section lists all 34 probes and the test that re-runs each.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {temporaryFolder} from './helpers.ts'
import {runCliProcess, startCli} from './process.ts'

const article = (title: string) => `---\ntitle: ${title}\nlang: zh-Hant\n---\n\n用戶通過網絡貸款，頭髮和軟體都在互聯網上。\n`

async function project(count: number): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  for (let index = 1; index <= count; index++) {
    await fs.writeFile(path.join(cwd, 'source', `article-${String(index).padStart(3, '0')}.md`), article(`第${index}篇`))
  }

  return cwd
}

/** Whether a staging folder beside `dist/` holds any article output yet. */
async function stagedOutput(cwd: string): Promise<boolean> {
  for (const name of await fs.readdir(cwd)) {
    if (!name.startsWith('.dist.tmp-')) continue
    const files = await fs.readdir(path.join(cwd, name), {recursive: true}).catch(() => [])
    if (files.some((file) => String(file).endsWith('.md'))) return true
  }

  return false
}

describe('issue 16 probes, re-run through the CLI', () => {
  it('an article deleted mid-build is a content error naming it (exit 1), never the usage-error code 2', async () => {
    const cwd = await project(150)
    const last = path.join(cwd, 'source', 'article-150.md')
    // One thread, articles in order: the last is read long after the first outputs are staged.
    const {done} = startCli(['build', '--no-cache', '--jobs', '1'], {cwd})
    let finished = false
    void done.then(() => (finished = true))
    while (!finished && !(await stagedOutput(cwd))) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(finished, 'the build ended before it staged an article').toBe(false)
    await fs.rm(last)
    const result = await done
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain('source/article-150.md:1:1 error unreadable input: does not exist (removed while zhpress ran, or a link to nothing)')
    expect(result.stderr).not.toMatch(/internal error|^\s+at /m)
    // Nothing was published, and no staging folder is left.
    expect((await fs.readdir(cwd)).sort()).toEqual(['source'])
  })

  it('ESC, BEL and RLO in a file name never reach the terminal raw', async () => {
    const cwd = await temporaryFolder()
    await fs.mkdir(path.join(cwd, 'source'))
    const name = 'x\u001B]0;pwned\u0007\u001B[2J\u202Egpj.md'
    await fs.writeFile(path.join(cwd, 'source', name), '---\nlang: zh-TW\ntitle: [\n---\n\n壞的前言。\n')
    for (const command of [['check'], ['build', '--no-cache']]) {
      const result = await runCliProcess(command, {cwd})
      expect(result.code, result.stderr).toBe(1)
      expect(result.stderr + result.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/)
      expect(result.stderr).toContain('source/x\\x1B]0;pwned\\x07\\x1B[2J\\u202Egpj.md:')
    }
  })
})
