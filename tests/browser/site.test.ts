/// <reference lib="dom" />
/**
 * The built site in a real browser (Debian's Chromium), served from
 * 127.0.0.1 under a sub-path, and opened from file://.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import type {Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {htmlLang, locales, type Locale} from '../../scripts/locales.ts'
import {buildSite} from '../helpers.ts'
import {launch, screenshots, serve, type Browser, type Server} from './browser.ts'

const slugs = ['lexin-overdue', 'mouse-guide']
/** CJK face Chromium should pick from each locale's stack (fonts-noto-cjk). */
const expectedFont: Record<Locale, string> = {
  'zh-Hans': 'Noto Sans CJK SC',
  'zh-Hant': 'Noto Sans CJK TC',
  'zh-TW': 'Noto Sans CJK TC',
  'zh-HK': 'Noto Sans CJK HK'
}

let out: string
let server: Server
let browser: Browser

interface Watched {
  page: Page
  /** Console errors and uncaught exceptions. */
  errors: Array<string>
  /** Every URL the page requested. */
  requests: Array<string>
}

/** A new page that records errors and requests. */
async function watch(): Promise<Watched> {
  const page = await browser.context.newPage()
  const watched: Watched = {page, errors: [], requests: []}
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text())
  })
  page.on('pageerror', (error) => void watched.errors.push(error.message))
  page.on('request', (request) => void watched.requests.push(request.url()))
  page.on('response', (response) => {
    if (response.status() >= 400) watched.errors.push(`${response.status()} ${response.url()}`)
  })
  return watched
}

async function documentTitle(locale: Locale, slug: string): Promise<string> {
  return JSON.parse(await fs.readFile(path.join(out, 'json', locale, slug + '.json'), 'utf8')).title
}

/** `<title>` of an article page: the article, then the site (the seed names none: the default name). */
async function pageTitle(locale: Locale, slug: string): Promise<string> {
  return `${await documentTitle(locale, slug)}｜文章`
}

async function seriousViolations(page: Page): Promise<Array<string>> {
  const results = await new AxeBuilder({page}).analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

beforeAll(async () => {
  out = await buildSite()
  server = await serve(path.join(out, 'html'))
  browser = await launch()
  await fs.mkdir(screenshots, {recursive: true})
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('site in Chromium', () => {
  for (const locale of locales) {
    it(`${locale}: article pages have lang and title, load nothing from elsewhere, log no error and pass axe`, async () => {
      for (const slug of slugs) {
        const {page, errors, requests} = await watch()
        await page.goto(`${server.base}${locale}/${slug}.html`)
        expect(await page.getAttribute('html', 'lang')).toBe(htmlLang[locale])
        expect(await page.title()).toBe(await pageTitle(locale, slug))
        expect(await page.locator('h1').textContent()).toBe(await documentTitle(locale, slug))
        expect(await seriousViolations(page)).toEqual([])
        expect(errors).toEqual([])
        expect(requests.filter((url) => !url.startsWith(server.origin + '/'))).toEqual([])
        if (slug === 'lexin-overdue') {
          await page.screenshot({path: path.join(screenshots, `${locale}-article.png`)})
          await page.setViewportSize({width: 390, height: 844})
          await page.screenshot({path: path.join(screenshots, `${locale}-article-phone.png`)})
          await page.locator('article > h2').first().scrollIntoViewIfNeeded()
          await page.screenshot({path: path.join(screenshots, `${locale}-article-phone-body.png`)})
        }

        await page.close()
      }
    })

    it(`${locale}: the text is drawn with the locale's CJK face`, async () => {
      const {page} = await watch()
      await page.goto(`${server.base}${locale}/lexin-overdue.html`)
      const cdp = await browser.context.newCDPSession(page)
      await cdp.send('DOM.enable')
      await cdp.send('CSS.enable')
      const {root} = await cdp.send('DOM.getDocument')
      const {nodeId} = await cdp.send('DOM.querySelector', {nodeId: root.nodeId, selector: 'article > p'})
      const {fonts} = await cdp.send('CSS.getPlatformFontsForNode', {nodeId})
      const main = [...fonts].sort((a, b) => b.glyphCount - a.glyphCount)[0]
      expect(main?.familyName).toBe(expectedFont[locale])
      await page.close()
    })

    it(`${locale}: the switcher lands on the same article in every other variant`, async () => {
      const {page, errors} = await watch()
      for (const other of locales.filter((item) => item !== locale)) {
        await page.goto(`${server.base}${locale}/lexin-overdue.html`)
        await page.locator(`.switcher a[lang="${htmlLang[other]}"]`).click()
        await page.waitForURL(`${server.base}${other}/lexin-overdue.html`)
        expect(await page.getAttribute('html', 'lang')).toBe(htmlLang[other])
        expect(await page.title()).toBe(await pageTitle(other, 'lexin-overdue'))
      }

      expect(errors).toEqual([])
      await page.close()
    })
  }

  it('scrolls a heading into view when its table of contents link is clicked', async () => {
    const {page} = await watch()
    await page.goto(`${server.base}zh-TW/lexin-overdue.html`)
    const link = page.locator('.toc a').last()
    const id = decodeURIComponent((await link.getAttribute('href'))!.slice(1))
    const inView = () =>
      page.evaluate((id) => {
        const box = document.getElementById(id)!.getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight
      }, id)
    expect(await inView()).toBe(false)
    await link.click()
    await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, id)
    await page.waitForFunction((id) => {
      const box = document.getElementById(id)!.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight
    }, id)
    expect(await inView()).toBe(true)
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0)
    await page.close()
  })

  it('keeps the section when the switcher is clicked, from a table of contents link or a shared address', async () => {
    const {page, errors} = await watch()
    await page.goto(`${server.base}zh-TW/lexin-overdue.html`)
    const link = page.locator('.toc a').nth(3)
    const id = decodeURIComponent((await link.getAttribute('href'))!.slice(1))
    await link.click()
    await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, id)
    await page.locator('.switcher a[lang="zh-Hant-HK"]').click()
    await page.waitForURL((url) => url.pathname.endsWith('/zh-HK/lexin-overdue.html'))
    expect(decodeURIComponent(await page.evaluate(() => location.hash.slice(1)))).toBe(id)
    // The same heading (ids come from the source text), scrolled into view.
    await page.waitForFunction((id) => {
      const box = document.getElementById(id)!.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight
    }, id)
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0)

    // A shared address with a section, then the switcher: the section goes along.
    const shared = page.locator('.toc a').last()
    const last = decodeURIComponent((await shared.getAttribute('href'))!.slice(1))
    await page.goto(`${server.base}zh-Hant/lexin-overdue.html#${encodeURIComponent(last)}`)
    await page.locator('.switcher a[lang="zh-Hans"]').click()
    await page.waitForURL((url) => url.pathname.endsWith('/zh-Hans/lexin-overdue.html'))
    expect(decodeURIComponent(await page.evaluate(() => location.hash.slice(1)))).toBe(last)
    expect(errors).toEqual([])
    await page.close()
  })

  it('front page: shows the reader\'s variant from navigator.languages, never navigates, and remembers a choice', async () => {
    const {page, errors} = await watch()
    await page.addInitScript(() => Object.defineProperty(navigator, 'languages', {get: () => ['en-GB', 'zh-HK', 'zh-TW']}))
    // Forget the choices earlier tests made with the switcher.
    await page.goto(server.base)
    await page.evaluate(() => localStorage.clear())
    await page.reload()
    const visible = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('section.front')].filter((section) => !section.hidden).map((section) => section.dataset.front))
    expect(await visible()).toEqual(['zh-HK'])
    expect(await page.getAttribute('html', 'lang')).toBe('zh-Hant-HK')
    // No redirect, for readers and crawlers alike.
    expect(page.url()).toBe(server.base)
    expect(await page.locator('section.front:not([hidden]) .articles a').first().getAttribute('href')).toMatch(/^zh-HK\//)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: path.join(screenshots, 'entry-zh-HK.png'), fullPage: true})

    // The reader picks Taiwan: remembered over the browser's languages.
    await page.locator('.variants a[lang="zh-Hant-TW"]').click()
    await page.waitForURL(`${server.base}zh-TW/index.html`)
    await page.goto(server.base)
    expect(await visible()).toEqual(['zh-TW'])
    expect(await page.title()).toBe('文章')
    // Switching variant on any page is a choice too.
    await page.goto(`${server.base}zh-TW/lexin-overdue.html`)
    await page.locator('.switcher a[lang="zh-Hans"]').click()
    await page.waitForURL(`${server.base}zh-Hans/lexin-overdue.html`)
    await page.goto(server.base)
    expect(await visible()).toEqual(['zh-Hans'])
    await page.evaluate(() => localStorage.clear())
    expect(errors).toEqual([])
    await page.close()
  })

  it('front page without a Chinese language: the main variant, every variant one click away', async () => {
    const {page} = await watch()
    await page.addInitScript(() => Object.defineProperty(navigator, 'languages', {get: () => ['en-US', 'fr']}))
    await page.goto(server.base)
    await page.evaluate(() => localStorage.clear())
    await page.reload()
    const shown = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('section.front')].filter((section) => !section.hidden).map((section) => section.dataset.front))
    // One article written in Simplified, one in Traditional: a tie goes to the first of the locale table.
    expect(shown).toEqual(['zh-Hans'])
    expect(await page.getAttribute('html', 'lang')).toBe('zh-Hans')
    expect(await page.locator('.variants a').count()).toBe(4)
    await page.close()
  })

  it('goes from the entry page to a variant, its list and an article with relative links under /site/', async () => {
    const {page, errors, requests} = await watch()
    await page.goto(server.base)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: path.join(screenshots, 'entry.png')})
    await page.locator('.variants a[lang="zh-Hant-HK"]').click()
    await page.waitForURL(`${server.base}zh-HK/index.html`)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: path.join(screenshots, 'zh-HK-index.png')})
    await page.locator('.articles a', {hasText: '鼠標和軟件的選購指南'}).click()
    await page.waitForURL(`${server.base}zh-HK/mouse-guide.html`)
    expect(await page.getAttribute('html', 'lang')).toBe('zh-Hant-HK')
    await page.locator('header a[href="index.html"]').click()
    await page.waitForURL(`${server.base}zh-HK/index.html`)
    expect(errors).toEqual([])
    expect(requests.every((url) => url.startsWith(server.base))).toBe(true)
    await page.close()
  })

  it('works from file:// too', async () => {
    const {page, errors, requests} = await watch()
    const start = pathToFileURL(path.join(out, 'html/zh-TW/lexin-overdue.html')).href
    await page.goto(start)
    await page.locator('.switcher a[lang="zh-Hans"]').click()
    await page.waitForURL(pathToFileURL(path.join(out, 'html/zh-Hans/lexin-overdue.html')).href)
    expect(await page.title()).toBe(await pageTitle('zh-Hans', 'lexin-overdue'))
    await page.locator('header a[href="index.html"]').click()
    await page.waitForURL(pathToFileURL(path.join(out, 'html/zh-Hans/index.html')).href)
    expect(errors).toEqual([])
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true)
    await page.close()
  })

  it('prints without the header and table of contents', async () => {
    const {page} = await watch()
    await page.goto(`${server.base}zh-Hans/mouse-guide.html`)
    await page.emulateMedia({media: 'print'})
    expect(await page.locator('header').isVisible()).toBe(false)
    expect(await page.locator('.toc').isVisible()).toBe(false)
    expect(await page.locator('footer').isVisible()).toBe(true)
    await page.screenshot({path: path.join(screenshots, 'zh-Hans-print.png'), fullPage: true})
    const pdf = await page.pdf({format: 'A4'})
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.close()
  })
})
