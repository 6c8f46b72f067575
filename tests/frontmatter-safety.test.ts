/**
 * Front matter written safely: converted values are read back as the values
 * they were converted to (serialized by the YAML library when the patched
 * text would mean something else), non-text values are errors with a
 * position (or text, where obvious), aliases are bounded by how far they
 * expand, and YAML warnings are diagnostics, never raw library output.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {doubleQuotedValue, readsBack, readsBackParsed} from '../scripts/frontmatter-edits.ts'
import {runCli, temporaryFolder} from './helpers.ts'
import {runCliProcess} from './process.ts'

async function project(files: Record<string, string>): Promise<string> {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(cwd, 'source', name), content)
  return cwd
}

async function frontmatterOf(cwd: string, locale: string, slug: string): Promise<Record<string, unknown>> {
  const markdown = await fs.readFile(path.join(cwd, 'dist/markdown', locale, `${slug}.md`), 'utf8')
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown)
  expect(match, markdown).not.toBeNull()
  return parse(match![1]!) as Record<string, unknown>
}

const body = '\n用戶通過網絡貸款，頭髮和軟體都在互聯網上。\n'

describe('converted values stay the values they were converted to', () => {
  it('a rule whose form is YAML syntax ([乙]), a # that would start a comment, a glossary value with a line break', async () => {
    const cwd = await project({
      'a.md': `---\ntitle: -{zh-Hans:甲;zh-TW:[乙]}-篇\nlang: zh-Hant\ndescription: 說明 -{#}-後半\ntags: [網絡, 軟件]\n---\n${body}`,
      'glossary.yaml': 'variants:\n  - {zh-Hans: 软件, zh-TW: "軟體], x\\nslug: evil", zh-HK: 軟件}\n',
      'b.md': `---\ntitle: 軟件介紹\nlang: zh-Hant\n---\n${body}`
    })
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    const tw = await frontmatterOf(cwd, 'zh-TW', 'a')
    expect(tw.title).toBe('[乙]篇')
    expect(tw.description).toBe('說明 #後半')
    expect(tw.tags).toEqual(['網路', '軟體], x\nslug: evil'])
    const hans = await frontmatterOf(cwd, 'zh-Hans', 'a')
    expect(hans.title).toBe('甲篇')
    const b = await frontmatterOf(cwd, 'zh-TW', 'b')
    expect(b.title).toBe('軟體], x\nslug: evil介紹')
    expect(Object.keys(b)).not.toContain('slug')
    // The JSON document says the same.
    const json = JSON.parse(await fs.readFile(path.join(cwd, 'dist/json/zh-TW/a.json'), 'utf8')) as {title: string}
    expect(json.title).toBe('[乙]篇')
  })

  it('a value that reads back as written keeps its bytes', async () => {
    const cwd = await project({'a.md': `---\ntitle: 網絡貸款\nlang: zh-Hant\n---\n${body}`})
    expect((await runCli(['build', '--no-cache'], {cwd})).code).toBe(0)
    const markdown = await fs.readFile(path.join(cwd, 'dist/markdown/zh-TW/a.md'), 'utf8')
    expect(markdown).toContain('\ntitle: 網路貸款\n')
  })
})

describe('reading a converted value back without parsing it', () => {
  // Chinese text, full-width and ASCII punctuation, YAML's indicators,
  // escapes, quotes, line breaks, controls, the BOM and separators, surrogates.
  const parts = [...'中文標題资料ａ：＃，。「」abcXY09 :#-[]{},&*!|>%@`?\\"\'\t\n\r\u0000\u007F\u0085\uFEFF\u2028\u00A0', '𠀋', '\uD800', 'true', 'null', '1.5', '~', '0x1F', '2024-03-01', '\\n', '\\u4E2D', "''"]
  const text = fc.array(fc.constantFrom(...parts), {maxLength: 12}).map((items) => items.join(''))
  const scalar = fc.oneof(
    text,
    text.map((inner) => `"${inner}"`),
    text.map((inner) => `'${inner}'`),
    fc.string({unit: 'binary', maxLength: 12})
  )

  it('a scalar reads back as a value exactly when the YAML library says it does (in a mapping and in a flow sequence)', () => {
    fc.assert(
      fc.property(scalar, fc.boolean(), fc.boolean(), (patched, flow, same) => {
        // The value: either what the scalar means to the library (when it is a string), or some text.
        let meant: unknown
        try {
          meant = (parse(flow ? `x: [${patched}]` : `x: ${patched}`, {logLevel: 'silent', maxAliasCount: 0}) as {x?: unknown} | null)?.x
        } catch {
          meant = undefined
        }

        const read = flow && Array.isArray(meant) ? meant[0] : meant
        const value = same && typeof read === 'string' ? read : patched.replace(/^["']|["']$/g, '')
        expect(readsBack(patched, value, flow)).toBe(readsBackParsed(patched, value, flow))
      }),
      {numRuns: 3000}
    )
  })

  it('the inside of a double-quoted scalar means what the YAML library reads in it', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({unit: 'binary', maxLength: 12})), (segment) => {
        let expected: string | undefined
        try {
          const value: unknown = parse(`"${segment}"`, {logLevel: 'silent'})
          expected = typeof value === 'string' ? value : undefined
        } catch {
          expected = undefined
        }

        expect(doubleQuotedValue(segment)).toBe(expected)
      }),
      {numRuns: 3000}
    )
  })
})

describe('escaped Unicode converts like any text', () => {
  it('"\\u5934\\u53d1" titles, descriptions and tags convert in every locale, written back by the YAML library', async () => {
    const cwd = await project({
      // Simplified source: 头发 理发店 written as escapes, a rule and a line break among them.
      'a.md': '---\ntitle: "\\u5934\\u53d1 和-{\\u5934}-"\nlang: zh-Hans\ndescription: "\\u7406\\u53d1\\u5e97\\nslug: evil"\ntags: ["\\u7f51\\u7edc", 软件]\n---\n\n头发很长。\n',
      // Traditional source: 頭髮 written as escapes.
      'b.md': '---\ntitle: "\\u982d\\u9aee\\x21"\nlang: zh-Hant\n---\n\n頭髮很長。\n'
    })
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    const expected: Record<string, {title: string; description: string; tags: Array<string>; b: string}> = {
      'zh-Hans': {title: '头发 和头', description: '理发店\nslug: evil', tags: ['网络', '软件'], b: '头发!'},
      'zh-Hant': {title: '頭髮 和头', description: '理髮店\nslug: evil', tags: ['網絡', '軟件'], b: '頭髮!'},
      'zh-TW': {title: '頭髮 和头', description: '理髮店\nslug: evil', tags: ['網路', '軟體'], b: '頭髮!'},
      'zh-HK': {title: '頭髮 和头', description: '理髮店\nslug: evil', tags: ['網絡', '軟件'], b: '頭髮!'}
    }
    for (const [locale, want] of Object.entries(expected)) {
      const front = await frontmatterOf(cwd, locale, 'a')
      expect(front.title, locale).toBe(want.title)
      expect(front.description, locale).toBe(want.description)
      expect(front.tags, locale).toEqual(want.tags)
      expect(Object.keys(front), locale).not.toContain('slug')
      expect((await frontmatterOf(cwd, locale, 'b')).title, locale).toBe(want.b)
      const json = JSON.parse(await fs.readFile(path.join(cwd, 'dist/json', locale, 'a.json'), 'utf8')) as {title: string; description: string; tags: Array<string>}
      expect(json.title, locale).toBe(want.title)
      expect(json.description, locale).toBe(want.description)
      expect(json.tags, locale).toEqual(want.tags)
      const html = await fs.readFile(path.join(cwd, 'dist/html', locale, 'a.html'), 'utf8')
      expect(html, locale).toContain(`<title>${want.title}`)
    }

    // The source locale's own output keeps the escapes as written, rule markup aside.
    const hans = await fs.readFile(path.join(cwd, 'dist/markdown/zh-Hans/a.md'), 'utf8')
    expect(hans).toContain('description: "\\u7406\\u53d1\\u5e97\\nslug: evil"')
  })
})

describe('values that are not text', () => {
  it('title: 1984 is the text 1984', async () => {
    const cwd = await project({'a.md': `---\ntitle: 1984\nlang: zh-Hant\n---\n${body}`})
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    expect((await frontmatterOf(cwd, 'zh-TW', 'a')).title).toBe(1984)
    const json = JSON.parse(await fs.readFile(path.join(cwd, 'dist/json/zh-TW/a.json'), 'utf8')) as {title: string}
    expect(json.title).toBe('1984')
  })

  it('tags of objects and an object title are errors at their position', async () => {
    const cwd = await project({
      'a.md': `---\ntitle: 甲\nlang: zh-Hant\ntags:\n  - 乙\n  - {name: 丙}\n---\n${body}`,
      'b.md': `---\ntitle: {text: 甲}\nlang: zh-Hant\n---\n${body}`
    })
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/a.md:6:5 error broken front matter: `tags` must be text or a list of texts')
    expect(result.stderr).toContain('source/b.md:2:8 error broken front matter: `title` must be text')
    expect(result.stderr).not.toContain('[object Object]')
  })
})

describe('aliases', () => {
  const bomb = (levels: number) => {
    const lines = ['a0: &a0 [甲甲甲甲甲甲甲甲甲甲]']
    for (let level = 1; level <= levels; level++) lines.push(`a${level}: &a${level} [${Array.from({length: 10}, () => `*a${level - 1}`).join(', ')}]`)
    return lines.join('\n')
  }

  it('an alias bomb is a broken-frontmatter error, and check goes on with the other articles', async () => {
    const cwd = await project({
      'a.md': `---\ntitle: 甲\nlang: zh-Hant\n${bomb(9)}\n---\n${body}`,
      'b.md': `---\ntitle: 乙\nlang: zh-Hant\ntags: [{x: 1}]\n---\n${body}`
    })
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/source\/a\.md:\d+:\d+ error broken front matter: its aliases expand to over 1048576 characters/)
    expect(result.stderr).toContain('source/b.md:4:8 error broken front matter: `tags` must be text')
    expect(result.stderr).not.toContain('internal error')
  })

  it('aliases under the count limit that expand past the size limit are refused too', async () => {
    // 5 levels of 10 aliases each: 50 aliases, 10^5 × 10 characters.
    const cwd = await project({'a.md': `---\ntitle: 甲\nlang: zh-Hant\n${bomb(5)}\n---\n${body}`})
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('its aliases expand to over')
  })

  it('an alias with no anchor before it is an error at the alias, not an internal error; the build keeps dist/', async () => {
    const cwd = await project({'a.md': `---\ntitle: 甲\nslug: *name\nlang: zh-Hant\n---\n${body}`, 'b.md': `---\ntitle: 乙\nlang: zh-Hant\n---\n${body}`})
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/a.md:3:7 error broken front matter: the alias `*name` has no anchor `&name` before it')
    expect(result.stderr).not.toContain('internal error')
    await expect(fs.stat(path.join(cwd, 'dist'))).rejects.toThrow()
  })

  it('small aliases are fine', async () => {
    const cwd = await project({'a.md': `---\ntitle: &t 甲\nlang: zh-Hant\ndescription: *t\n---\n${body}`})
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
  })
})

describe('YAML warnings', () => {
  it('become diagnostics with a position; nothing raw reaches stderr (a subprocess)', async () => {
    const cwd = await project({'a.md': `---\ntitle: !unknown 甲\nlang: zh-Hant\n---\n${body}`})
    const result = await runCliProcess(['check'], {cwd})
    expect(result.stderr).not.toContain('YAMLWarning')
    expect(result.stderr).toMatch(/source\/a\.md:2:8 warning front matter: .*unknown.*; check the YAML \[frontmatter-warning\]/)
  })
})
