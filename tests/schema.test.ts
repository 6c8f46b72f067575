/**
 * The JSON Schemas of every JSON file a build writes: each is valid
 * 2020-12; every JSON file of three built sites (the seed, the rich
 * fixture, the bundle fixture with a base URL) and of a shard build
 * validates against the schema shipped beside it; malformed files and bad
 * dates are rejected (ajv-formats checks `format: date` / `date-time`);
 * a bad date in a source stops the build with its position; and the
 * TypeScript types shipped to apps are generated from the schemas.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {compile} from 'json-schema-to-typescript'
import {beforeAll, describe, expect, it} from 'vitest'
import {articleSchema, definitions, schemaFiles, schemaOf, typesBanner, typesSchema, type SchemaFile} from '../scripts/schemas.ts'
import {buildSite, expectFile, fixtures, listFiles, root, runCli, temporaryFolder} from './helpers.ts'
import {validateFolder} from './json-files.ts'

const ajv = new Ajv2020({allErrors: true, strict: true})
addFormats.default(ajv)
const validate = ajv.compile(articleSchema)

const richSite = path.join(fixtures, 'rich-site', 'source')
const bundleSite = path.join(fixtures, 'bundle-site', 'source')

let seed: string
let good: Record<string, unknown>

async function build(source: string, ...extra: Array<string>): Promise<string> {
  const out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--source', source, '--out', out, ...extra])
  expect(result.code, result.stderr).toBe(0)
  return out
}

beforeAll(async () => {
  seed = await buildSite()
  good = JSON.parse(await fs.readFile(path.join(seed, 'json/zh-HK/mouse-guide.json'), 'utf8'))
})

describe('the shipped schemas', () => {
  it('are valid 2020-12 schemas that ajv compiles in strict mode, with formats', () => {
    for (const file of Object.keys(schemaFiles) as Array<SchemaFile>) {
      const schema = schemaOf(file)
      expect(ajv.validateSchema(schema), file).toBe(true)
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
      expect(schema.$id).toBe(`https://zhpress.invalid/schema/${file}`)
    }
  })

  it('carry only the definitions they refer to', () => {
    expect(Object.keys(schemaOf('manifest.schema.json').$defs as object)).toEqual(['Locale', 'Generator', 'ManifestEntry'])
    expect(Object.keys(schemaOf('titles.schema.json').$defs as object)).toEqual(['Slug'])
    expect(schemaOf('report.schema.json').title).toBe('Report')
  })
})

describe('every JSON file a build writes validates against its shipped schema', () => {
  async function expectValid(out: string, expected: Record<string, number>) {
    const results = await validateFolder(out)
    for (const result of results) expect(result.errors, `${result.name} (${result.schema})`).toEqual([])
    const counts: Record<string, number> = {}
    for (const result of results) counts[result.schema] = (counts[result.schema] ?? 0) + 1
    expect(counts).toEqual(expected)
    // Nothing JSON left unchecked.
    const json = (await listFiles(out)).filter((name) => name.endsWith('.json'))
    expect(results.map((result) => result.name)).toEqual(json)
  }

  const shipped = {meta: 7, 'manifest.schema.json': 1, 'report.schema.json': 1}

  it('the seed site (source/ and the site fixture: 2 articles)', async () => {
    await expectValid(seed, {
      ...shipped,
      'article.schema.json': 8,
      'index.schema.json': 4,
      'resource.schema.json': 8,
      'titles.schema.json': 4,
      'ui.schema.json': 4
    })
  })

  it('the rich fixture site (dates with time and offset, updated, folders, tables, task lists, footnotes, images)', async () => {
    const out = await build(richSite)
    // The site tests add articles to it: one document and one namespace per article and locale.
    const articles = (await listFiles(richSite)).filter((name) => name.endsWith('.md')).length
    expect(articles).toBeGreaterThanOrEqual(4)
    await expectValid(out, {
      ...shipped,
      'article.schema.json': 4 * articles,
      'index.schema.json': 4,
      'resource.schema.json': 4 * articles,
      'titles.schema.json': 4,
      'ui.schema.json': 4
    })
  })

  it('the bundle fixture site with a base URL (folders, every kind of date, no front matter)', async () => {
    const out = await build(bundleSite, '--base-url', 'https://example.org/tea/')
    await expectValid(out, {
      ...shipped,
      'article.schema.json': 16,
      'index.schema.json': 4,
      'resource.schema.json': 16,
      'titles.schema.json': 4,
      'ui.schema.json': 4
    })
  })

  it('a shard of it (shard.json against the schema merge checks it with)', async () => {
    const out = await build(bundleSite, '--shard', '1/2')
    const results = await validateFolder(out)
    for (const result of results) expect(result.errors, `${result.name} (${result.schema})`).toEqual([])
    expect(results.map((result) => result.schema)).toContain('shard.json')
  })
})

/** A copy of the good document with one change. */
function broken(change: (document: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(good)
  change(copy)
  return copy
}

describe('article.schema.json rejects', () => {
  const cases: Array<[string, (document: Record<string, any>) => void, string]> = [
    ['a missing title', (document) => delete document.title, 'required'],
    ['an empty title', (document) => void (document.title = ''), 'minLength'],
    ['another schema version', (document) => void (document.schemaVersion = 1), 'const'],
    ['an unknown locale', (document) => void (document.locale = 'zh-MO'), 'enum'],
    ['a slug that is a path', (document) => void (document.slug = '../etc/passwd'), 'pattern'],
    ['an unknown field', (document) => void (document.extra = true), 'additionalProperties'],
    ['tags that are not a list', (document) => void (document.tags = '貸款'), 'type'],
    ['a toc entry without id', (document) => delete document.toc[0].id, 'required'],
    ['a toc depth of 7', (document) => void (document.toc[0].depth = 7), 'maximum'],
    ['negative stats', (document) => void (document.stats.characters = -1), 'minimum'],
    ['fractional stats', (document) => void (document.stats.reviewCount = 0.5), 'type'],
    ['an alternate in an unknown locale', (document) => void (document.alternates['zh-MO'] = document.alternates['zh-HK']), 'additionalProperties'],
    ['an alternate relative to the build folder (the old shape)', (document) => void (document.alternates['zh-HK'].html = 'html/zh-HK/mouse-guide.html'), 'pattern'],
    ['an alternate outside its folder', (document) => void (document.alternates['zh-HK'].html = '../x.html'), 'pattern'],
    ['a relative alternate url', (document) => void (document.alternates['zh-HK'].url = 'zh-HK/mouse-guide.html'), 'pattern'],
    ['a tree with positions', (document) => void (document.tree.children[0].position = {start: {line: 1, column: 1}}), 'false schema'],
    ['a tree that is not a root', (document) => void (document.tree.type = 'paragraph'), 'const'],
    ['a node without type', (document) => delete document.tree.children[0].type, 'required'],
    ['a date that is a word', (document) => void (document.date = 'yesterday'), 'format'],
    ['a date with slashes', (document) => void (document.date = '2026/03/15'), 'format'],
    ['a date that does not exist', (document) => void (document.date = '2026-02-30'), 'format'],
    ['a date in a non-leap February', (document) => void (document.updated = '2025-02-29'), 'format'],
    ['a time past midnight', (document) => void (document.updated = '2026-03-15T24:00:00+08:00'), 'format'],
    ['a date and time without seconds (not the bundle form)', (document) => void (document.date = '2026-03-15T07:30'), 'format'],
    ['a date as a number', (document) => void (document.date = 20260315), 'type']
  ]

  for (const [name, change, keyword] of cases) {
    it(name, () => {
      expect(validate(broken(change))).toBe(false)
      const keywords = validate.errors!.map((error) => error.keyword)
      expect(keywords).toContain(keyword)
    })
  }

  it('nothing else: each kind of date is accepted', () => {
    for (const date of ['2026-03-15', '2024-02-29', '2026-03-15T07:30:00+08:00', '2026-03-15T07:30:00.25Z', '2026-03-15T07:30:00', null]) {
      expect(validate(broken((document) => void (document.date = date))), JSON.stringify(validate.errors)).toBe(true)
    }
  })
})

describe('a bad date in a source', () => {
  it('stops the build with the position of each value, and writes nothing', async () => {
    const folder = await temporaryFolder()
    const source = path.join(folder, 'source')
    await fs.mkdir(source)
    await fs.writeFile(path.join(source, 'a.md'), '---\ntitle: 日期寫錯了\nlang: zh-TW\ndate: 15/03/2026\n---\n\n正文。\n')
    await fs.writeFile(path.join(source, 'b.md'), '---\ntitle: 不存在的日子\nlang: zh-TW\ndate: 2026-03-01\nupdated: "2026-02-30"\n---\n\n正文。\n')
    const result = await runCli(['build', '--source', 'source', '--out', 'dist'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^source\/a\.md:4:7 error invalid `date`: `15\/03\/2026` is not a date; .* \[invalid-date\]$/m)
    expect(result.stderr).toMatch(/^source\/b\.md:5:10 error invalid `updated`: `2026-02-30`: 2026-02 has 28 days.* \[invalid-date\]$/m)
    await expect(fs.access(path.join(folder, 'dist'))).rejects.toThrow()
  })
})

describe('the TypeScript types', () => {
  it('are generated from the schemas into scripts/bundle-types.ts (UPDATE=1 rewrites them)', async () => {
    const generated = await compile(structuredClone(typesSchema()) as never, 'ZhpressJson', {
      bannerComment: typesBanner,
      unreachableDefinitions: true
    })
    const file = path.join(root, 'scripts/bundle-types.ts')
    expect(generated).toBe(await expectFile(file, generated))
  })

  it('name every definition', () => {
    const types = typesSchema()
    for (const [name, definition] of Object.entries(definitions)) expect((definition as {title?: string}).title, name).toBe(name)
    expect(Object.keys(types.$defs as object)).toEqual(Object.keys(definitions))
  })
})
