/**
 * Cleaning fixtures: tests/fixtures/clean/<case>/input.txt is imported with
 * `zhpress import`; the article it writes must equal `output.md` and the
 * report lines `messages.txt` (one line each, the input named `input.txt`).
 * `args.json` (optional) holds extra arguments; without it the slug is the
 * folder name.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {expectFile, fixtures, listFiles, runCli, temporaryFolder} from './helpers.ts'

const folder = path.join(fixtures, 'clean')
const cases = fs.readdirSync(folder).filter((name) => fs.statSync(path.join(folder, name)).isDirectory()).sort()

describe('clean fixtures', () => {
  for (const name of cases) {
    it(name, async () => {
      const input = path.join(folder, name, 'input.txt')
      const argsFile = path.join(folder, name, 'args.json')
      const args: Array<string> = fs.existsSync(argsFile) ? JSON.parse(fs.readFileSync(argsFile, 'utf8')) : ['--slug', name]
      const out = await temporaryFolder()
      const result = await runCli(['import', input, '--out', out, ...args])
      expect(result.code, result.stderr).toBe(0)

      const written = await listFiles(out)
      expect(written).toHaveLength(1)
      const markdown = fs.readFileSync(path.join(out, written[0]!), 'utf8')
      expect(markdown, `${name}/output.md`).toBe(await expectFile(path.join(folder, name, 'output.md'), markdown))

      const lines = result.stderr.split('\n').filter((line) => line.startsWith(input + ':')).map((line) => 'input.txt' + line.slice(input.length))
      const text = lines.join('\n') + '\n'
      expect(text, `${name}/messages.txt`).toBe(await expectFile(path.join(folder, name, 'messages.txt'), text))
    })
  }
})
