/**
 * `check --fix` on real files: the lint's standard forms written into
 * Traditional sources, only the changed characters, atomically; `--dry-run`
 * prints the diff and writes nothing.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli, temporaryFolder} from './helpers.ts'

const article = [
  '---',
  'title: 注冊須知',
  'lang: zh-Hant',
  '---',
  '',
  '請先注冊賬號，再聯系客服，并采取措施。`聯系` 是代碼，-{后果}- 是規則。',
  '',
  '于老師說：逾期后的后果自負。',
  ''
].join('\n')

const fixed = [
  '---',
  'title: 註冊須知',
  'lang: zh-Hant',
  '---',
  '',
  '請先註冊賬號，再聯繫客服，並採取措施。`聯系` 是代碼，-{后果}- 是規則。',
  '',
  '于老師說：逾期後的後果自負。',
  ''
].join('\n')

async function project(files: Record<string, string>): Promise<string> {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(folder, 'source', name), content)
  return folder
}

describe('check --fix', () => {
  it('--dry-run prints a diff and writes nothing', async () => {
    const folder = await project({'a.md': article, 'b.md': '---\ntitle: 简体\nlang: zh-Hans\n---\n\n联系我们。\n'})
    const result = await runCli(['check', '--fix', '--dry-run'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      [
        '--- source/a.md',
        '+++ source/a.md',
        '@@ -2 +2 @@',
        '-title: 注冊須知',
        '+title: 註冊須知',
        '@@ -6 +6 @@',
        '-請先注冊賬號，再聯系客服，并采取措施。`聯系` 是代碼，-{后果}- 是規則。',
        '+請先註冊賬號，再聯繫客服，並採取措施。`聯系` 是代碼，-{后果}- 是規則。',
        '@@ -8 +8 @@',
        '-于老師說：逾期后的后果自負。',
        '+于老師說：逾期後的後果自負。',
        ''
      ].join('\n')
    )
    expect(result.stderr).toContain('would fix source/a.md: 7 characters (注冊 → 註冊 ×2, 聯系 → 聯繫, 并采 → 並採, 后 → 後, 后果 → 後果)\n')
    expect(result.stderr).toContain('would fix 7 characters in 1 file\n')
    expect(await fs.readFile(path.join(folder, 'source/a.md'), 'utf8')).toBe(article)
  })

  it('writes only the changed characters, keeps code, rules and the surname, and a second run changes nothing', async () => {
    const folder = await project({'a.md': article})
    const result = await runCli(['check', '--fix'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('fixed source/a.md: 7 characters')
    expect(await fs.readFile(path.join(folder, 'source/a.md'), 'utf8')).toBe(fixed)
    expect(await fs.readdir(path.join(folder, 'source'))).toEqual(['a.md'])
    const again = await runCli(['check', '--fix'], {cwd: folder})
    expect(again.stderr).toContain('fixed 0 characters in 0 files\n')
    expect(again.stderr).not.toContain('[standard-form]')
  })

  it('--dry-run needs --fix', async () => {
    const result = await runCli(['check', '--dry-run'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--dry-run goes with --fix')
  })
})
