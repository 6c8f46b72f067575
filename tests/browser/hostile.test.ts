/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Hostile Markdown in a real browser: raw-HTML payloads that each set
 * `window.__pwned`, change the title or open a dialog if they ever run
 * (tests/fixtures/hostile/source/hostile.md). None may.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {visit} from 'unist-util-visit'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {locales} from '../../scripts/locales.ts'
import {siteScript} from '../../scripts/render-html.ts'
import {fixtures, runCli, temporaryFolder} from '../helpers.ts'
import {launch, screenshots, serve, type Browser, type Server} from './browser.ts'

let out: string
let server: Server
let browser: Browser

beforeAll(async () => {
  out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--source', path.join(fixtures, 'hostile/source'), '--out', out, '--formats', 'json,html'])
  expect(result.code, result.stderr).toBe(0)
  server = await serve(path.join(out, 'html'))
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('hostile raw HTML', () => {
  it('keeps scripts, handlers and javascript: URLs out of the JSON too', async () => {
    for (const locale of locales) {
      const {html} = JSON.parse(await fs.readFile(path.join(out, 'json', locale, 'hostile.json'), 'utf8'))
      const found: Array<string> = []
      visit(fromHtml(html, {fragment: true}), 'element', (node: Element) => {
        if (/^(script|iframe|object|embed|style|svg|math|base|meta|form|link)$/.test(node.tagName)) found.push(node.tagName)
        for (const [name, value] of Object.entries(node.properties)) {
          if (/^on/i.test(name)) found.push(`${node.tagName} ${name}`)
          if (typeof value === 'string' && /^\s*(javascript|vbscript|data):/i.test(value)) found.push(`${node.tagName} ${name}=${value}`)
        }
      })
      expect(found, locale).toEqual([])
      // The payloads are still there, as text a reader can see.
      expect(html).toContain('&#x3C;img src=x onerror=alert(1)//')
    }
  })

  for (const locale of ['zh-Hant', 'zh-Hans'] as const) {
    it(`${locale}: runs none of the payloads`, async () => {
      const page = await browser.context.newPage()
      const dialogs: Array<string> = []
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
      const title = JSON.parse(await fs.readFile(path.join(out, 'json', locale, 'hostile.json'), 'utf8')).title
      await page.goto(`${server.base}${locale}/hostile.html`, {waitUntil: 'load'})

      // Give load-time handlers (onerror, ontoggle, onfocus) their turn.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      // Then do what a reader does: click every link and button of the article.
      for (const target of await page.locator('article a:not([href^="#"]), article button, article div, article summary').all()) {
        await target.click({force: true, noWaitAfter: true}).catch(() => undefined)
        await target.hover({force: true}).catch(() => undefined)
      }

      expect(page.url()).toBe(`${server.base}${locale}/hostile.html`)
      expect(await page.evaluate(() => (window as unknown as {__pwned?: unknown}).__pwned)).toBeUndefined()
      expect(await page.title()).toBe(title + '｜文章')
      expect(title).toContain('<script>')
      expect(dialogs).toEqual([])

      const dom = await page.evaluate((ours) => ({
        // zhpress's own script is the only one, and it is there.
        scripts: [...document.scripts].map((script) => (script.text === ours && !script.src ? 'ours' : script.outerHTML.slice(0, 80))),
        frames: document.querySelectorAll('iframe, object, embed, frame').length,
        styles: document.querySelectorAll('style').length,
        handlers: [...document.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes].filter((attribute) => attribute.name.startsWith('on')).map((attribute) => `${element.tagName} ${attribute.name}`)
        ),
        urls: [...document.querySelectorAll('[href], [src], [action], [formaction], [data]')].flatMap((element) =>
          ['href', 'src', 'action', 'formaction', 'data'].map((name) => element.getAttribute(name) ?? '').filter((value) => /^\s*(javascript|data|vbscript):/i.test(value) && value !== 'data:,')
        ),
        visibleH1: getComputedStyle(document.querySelector('h1')!).display !== 'none'
      }), siteScript)
      // One <style>: the page's own; the article's was dropped and its `h1{display:none}` with it.
      expect(dom).toEqual({scripts: ['ours'], frames: 0, styles: 1, handlers: [], urls: [], visibleH1: true})
      await page.screenshot({path: path.join(screenshots, `hostile-${locale}.png`), fullPage: true})
      await page.close()
    })
  }
})
