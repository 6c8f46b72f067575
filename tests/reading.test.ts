/**
 * The reading aids as files: every page of the rich fixture passes
 * html-validate, and the body carries what the browser needs (focusable
 * scroll boxes, labelled checkboxes, a collapsible unnumbered table of
 * contents). tests/browser/reading.test.ts checks how they behave.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {HtmlValidate} from 'html-validate'
import {beforeAll, describe, expect, it} from 'vitest'
import {fixtures, listFiles, root, runCli, temporaryFolder} from './helpers.ts'

let out: string
const page = async (name: string): Promise<Root> => fromHtml(await fs.readFile(path.join(out, 'html', name), 'utf8'))

beforeAll(async () => {
  out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--source', path.join(fixtures, 'rich-site/source'), '--out', out])
  expect(result.code, result.stderr).toBe(0)
})

describe('reading aids', () => {
  it('passes html-validate on every page of the rich fixture', async () => {
    const validator = new HtmlValidate(JSON.parse(await fs.readFile(path.join(root, '.htmlvalidate.json'), 'utf8')))
    const pages = (await listFiles(path.join(out, 'html'))).filter((name) => name.endsWith('.html'))
    expect(pages.length).toBeGreaterThan(8)
    for (const name of pages) {
      const report = await validator.validateString(await fs.readFile(path.join(out, 'html', name), 'utf8'), name)
      expect(report.results.flatMap((result) => result.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
    }
  })

  it('wraps tables in a focusable labelled box and makes code blocks focusable', async () => {
    for (const [locale, label] of [['zh-Hans', '表格，可左右滚动'], ['zh-TW', '表格，可左右捲動']] as const) {
      const tree = await page(`${locale}/reading-aids.html`)
      const box = select('section.table-scroll', tree)
      expect(box?.properties).toMatchObject({tabIndex: 0, ariaLabel: label})
      expect(select('section.table-scroll > table', tree)).toBeDefined()
      expect(select('pre', tree)?.properties).toMatchObject({tabIndex: 0, ariaLabel: locale === 'zh-Hans' ? '代码，可左右滚动' : '程式碼，可左右捲動'})
    }
  })

  it('labels each task-list checkbox with its item text', async () => {
    const tree = await page('zh-Hans/reading-aids.html')
    expect(selectAll('.task-list-item input', tree).map((node) => node.properties.ariaLabel)).toEqual([
      '联系消防队检查逃生路线',
      '把期刊搬到临时书库',
      '订购新的阅览桌椅',
      '安排志工在开幕当天导览'
    ])
  })

  it('gives long articles a collapsible table of contents and short ones none', async () => {
    const tree = await page('zh-TW/reading-aids.html')
    expect(select('details.toc > summary', tree)).toBeDefined()
    expect(select('details.toc', tree)?.properties.open).toBeUndefined()
    expect(selectAll('details.toc ol', tree)).toEqual([])
    expect(selectAll('details.toc nav > ul > li', tree)).toHaveLength(6)
    expect(select('details.toc', await page('zh-Hans/short-note.html'))).toBeUndefined()
  })

  it('shows the calendar date as written, whatever the offset', async () => {
    const tree = await page('zh-TW/reading-aids.html')
    expect(select('time', tree)?.properties.dateTime).toBe('2026-03-15T07:30:00+08:00')
    expect(select('time', tree)?.children).toEqual([expect.objectContaining({value: '發布於2026年3月15日'})])
  })

  it('marks links that show their own URL, so print does not repeat it', async () => {
    const tree = await page('zh-TW/reading-aids.html')
    expect(selectAll('a.url', tree).map((node) => node.properties.href)).toEqual(['https://example.org/library/import-guide'])
  })
})
