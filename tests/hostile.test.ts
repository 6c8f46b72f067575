/**
 * Hostile Markdown: every payload of tests/fixtures/hostile/payloads.md
 * (blocks separated by `%%%` lines) is built as its own article and all of
 * them together as one more; every HTML page and every JSON `html` field is
 * parsed with a real HTML parser and must hold no script, no event handler,
 * no style and no dangerous URL.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {fixtures, listFiles, runCli, temporaryFolder} from './helpers.ts'
import {contentSecurityPolicy, siteScript} from '../scripts/render-html.ts'
import {fragmentDangers, pageDangers, pageScripts} from './safety.ts'

const payloads = (await fs.readFile(path.join(fixtures, 'hostile/payloads.md'), 'utf8')).split(/^%%%\n/m)
const front = (title: string) => `---\ntitle: ${title}\nlang: zh-Hans\n---\n\n`
let out: string

beforeAll(async () => {
  const cwd = await temporaryFolder()
  const source = path.join(cwd, 'source')
  await fs.mkdir(source)
  for (const [index, payload] of payloads.entries()) {
    await fs.writeFile(path.join(source, `payload-${String(index + 1).padStart(2, '0')}.md`), front(`载荷 ${index + 1}`) + payload)
  }

  await fs.writeFile(path.join(source, 'all-payloads.md'), front('全部载荷') + payloads.join('\n'))
  await fs.writeFile(
    path.join(source, 'hostile-frontmatter.md'),
    [
      '---',
      `title: '<script>alert(1)</script>标题'`,
      `description: '"><img src=x onerror=alert(1)>'`,
      `category: '<iframe src="javascript:alert(1)"></iframe>'`,
      `tags: ['<svg onload=alert(1)>', '</title><script>alert(1)</script>']`,
      'lang: zh-Hans',
      '---',
      '',
      '正文',
      ''
    ].join('\n')
  )

  out = path.join(cwd, 'dist')
  const result = await runCli(['build', '--source', 'source', '--out', out], {cwd})
  expect(result.code, result.stderr).toBe(0)
})

describe('hostile Markdown', () => {
  it(`builds ${payloads.length} payloads, each alone and all together`, async () => {
    const files = await listFiles(out)
    expect(files).toContain(`html/zh-TW/payload-${payloads.length}.html`)
    expect(files).toContain('html/zh-HK/all-payloads.html')
  })

  it('no HTML page holds a script but zhpress\'s own, nor a handler, style or dangerous URL', async () => {
    const pages = (await listFiles(out)).filter((name) => name.endsWith('.html'))
    // Per locale: the articles, the list and the 404 page; then the front page and the root 404 page.
    expect(pages.length).toBe(locales.length * (payloads.length + 4) + 2)
    for (const name of pages) {
      const html = await fs.readFile(path.join(out, name), 'utf8')
      expect(pageDangers(html), name).toEqual([])
      // The one script is zhpress's, allowed by its hash and nothing else: user scripts would not run even unsanitized.
      expect(pageScripts(html), name).toEqual({scripts: [siteScript], policy: contentSecurityPolicy})
    }

    expect(contentSecurityPolicy).toMatch(/^script-src 'sha256-[A-Za-z0-9+/]+=*'; object-src 'none'; base-uri 'none'; form-action 'none'$/)
  })

  it('no JSON `html` field does either, in the documents or in the i18next namespaces', async () => {
    const files = await listFiles(out)
    const documents = files.filter((name) => /^json\/zh-[^/]+\/.+\.json$/.test(name) && !name.endsWith('/index.json'))
    expect(documents.length).toBe(locales.length * (payloads.length + 2))
    const namespaces = files.filter((name) => /^json\/resources\/zh-[^/]+\/.+\.json$/.test(name) && !/\/(?:ui|titles)\.json$/.test(name))
    expect(namespaces.length).toBe(documents.length)
    for (const name of [...documents, ...namespaces]) {
      const document = JSON.parse(await fs.readFile(path.join(out, name), 'utf8')) as {html: string}
      expect(fragmentDangers(document.html), name).toEqual([])
    }
  })

  it('keeps what is safe: text, https links, details, code shown as text', async () => {
    const page = await fs.readFile(path.join(out, 'html/zh-Hans/all-payloads.html'), 'utf8')
    expect(page).toContain('<a href="https://example.com/">有效链接</a>')
    expect(page).toContain('<summary>详情</summary>')
    expect(page).toContain('&#x3C;script>alert(1)&#x3C;/script>')
    expect(page).toMatch(/<a>点我<\/a>|<a href="">点我<\/a>/)
  })

  it('front matter text is text: escaped in the page, never markup', async () => {
    const page = await fs.readFile(path.join(out, 'html/zh-TW/hostile-frontmatter.html'), 'utf8')
    expect(page).toContain('<title>&#x3C;script>alert(1)&#x3C;/script>標題｜文章</title>')
    expect(page).toContain('<h1>&#x3C;script>alert(1)&#x3C;/script>標題</h1>')
    const index = await fs.readFile(path.join(out, 'html/zh-TW/index.html'), 'utf8')
    expect(pageDangers(index)).toEqual([])
  })
})

describe('the danger finder itself', () => {
  const dangerous = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<a href="vbscript:x">x</a>',
    '<img src="data:text/html,x">',
    '<iframe></iframe>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<div style="width:expression(alert(1))">x</div>',
    '<img srcset="javascript:alert(1) 1x">',
    '<template><p onclick="x">x</p></template>'
  ]
  for (const html of dangerous) it(`finds ${html}`, () => expect(fragmentDangers(html)).not.toEqual([]))
  it('passes a safe fragment', () => expect(fragmentDangers('<p><a href="https://a.example/">链接</a> <img src="a.png" alt="图"></p>')).toEqual([]))
})
