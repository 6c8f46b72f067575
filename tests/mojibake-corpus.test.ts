/**
 * `import` never damages valid text: the mojibake rule changes and reports
 * nothing on a corpus of clean Chinese text of every kind (brackets,
 * footnote markers, full-width punctuation, mixed scripts, rare but real
 * characters), and an import keeps such lines as written.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {createDraft} from '../scripts/clean/draft.ts'
import {mojibake} from '../scripts/clean/mojibake.ts'
import type {Report, RuleContext} from '../scripts/clean/types.ts'
import {fixtures, runCli, temporaryFolder} from './helpers.ts'

const corpus = path.join(fixtures, 'clean-text', 'corpus.txt')

function runRule(text: string): {edits: number; reports: Array<Report>} {
  const reports: Array<Report> = []
  const context = {options: {chrome: {navigation: [], footers: [], breadcrumb: {separators: [], home: [], current: []}, leadLabels: []}}, facts: {}, report: (report: Report) => reports.push(report)} as unknown as RuleContext
  return {edits: mojibake.run(createDraft(text), context).length, reports}
}

describe('mojibake repair leaves valid text alone', async () => {
  const lines = (await fs.readFile(corpus, 'utf8')).split('\n').filter(Boolean)

  it('the corpus has lines of every kind', () => {
    expect(lines.length).toBeGreaterThanOrEqual(30)
  })

  for (const line of lines) {
    it(line, () => {
      expect(runRule(line)).toEqual({edits: 0, reports: []})
    })
  }

  it('the corpus as one text', () => {
    expect(runRule(lines.join('\n'))).toEqual({edits: 0, reports: []})
  })

  it('still repairs real mojibake, proved by the byte round trip', () => {
    // UTF-8 bytes of 需要注意還款日 decoded as GBK.
    const {edits, reports} = runRule('提示：闇€瑕佹敞鎰忛倓娆炬棩。')
    expect(edits).toBe(1)
    expect(reports).toHaveLength(1)
  })
})

describe('import keeps bracketed text', () => {
  it('[图片] and 详见[1] come out as written', async () => {
    const cwd = await temporaryFolder()
    const input = path.join(cwd, 'scraped.txt')
    await fs.writeFile(input, '展会照片\n\n[图片]这是我们在展会上拍的照片。\n\n详见[1]的说明，以及[^2]的补充。\n')
    const result = await runCli(['import', input, '--out', 'source', '--slug', 'zhanhui'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('mojibake')
    const article = await fs.readFile(path.join(cwd, 'source', 'zhanhui.md'), 'utf8')
    // Scraped text is plain text: Markdown escapes keep its brackets literal
    // (`\\[1]` reads as `[1]`, never as a link or a footnote).
    expect(article).toContain('\\[图片]这是我们在展会上拍的照片。')
    expect(article).toContain('详见\\[1]的说明，以及\\[^2]的补充。')
  })
})
