/**
 * Determinism: the same input gives the same bytes, whatever the output
 * folder, the run, or the order `--locales` was typed in.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {fixtures, hashFolder, root, runCli, temporaryFolder} from './helpers.ts'

describe('determinism', () => {
  it('two builds of the same input are byte-identical, manifest and report included', async () => {
    const cwd = await temporaryFolder()
    const source = path.join(cwd, 'source')
    await fs.mkdir(source)
    await fs.copyFile(path.join(root, 'source/lexin-overdue.md'), path.join(source, 'lexin-overdue.md'))
    for (const name of ['crlf-line-endings', 'bom', 'outside-bmp-and-combining', 'phrase-across-strong']) {
      await fs.copyFile(path.join(fixtures, 'convert', name, 'input.md'), path.join(source, name + '.md'))
    }

    // An article without `lang` puts a detected-locale message in report.json.
    await fs.writeFile(path.join(source, 'detected.md'), '---\ntitle: 检测\n---\n\n这是简体中文的软件头发。\n')

    // Without the cache: the second build must make the same bytes, not copy them.
    const first = await runCli(['build', '--no-cache', '--out', 'one'], {cwd})
    expect(first.code, first.stderr).toBe(0)
    const second = await runCli(['build', '--no-cache', '--out', path.join(cwd, 'elsewhere', 'two'), '--locales', 'zh-HK,zh-TW,zh-Hant,zh-Hans'], {cwd})
    expect(second.code, second.stderr).toBe(0)

    const one = await hashFolder(path.join(cwd, 'one'))
    const two = await hashFolder(path.join(cwd, 'elsewhere', 'two'))
    expect([...one.keys()]).toEqual([...two.keys()])
    expect(one.size).toBeGreaterThan(70)
    for (const [name, hash] of one) expect(two.get(name), name).toBe(hash)

    const report = JSON.parse(await fs.readFile(path.join(cwd, 'one', 'report.json'), 'utf8'))
    expect(report.messages.map((message: {ruleId: string}) => message.ruleId)).toContain('detected-locale')
    // Two full builds without any cache (dictionaries compiled per worker): slow on a loaded machine.
  }, 300_000)
})
