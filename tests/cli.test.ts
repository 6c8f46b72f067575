import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseFormats, parseLocales, UsageError} from '../scripts/commands/args.ts'
import {fixtures, listFiles, runCli, temporaryFolder} from './helpers.ts'

describe('parseLocales', () => {
  const resolves = (input: string, expected: Array<string>) => () => expect(parseLocales(input)).toEqual(expected)
  it('zh-CN', resolves('zh-CN', ['zh-Hans']))
  it('zh-SG', resolves('zh-SG', ['zh-Hans']))
  it('zh-MO', resolves('zh-MO', ['zh-HK']))
  it('zh-tw (any case)', resolves('zh-tw', ['zh-TW']))
  it('table order, no duplicates', resolves('zh-HK,zh-Hans,zh-CN', ['zh-Hans', 'zh-HK']))
  it('unknown', () => expect(() => parseLocales('zh-XX')).toThrow(UsageError))
  it('formats', () => expect(parseFormats('html,md')).toEqual(['md', 'html']))
})

describe('cli', () => {
  it('prints help with exit 0', async () => {
    for (const argv of [['--help'], ['build', '--help'], ['convert', '-h'], ['check', '--help']]) {
      const result = await runCli(argv)
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^Usage: zhpress/)
    }
  })

  it('usage errors exit 2 with a message', async () => {
    for (const argv of [['frobnicate'], ['build', '--locales', 'zh-XX'], ['build', '--bogus'], ['convert'], ['build', '--jobs', '0']]) {
      const result = await runCli(argv)
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^zhpress: /)
    }
  })

  it('convert --markdown prints converted Markdown to stdout', async () => {
    const file = path.join(fixtures, 'convert/phrase-across-strong/input.md')
    const result = await runCli(['convert', '--to', 'zh-TW', '--markdown', file])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('理**髮**店')
  })

  it('convert reads standard input and detects the script', async () => {
    const result = await runCli(['convert', '--to', 'zh-Hans', '-'], {stdin: '樂信逾期會爆通訊錄嗎'})
    expect(result).toEqual({code: 0, stdout: '乐信逾期会爆通讯录吗', stderr: ''})
  })

  it('a broken article fails the build with file:line:column and leaves dist/ as it was', async () => {
    const folder = await temporaryFolder()
    const source = path.join(folder, 'source')
    await fs.mkdir(source)
    await fs.writeFile(path.join(source, 'good.md'), '---\ntitle: 好\nlang: zh-Hans\n---\n\n头发\n')
    const first = await runCli(['build', '--source', 'source', '--out', 'dist'], {cwd: folder})
    expect(first.code, first.stderr).toBe(0)
    const before = await listFiles(path.join(folder, 'dist'))

    await fs.writeFile(path.join(source, 'bad.md'), '---\ntitle: 壞\nlang: zh-XX\n---\n\n头发\n')
    const second = await runCli(['build', '--source', 'source', '--out', 'dist'], {cwd: folder})
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('source/bad.md:3:7 error unknown locale `zh-XX`; use zh-Hans, zh-Hant, zh-TW or zh-HK [unknown-locale]')
    expect(second.stderr).not.toMatch(/\n\s+at /)
    expect(await listFiles(path.join(folder, 'dist'))).toEqual(before)
  })
})
