/**
 * Every input is read with the same limits: regular files only (a link to
 * /dev/zero or a folder is refused, never read), the size checked with
 * fstat before reading, and a vanished file is a content error naming it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readArticle} from '../scripts/ingest.ts'
import {runCli, temporaryFolder} from './helpers.ts'
import {runCliProcess} from './process.ts'

const article = '---\ntitle: 網絡\nlang: zh-Hant\n---\n\n用戶通過網絡貸款。\n'

async function project(): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  await fs.writeFile(path.join(cwd, 'source', 'a.md'), article)
  return cwd
}

describe('inputs that are not regular files', () => {
  it('glossary.yaml linked to /dev/zero is refused without reading it (a subprocess)', async () => {
    const cwd = await project()
    await fs.symlink('/dev/zero', path.join(cwd, 'source', 'glossary.yaml'))
    const result = await runCliProcess(['build', '--no-cache'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/glossary.yaml:1:1 error unreadable input: not a regular file')
  })

  it('a folder named glossary.yaml is refused', async () => {
    const cwd = await project()
    await fs.mkdir(path.join(cwd, 'source', 'glossary.yaml'))
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/glossary.yaml:1:1 error unreadable input: not a regular file')
  })
})

describe('sizes are checked before reading', () => {
  it('an article of 3 GiB (sparse) is too large, and is never read', async () => {
    const cwd = await project()
    const big = path.join(cwd, 'source', 'big.md')
    await fs.writeFile(big, '')
    await fs.truncate(big, 3 * 1024 * 1024 * 1024)
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/big.md:1:1 error article too large: 3221225472 bytes')
    expect(result.stderr).not.toContain('internal error')
  })

  it('a glossary over 2 MiB is too large', async () => {
    const cwd = await project()
    await fs.writeFile(path.join(cwd, 'source', 'glossary.yaml'), 'protect:\n' + '  - 乐信\n'.repeat(300_000))
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/source\/glossary\.yaml:1:1 error article too large: \d+ bytes, the limit is 2097152/)
  })
})

describe('vanished and unreadable files are content errors', () => {
  it('an article listed and then gone: an error naming it, not a usage error', async () => {
    const cwd = await project()
    const file = await readArticle('source/gone.md', cwd)
    expect(file.messages.map(String)).toEqual([
      'source/gone.md:1:1: unreadable input: does not exist (removed while zhpress ran, or a link to nothing)'
    ])
    expect(file.messages[0]!.fatal).toBe(true)
  })
})
