/**
 * The JSON Schema of the document model: it is valid 2020-12, it accepts
 * what the build writes, it rejects malformed documents, and the TypeScript
 * types shipped to apps are generated from it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {compile} from 'json-schema-to-typescript'
import {beforeAll, describe, expect, it} from 'vitest'
import {articleSchema, typesBanner} from '../scripts/render-json.ts'
import {expectFile, root, runCli, temporaryFolder} from './helpers.ts'

const validate = new Ajv2020({allErrors: true, strict: true}).compile(articleSchema)

let good: Record<string, unknown>

beforeAll(async () => {
  const out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--out', out, '--formats', 'json'])
  expect(result.code, result.stderr).toBe(0)
  good = JSON.parse(await fs.readFile(path.join(out, 'json/zh-HK/lexin-overdue.json'), 'utf8'))
})

/** A copy of the good document with one change. */
function broken(change: (document: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(good)
  change(copy)
  return copy
}

describe('article.schema.json', () => {
  it('accepts a built document', () => {
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true)
  })

  const cases: Array<[string, (document: Record<string, any>) => void, string]> = [
    ['missing title', (document) => delete document.title, 'required'],
    ['empty title', (document) => void (document.title = ''), 'minLength'],
    ['another schema version', (document) => void (document.schemaVersion = 2), 'const'],
    ['unknown locale', (document) => void (document.locale = 'zh-MO'), 'enum'],
    ['slug that is a path', (document) => void (document.slug = '../etc/passwd'), 'pattern'],
    ['unknown field', (document) => void (document.extra = true), 'additionalProperties'],
    ['tags not a list', (document) => void (document.tags = '貸款'), 'type'],
    ['toc entry without id', (document) => delete document.toc[0].id, 'required'],
    ['toc depth 7', (document) => void (document.toc[0].depth = 7), 'maximum'],
    ['negative stats', (document) => void (document.stats.characters = -1), 'minimum'],
    ['fractional stats', (document) => void (document.stats.reviewCount = 0.5), 'type'],
    ['alternate in an unknown locale', (document) => void (document.alternates['zh-MO'] = document.alternates['zh-HK']), 'additionalProperties'],
    ['alternate path outside its folder', (document) => void (document.alternates['zh-HK'].html = '../x.html'), 'pattern'],
    ['tree with positions', (document) => void (document.tree.children[0].position = {start: {line: 1, column: 1}}), 'false schema'],
    ['tree that is not a root', (document) => void (document.tree.type = 'paragraph'), 'const'],
    ['node without type', (document) => delete document.tree.children[0].type, 'required']
  ]

  for (const [name, change, keyword] of cases) {
    it(`rejects a document with ${name}`, () => {
      expect(validate(broken(change))).toBe(false)
      const keywords = validate.errors!.map((error) => (error.keyword === 'false schema' ? 'false schema' : error.keyword))
      expect(keywords).toContain(keyword)
    })
  }

  it('generates the TypeScript types in scripts/article-types.ts (UPDATE=1 rewrites them)', async () => {
    const generated = await compile(structuredClone(articleSchema) as never, 'ArticleDocument', {
      bannerComment: typesBanner,
      unreachableDefinitions: true
    })
    const file = path.join(root, 'scripts/article-types.ts')
    expect(generated).toBe(await expectFile(file, generated))
  })
})
