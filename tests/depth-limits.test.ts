/**
 * Same result whatever `--jobs`: depth limits are checked on the parsed tree
 * before any recursive stage, so an article nested too deep fails with the
 * same error and position on the main thread (`--jobs 1`, the smallest
 * stack) and in worker threads (`--jobs 2`), and one that builds gives the
 * same bytes. Real subprocesses, since the stack is the process's.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {temporaryFolder} from './helpers.ts'
import {runCliProcess} from './process.ts'

const head = (title: string) => `---\ntitle: ${title}\nlang: zh-Hans\n---\n\n`

async function project(files: Record<string, string>): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  // Two ordinary articles beside the deep ones: with `--jobs 2` the build uses worker threads.
  const all = {...files, 'ok-1.md': head('好') + '头发和软件。\n', 'ok-2.md': head('好二') + '网络和内存。\n'}
  for (const [name, content] of Object.entries(all)) await fs.writeFile(path.join(cwd, 'source', name), content)
  return cwd
}

/** Every file of a folder, relative path → bytes (base64). */
async function tree(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const entry of await fs.readdir(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    result[path.relative(folder, file)] = (await fs.readFile(file)).toString('base64')
  }

  return result
}

/** The diagnostic lines of a run (timings and the jobs warning aside). */
const diagnostics = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => /^\s*source\//.test(line))
    .sort()

describe('nesting too deep: the same error and position with --jobs 1 and --jobs 2', () => {
  const deep = {
    'quotes.md': head('引') + '> '.repeat(10_000) + '头发\n',
    'lists.md': head('列') + '- '.repeat(10_000) + '头发\n',
    'divs.md': head('层') + '<div>'.repeat(10_000) + '头发' + '</div>'.repeat(10_000) + '\n',
    'spans.md': head('跨') + '<span>'.repeat(10_000) + '头发\n',
    // 2,000 levels: past the main thread's overflow (about 1,000) without micromark's quadratic time on more.
    'emphasis.md': head('强') + '*甲 '.repeat(2000) + '头发' + ' 乙*'.repeat(2000) + '\n',
    'cell.md': head('表') + '| 甲 |\n| - |\n| ' + '<b>'.repeat(10_000) + '头发 |\n'
  }
  const expected = [
    'source/cell.md:8:891 error raw HTML elements nested more than 300 deep; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]',
    'source/divs.md:6:1496 error raw HTML elements nested more than 300 deep; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]',
    'source/emphasis.md:6:896 error Markdown elements (inline formatting, links, lists) nested more than 300 deep; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]',
    'source/lists.md:6:201 error more than 100 nested block quotes or lists; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]',
    'source/quotes.md:6:201 error more than 100 nested block quotes or lists; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]',
    'source/spans.md:6:1789 error raw HTML elements nested more than 300 deep; flatten the structure (zhpress cannot build deeper trees safely) [too-deep]'
  ]

  for (const jobs of ['1', '2']) {
    it(`--jobs ${jobs}: every deep article is a too-deep error with its position; nothing is published`, async () => {
      const cwd = await project(deep)
      const result = await runCliProcess(['build', '--no-cache', '--jobs', jobs], {cwd})
      expect(result.code, result.stderr).toBe(1)
      const lines = diagnostics(result.stderr)
      // Each error is printed, then listed again in the summary.
      expect([...new Set(lines.map((line) => line.trim()))]).toEqual(expected)
      expect(result.stderr).not.toMatch(/internal error|RangeError|call stack/i)
      await expect(fs.access(path.join(cwd, 'dist'))).rejects.toThrow()
    })
  }
})

describe('nesting under the limits: the same bytes with --jobs 1 and --jobs 2', () => {
  it('brackets ×10,000, strike-through, deep but allowed HTML and emphasis build identically', async () => {
    const files = {
      'brackets.md': head('括') + '['.repeat(10_000) + '头发' + ']'.repeat(10_000) + '\n',
      'strike.md': head('删') + '~~'.repeat(5000) + '头发' + '~~'.repeat(5000) + '\n',
      'divs.md': head('层') + '<div>'.repeat(290) + '头发' + '</div>'.repeat(290) + '\n',
      'emphasis.md': head('强') + '*甲 '.repeat(290) + '头发' + ' 乙*'.repeat(290) + '\n',
      'quoted-spans.md': head('引') + '> '.repeat(99) + '<span>'.repeat(190) + '头发\n'
    }
    const outputs: Array<Record<string, string>> = []
    for (const jobs of ['1', '2']) {
      const cwd = await project(files)
      const result = await runCliProcess(['build', '--no-cache', '--jobs', jobs], {cwd})
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).not.toContain('too-deep')
      outputs.push(await tree(path.join(cwd, 'dist')))
    }

    expect(Object.keys(outputs[0]!).length).toBeGreaterThan(20)
    expect(outputs[1]).toEqual(outputs[0])
    // The converted text is there, however deep.
    expect(Buffer.from(outputs[0]!['markdown/zh-TW/divs.md']!, 'base64').toString()).toContain('頭髮')
    // Two builds of pathological input in child processes: more than the default minute on a loaded machine.
  }, 240_000)
})
