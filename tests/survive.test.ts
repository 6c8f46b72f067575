/**
 * Text that must survive: CRLF line endings, a BOM, characters outside the
 * BMP, combining sequences, variation selectors, full-width and half-width
 * forms. The convert fixtures (tests/fixtures/convert/<case>/) hold the
 * expected Markdown; this checks the same inputs through a whole build and
 * that nothing but Han characters ever changes.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {fixtures, runCli, temporaryFolder} from './helpers.ts'

const cases = ['crlf-line-endings', 'bom', 'outside-bmp-and-combining', 'full-and-half-width']
const han = /\p{Script=Han}/gu
const astral = (text: string) => [...text].filter((character) => character.codePointAt(0)! > 0xffff)
/** The text with Han characters and the `lang` value taken out: what conversion must never touch. */
const skeleton = (text: string) => text.replace(/^\uFEFF/, '').replace(/^lang: .*$/m, 'lang:').replace(han, '')

let cwd: string
const inputs = new Map<string, string>()

beforeAll(async () => {
  cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  for (const name of cases) {
    const bytes = await fs.readFile(path.join(fixtures, 'convert', name, 'input.md'))
    inputs.set(name, bytes.toString('utf8'))
    await fs.writeFile(path.join(cwd, 'source', name + '.md'), bytes)
  }

  const result = await runCli(['build'], {cwd})
  expect(result.code, result.stderr).toBe(0)
})

const read = (name: string) => fs.readFile(path.join(cwd, 'dist', name), 'utf8')

describe('text that must survive a build', () => {
  for (const name of cases) {
    it(`${name}: only Han characters change, in every locale and format`, async () => {
      const input = inputs.get(name)!
      for (const locale of locales) {
        const markdown = await read(`markdown/${locale}/${name}.md`)
        // No lone surrogate: with the u flag, only an unpaired half matches.
        expect(markdown, locale).not.toMatch(/[\uD800-\uDFFF]/u)
        expect(skeleton(markdown), locale).toBe(skeleton(input))
        expect(astral(markdown), locale).toEqual(astral(input))

        const document = JSON.parse(await read(`json/${locale}/${name}.json`)) as {html: string; text: string}
        const page = await read(`html/${locale}/${name}.html`)
        const body = astral(input.slice(input.indexOf('\n---', 4) + 4))
        expect(astral(document.text), locale).toEqual(body)
        // HTML repeats some of them in heading ids and the page title.
        expect(astral(document.html), locale).toEqual(expect.arrayContaining(body))
        expect(astral(page), locale).toEqual(expect.arrayContaining(body))
      }
    })
  }

  it('keeps CRLF line endings in the Markdown output and the JSON `markdown` field', async () => {
    for (const locale of locales) {
      const markdown = await read(`markdown/${locale}/crlf-line-endings.md`)
      expect(markdown, locale).toMatch(/\r\n/)
      expect(markdown.replace(/\r\n/g, ''), locale).not.toMatch(/[\r\n]/)
      const document = JSON.parse(await read(`json/${locale}/crlf-line-endings.json`)) as {markdown: string}
      expect(document.markdown.replace(/\r\n/g, ''), locale).not.toMatch(/[\r\n]/)
    }

    expect(await read('markdown/zh-TW/crlf-line-endings.md')).toContain('網路**資訊**\r\n續行頭髮\r\n')
  })

  it('strips a BOM from every output', async () => {
    for (const locale of locales) {
      expect(await read(`markdown/${locale}/bom.md`), locale).toMatch(/^---\ntitle: /)
      expect(await read(`html/${locale}/bom.html`), locale).not.toContain('\uFEFF')
      expect(await read(`json/${locale}/bom.json`), locale).not.toContain('\uFEFF')
    }
  })

  it('keeps combining sequences, variation selectors and widths as written (no Unicode normalization)', async () => {
    const markdown = await read('markdown/zh-TW/outside-bmp-and-combining.md')
    for (const sequence of ['e\u0301', 'か\u3099', 'Z\u0335\u0321a\u0336lgo', '葛\u{E0100}城', '頭髮\u{E0101}', '👨‍👩‍👧‍👦', '👍🏽', '🇹🇼', 'ᄒᆞᆫ글']) {
      expect(markdown, JSON.stringify(sequence)).toContain(sequence)
    }

    const page = await read('html/zh-TW/outside-bmp-and-combining.html')
    expect(page).toContain('e\u0301')
    expect(page).toContain('頭髮\u{E0101}')
    const widths = await read('html/zh-HK/full-and-half-width.html')
    expect(widths).toContain('ＡＢＣ１２３！？（）［］｛｝＂＇，．：；　空格　後面是軟件頭髮')
    expect(widths).toContain('ｶﾀｶﾅ ｱｲｳｴｵ ｶﾞｷﾞ｡｢頭髮｣､･ｰ')
  })
})

describe('a BOM does not shift diagnostics', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  const check = async (content: Buffer) => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), content)
    return (await runCli(['check'], {cwd: folder})).stderr.split('\n')[0]
  }

  it('front matter errors keep their column', async () => {
    const text = Buffer.from('---\ntitle: 头\nlang: zh-XX\n---\n\n头发\n')
    const expected = 'source/a.md:3:7 error unknown locale `zh-XX`; use zh-Hans, zh-Hant, zh-TW or zh-HK [unknown-locale]'
    expect(await check(text)).toBe(expected)
    expect(await check(Buffer.concat([bom, text]))).toBe(expected)
  })

  it('invalid UTF-8 keeps its column', async () => {
    const text = Buffer.concat([Buffer.from('---\ntitle: 头\n---\n\nab'), Buffer.from([0xff]), Buffer.from('\n')])
    const expected = 'source/a.md:5:3 error invalid UTF-8 at byte 22; save the file as UTF-8 (zhpress import converts GBK, Big5 and UTF-16) [invalid-utf8]'
    expect(await check(text)).toBe(expected)
    expect(await check(Buffer.concat([bom, text]))).toBe(expected.replace('byte 22', 'byte 25'))
  })

  it('columns count UTF-16 units, as in every other message: 𠮷 counts two', async () => {
    const text = Buffer.concat([Buffer.from('---\ntitle: 头\n---\n\n𠮷'), Buffer.from([0xff])])
    expect(await check(text)).toMatch(/^source\/a\.md:5:3 error invalid UTF-8 at byte 24;/)
  })
})
