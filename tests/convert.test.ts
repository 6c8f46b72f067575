/**
 * Conversion fixtures: tests/fixtures/convert/<case>/input.md and the
 * expected Markdown of every locale beside it (`<locale>.md`), plus the
 * diagnostics `convert` prints (`messages.txt`, one line each). A
 * `glossary.yaml` beside the input is used as `convert` uses one beside any
 * input. A case whose messages hold an error expects exit 1 and no output.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {expectFile, fixtures, runCli} from './helpers.ts'

const folder = path.join(fixtures, 'convert')
const cases = fs.readdirSync(folder).filter((name) => fs.statSync(path.join(folder, name)).isDirectory()).sort()

describe('convert fixtures', () => {
  for (const name of cases) {
    it(name, async () => {
      const input = path.join(folder, name, 'input.md')
      const messages: Array<string> = []
      for (const locale of locales) {
        const result = await runCli(['convert', '--to', locale, '--markdown', input])
        const lines = result.stderr.split('\n').filter(Boolean).map((line) => line.replace(path.join(folder, name) + path.sep, ''))
        messages.push(...lines)
        if (lines.some((line) => / error /.test(line))) {
          expect(result.code).toBe(1)
          expect(result.stdout).toBe('')
          continue
        }

        expect(result.code, result.stderr).toBe(0)
        const expected = await expectFile(path.join(folder, name, locale + '.md'), result.stdout)
        expect(result.stdout, `${name}/${locale}.md`).toBe(expected)
      }

      const text = [...new Set(messages)].join('\n') + (messages.length > 0 ? '\n' : '')
      expect(text).toBe(await expectFile(path.join(folder, name, 'messages.txt'), text))
    })
  }
})
