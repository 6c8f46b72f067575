/**
 * A real build of source/ (the seed article) into a temporary folder.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import i18next from 'i18next'
import {beforeAll, describe, expect, it} from 'vitest'
import {htmlLang, locales} from '../scripts/locales.ts'
import {hashFolder, listFiles, root, runCli, temporaryFolder} from './helpers.ts'

let out: string
let sourceBefore: Map<string, string>

const read = (name: string) => fs.readFile(path.join(out, name), 'utf8')
const han = /[\p{Script=Han}]/gu

beforeAll(async () => {
  sourceBefore = await hashFolder(path.join(root, 'source'))
  out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--out', out])
  expect(result.code, result.stderr).toBe(0)
  expect(result.stderr).toMatch(/built 1 article × 4 locales/)
})

describe('build of the seed article', () => {
  it('writes 4 locales × md, json, html plus resources, schema, report and manifest', async () => {
    const files = await listFiles(out)
    for (const locale of locales) {
      expect(files).toContain(`markdown/${locale}/lexin-overdue.md`)
      expect(files).toContain(`json/${locale}/lexin-overdue.json`)
      expect(files).toContain(`html/${locale}/lexin-overdue.html`)
      expect(files).toContain(`html/${locale}/index.html`)
    }

    for (const name of ['json/resources/zh-TW/ui.json', 'json/zh-TW/index.json', 'json/article.schema.json', 'manifest.json', 'report.json', 'html/index.html']) {
      expect(files).toContain(name)
    }
  })

  it('publishes Simplified text in zh-Hans', async () => {
    const markdown = await read('markdown/zh-Hans/lexin-overdue.md')
    expect(markdown).toContain('title: 乐信逾期会爆通讯录吗')
    expect(markdown).toContain('## 一、乐信平台')
    const document = JSON.parse(await read('json/zh-Hans/lexin-overdue.json'))
    expect(document.title).toBe('乐信逾期会爆通讯录吗')
    expect(document.sourceLocale).toBe('zh-Hant')
    expect(document.stats.convertedCharacters).toBeGreaterThan(100)
  })

  it('uses Taiwan phrasing in zh-TW where OpenCC gives it', async () => {
    const markdown = await read('markdown/zh-TW/lexin-overdue.md')
    expect(markdown).toContain('通過網路貸款') // 網絡 → 網路
    expect(markdown).toContain('提供個人資訊') // 信息 → 資訊
    expect(markdown).toContain('網際網路金融平臺') // 互聯網 → 網際網路
    expect(markdown).toContain('為使用者提供') // 用戶 → 使用者
  })

  it('publishes the zh-Hant source with standard forms only, and never touches source/', async () => {
    const source = await fs.readFile(path.join(root, 'source/lexin-overdue.md'), 'utf8')
    const output = await read('markdown/zh-Hant/lexin-overdue.md')
    // Character for character the source, but for the non-standard forms.
    const changed = new Set<string>()
    const [a, b] = [[...source], [...output]]
    expect(b.length).toBe(a.length)
    for (const [index, char] of a.entries()) if (char !== b[index]) changed.add(`${char}→${b[index]}`)
    expect([...changed].sort()).toEqual(['于→於', '沖→衝', '后→後', '并→並', '征→徵', '注→註', '采→採', '周→週', '歷→曆', '盡→儘', '系→繫'].sort())
    for (const locale of ['zh-Hant', 'zh-TW', 'zh-HK']) {
      // Every output, read raw: the pages' ids and links to headings (`#五逾期後的補救措施`) are in standard forms too.
      for (const name of [`markdown/${locale}/lexin-overdue.md`, `html/${locale}/lexin-overdue.html`, `json/${locale}/lexin-overdue.json`, `json/resources/${locale}/lexin-overdue.json`]) {
        expect(await read(name), name).not.toMatch(/后|于|并|聯系|征信|采取|對于|注冊/)
      }
    }
    expect(await read('html/zh-Hans/lexin-overdue.html')).not.toMatch(/随著/)

    expect(await hashFolder(path.join(root, 'source'))).toEqual(sourceBefore)
  })

  it('changes nothing but Han characters, quotation marks (and the lang value) in every Markdown output', async () => {
    const source = await fs.readFile(path.join(root, 'source/lexin-overdue.md'), 'utf8')
    const skeleton = (text: string) => text.replace(/^lang: .*$/m, 'lang:').replace(han, '').replace(/[“”‘’「」『』]/g, '')
    for (const locale of locales) {
      expect(skeleton(await read(`markdown/${locale}/lexin-overdue.md`)), locale).toBe(skeleton(source))
    }
  })

  it('loads into a real i18next instance', async () => {
    const resources: Record<string, Record<string, Record<string, string>>> = {}
    for (const locale of locales) {
      resources[locale] = {}
      for (const ns of ['ui', 'titles', 'lexin-overdue']) resources[locale][ns] = JSON.parse(await read(`json/resources/${locale}/${ns}.json`))
    }

    const instance = i18next.createInstance()
    await instance.init({resources, lng: 'zh-Hans', fallbackLng: false})
    expect(instance.t('title', {ns: 'lexin-overdue'})).toBe('乐信逾期会爆通讯录吗')
    await instance.changeLanguage('zh-TW')
    expect(instance.t('title', {ns: 'lexin-overdue'})).toBe('樂信逾期會爆通訊錄嗎')
    expect(instance.t('toc', {ns: 'ui'})).toBe('目錄')
    await instance.changeLanguage('zh-Hans')
    expect(instance.t('toc', {ns: 'ui'})).toBe('目录')
  })

  it('writes HTML that parses without errors and carries the right lang', async () => {
    for (const locale of locales) {
      for (const name of [`html/${locale}/lexin-overdue.html`, `html/${locale}/index.html`]) {
        const errors: Array<string> = []
        const tree = fromHtml(await read(name), {onerror: (error) => void errors.push(error.message)})
        expect(errors, name).toEqual([])
        const html = tree.children.find((node) => node.type === 'element')
        expect(html && html.type === 'element' && html.properties.lang, name).toBe(htmlLang[locale])
      }
    }

    const page = await read('html/zh-TW/lexin-overdue.html')
    for (const locale of locales) expect(page).toContain(`hreflang="${htmlLang[locale]}" href="../${locale}/lexin-overdue.html"`)
    expect(page).toContain('hreflang="x-default"')
    expect(page).toContain('<a href="#一樂信平臺">一、樂信平臺</a>')
    expect(page).toContain('id="一樂信平臺"')
  })

  it('lists every output in the manifest with its sha256', async () => {
    const manifest = JSON.parse(await read('manifest.json'))
    const files = (await listFiles(out)).filter((name) => name !== 'manifest.json')
    expect(manifest.outputs.map((entry: {path: string}) => entry.path)).toEqual(files)
    for (const entry of manifest.outputs) {
      const hash = createHash('sha256').update(await fs.readFile(path.join(out, entry.path))).digest('hex')
      expect(hash, entry.path).toBe(entry.sha256)
    }

    expect(manifest.generator['opencc-js']).toMatch(/^\d+\.\d+\.\d+/)
  })
})
