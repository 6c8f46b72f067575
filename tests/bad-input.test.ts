/**
 * The bad input catalogue: tests/fixtures/bad-input/<case>/ holds the
 * articles (`source/`), `options.json` (`exit`, extra `args`, or `generate`
 * for inputs too big to commit) and `messages.txt`, every line the CLI
 * prints. Each case checks the exact lines, the exit code, that no stack
 * trace is printed, that a failed build writes nothing and that source/ is
 * never modified.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {expectFile, fixtures, hashFolder, listFiles, runCli, temporaryFolder} from './helpers.ts'

interface CaseOptions {
  exit: number
  args?: Array<string>
  generate?: keyof typeof generators
}

const head = (title: string) => `---\ntitle: ${title}\nlang: zh-Hans\n---\n\n`

/** Inputs generated in the test rather than committed: file name → content. */
const generators = {
  // 20 MB of ordinary paragraphs.
  'too-large': () => ({'huge.md': head('巨') + '头发和软件都在网络上。\n\n'.repeat(20 * 1024 * 1024 / 36)}),
  'deep-blockquote': () => ({'quotes.md': head('深') + '>'.repeat(10_000) + ' 头发\n'}),
  'deep-list': () => ({'lists.md': head('深') + '- '.repeat(10_000) + '头发\n'}),
  // Raw HTML nesting the line scan does not see: the tree depth check after parsing.
  'deep-raw-html': () => ({'divs.md': head('深') + '<div>'.repeat(10_000) + '头发' + '</div>'.repeat(10_000) + '\n'}),
  // One line of 1,000,000 characters, one in ten of them Simplified.
  'long-line': () => ({'line.md': head('长') + '头发 abcdefghijklmnopq'.repeat(50_000) + '\n'})
}

const folder = path.join(fixtures, 'bad-input')
const cases = fs.readdirSync(folder).filter((name) => fs.statSync(path.join(folder, name)).isDirectory()).sort()

describe('bad input catalogue', () => {
  for (const name of cases) {
    it(name, async () => {
      const options = JSON.parse(fs.readFileSync(path.join(folder, name, 'options.json'), 'utf8')) as CaseOptions
      const cwd = await temporaryFolder()
      const source = path.join(cwd, 'source')
      if (fs.existsSync(path.join(folder, name, 'source'))) await fsp.cp(path.join(folder, name, 'source'), source, {recursive: true})
      await fsp.mkdir(source, {recursive: true})
      if (options.generate) {
        for (const [file, content] of Object.entries(generators[options.generate]())) await fsp.writeFile(path.join(source, file), content)
      }

      const before = await hashFolder(source)
      const result = await runCli(['build', '--source', 'source', '--out', 'dist', ...(options.args ?? [])], {cwd})
      // The duration of a successful build is the one varying part.
      const stderr = result.stderr.replace(/\(\d+\.\d+s/g, '(…s').replace(/, cache [\d.]+ [kM]B\)/g, ', cache …)')

      expect(stderr).toBe(await expectFile(path.join(folder, name, 'messages.txt'), stderr))
      expect(result.code, stderr).toBe(options.exit)
      expect(stderr).not.toMatch(/^\s+at /m)
      expect(stderr).not.toContain('internal error')
      expect(await hashFolder(source)).toEqual(before)
      if (options.exit !== 0) expect(fs.existsSync(path.join(cwd, 'dist'))).toBe(false)
      else expect((await listFiles(path.join(cwd, 'dist'))).length).toBeGreaterThan(0)
      await fsp.rm(cwd, {recursive: true, force: true})
    })
  }
})
