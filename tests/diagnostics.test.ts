/**
 * The rule catalogue (scripts/diagnostics.ts): README's diagnostics table is
 * generated from it, every anchor lands on a README heading, every rule is
 * used, and no stage builds a message by hand.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import GithubSlugger from 'github-slugger'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {docsUrl, fail, report, rules, rulesTable, stopOnErrors, type RuleId} from '../scripts/diagnostics.ts'
import {reportEntries} from '../scripts/report.ts'
import {root, runCli, temporaryFolder} from './helpers.ts'

const readmePath = path.join(root, 'README.md')

/** The README's table: from its header line to the first line that is not a row. */
function tableIn(readme: string): {start: number; end: number} {
  const start = readme.indexOf('| rule id | severity | when |')
  if (start === -1) throw new Error('README has no `| rule id | severity | when |` table')
  let end = start
  while (end < readme.length && readme[end] === '|') {
    const next = readme.indexOf('\n', end)
    end = next === -1 ? readme.length : next + 1
  }

  return {start, end: readme[end - 1] === '\n' ? end - 1 : end}
}

/** Every TypeScript file under scripts/. */
async function sources(): Promise<Array<{name: string; text: string}>> {
  const folder = path.join(root, 'scripts')
  const names = (await fs.readdir(folder, {recursive: true})).filter((name) => name.endsWith('.ts')).sort()
  return Promise.all(names.map(async (name) => ({name, text: await fs.readFile(path.join(folder, name), 'utf8')})))
}

describe('README diagnostics table', () => {
  it('is the catalogue (UPDATE=1 rewrites it)', async () => {
    const readme = await fs.readFile(readmePath, 'utf8')
    const {start, end} = tableIn(readme)
    if (process.env.UPDATE) {
      await fs.writeFile(readmePath, readme.slice(0, start) + rulesTable() + readme.slice(end))
      return
    }

    expect(readme.slice(start, end)).toBe(rulesTable())
  })

  it('links every rule to a heading that exists', async () => {
    const readme = await fs.readFile(readmePath, 'utf8')
    const slugger = new GithubSlugger()
    const headings = new Set<string>()
    // Headings outside fenced code blocks.
    let fenced = false
    for (const line of readme.split('\n')) {
      if (/^(?:```|~~~)/.test(line)) fenced = !fenced
      const match = !fenced && /^#{1,6} (.+)$/.exec(line)
      if (match) headings.add(slugger.slug(match[1]!))
    }

    for (const [id, rule] of Object.entries(rules)) expect(headings, `${id} → #${rule.anchor}`).toContain(rule.anchor)
  })
})

describe('catalogue', () => {
  it('ids are kebab-case and summaries are one line', () => {
    for (const [id, rule] of Object.entries(rules)) {
      expect(id).toMatch(/^[a-z\d]+(?:-[a-z\d]+)*$/)
      expect(rule.summary).not.toContain('\n')
    }
  })

  it('every rule is reported somewhere in scripts/', async () => {
    const code = (await sources()).filter((file) => file.name !== 'diagnostics.ts').map((file) => file.text).join('\n')
    const unused = Object.keys(rules).filter((id) => !code.includes(`'${id}'`))
    expect(unused).toEqual([])
  })

  it('no stage builds a message by hand: messages come from the catalogue', async () => {
    const offenders: Array<string> = []
    for (const {name, text} of await sources()) {
      // diagnostics.ts makes the messages; build-task.ts restores them from a worker or the cache.
      if (name === 'diagnostics.ts' || name === path.join('commands', 'build-task.ts')) continue
      text.split('\n').forEach((line, index) => {
        if (/\.fatal\s*=(?!=)|\bfile\.(?:message|info|fail)\(|\bsource:\s*'zhpress'/.test(line)) offenders.push(`scripts/${name}:${index + 1}: ${line.trim()}`)
      })
    }

    expect(offenders).toEqual([])
  })
})

describe('report', () => {
  const cases: Array<[RuleId, unknown, boolean | undefined]> = [
    ['no-articles', {}, true],
    ['non-standard-traditional', {found: '聯系', fix: '聯繫'}, false],
    ['typography', {from: ',', to: '，'}, undefined]
  ]
  for (const [id, params, fatal] of cases) {
    it(`${id}: severity ${rules[id].severity} → fatal ${String(fatal)}`, () => {
      const file = new VFile({path: 'source/a.md'})
      const message = report(file, id, params as never, {place: {line: 2, column: 3}, expected: ['x'], note: 'y'})
      expect(file.messages).toEqual([message])
      expect(message.fatal).toBe(fatal)
      expect(message.ruleId).toBe(id)
      expect(message.source).toBe('zhpress')
      expect(message.url).toBe(docsUrl(id))
      expect([message.line, message.column, message.expected, message.note]).toEqual([2, 3, ['x'], 'y'])
    })
  }

  it('one wording: import and build word a non-standard form the same way', () => {
    const file = new VFile({path: 'a.md'})
    report(file, 'non-standard-traditional', {found: '聯系', fix: '聯繫'})
    expect(String(file.messages[0]!.reason)).toBe("聯系 is not OpenCC's standard Traditional; write 聯繫")
  })

  it('fail reports once and throws the same message', () => {
    const file = new VFile({path: 'a.md'})
    let thrown: unknown
    try {
      fail(file, 'no-articles', {})
    } catch (error) {
      thrown = error
    }

    expect(file.messages).toEqual([thrown])
  })

  it('stopOnErrors throws the last error once every error is reported, nothing twice', () => {
    const file = new VFile({path: 'a.md'})
    stopOnErrors(file)
    report(file, 'broken-glossary', {reason: 'first'})
    report(file, 'broken-glossary', {reason: 'second'})
    expect(() => stopOnErrors(file)).toThrow('second')
    expect(file.messages.map((message) => message.reason)).toEqual(['first', 'second'])
  })

  it('report entries carry the documentation anchor', () => {
    const file = new VFile({path: 'a.md'})
    report(file, 'ambiguous-conversion', {char: '干', output: '幹', locales: 'zh-TW'})
    expect(reportEntries([file])[0]!.docs).toBe('README.md#review-report')
  })
})

describe('check --format json', () => {
  it('gives every message as data, with its rule, severity and docs', async () => {
    const folder = await temporaryFolder()
    try {
      await fs.mkdir(path.join(folder, 'source'))
      await fs.writeFile(path.join(folder, 'source', 'a.md'), '---\ntitle: 甲\nlang: zh-Hant\n---\n\n請聯系我們。\n')
      await fs.writeFile(path.join(folder, 'source', 'b.md'), '---\ntitle: 乙\nlang: zh-XX\n---\n\n乙\n')
      const result = await runCli(['check', '--format', 'json'], {cwd: folder})
      expect(result.code, result.stderr).toBe(1)
      expect(result.stderr).toBe('')
      const data = JSON.parse(result.stdout) as {articles: number; errors: number; messages: Array<Record<string, unknown>>}
      expect(data.articles).toBe(2)
      expect(data.errors).toBeGreaterThan(0)
      const byRule = new Map(data.messages.map((message) => [message.ruleId, message]))
      // The build publishes the standard form: reported once per word, as info.
      expect(byRule.get('standard-form')).toMatchObject({
        file: 'source/a.md',
        line: 6,
        column: 3,
        severity: 'info',
        expected: ['聯繫'],
        docs: 'README.md#standard-forms'
      })
      for (const message of data.messages) {
        expect(rules[message.ruleId as RuleId]?.severity, String(message.ruleId)).toBe(message.severity)
      }
    } finally {
      await fs.rm(folder, {recursive: true, force: true})
    }
  })

  it('refuses an unknown format (exit 2)', async () => {
    const result = await runCli(['check', '--format', 'xml'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown format `xml`')
  })
})
