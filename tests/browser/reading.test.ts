/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Reading the site as a reader would, in Chromium: every page of the seed
 * site and of the rich fixture (tests/fixtures/rich-site) in light and dark,
 * on a desktop and a phone, with axe; the table of contents, wide tables,
 * code blocks, task lists, footnote targets and print.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type {Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildSite, fixtures, listFiles, runCli, temporaryFolder} from '../helpers.ts'
import {launch, screenshots, serve, type Browser, type Server} from './browser.ts'

interface Site {
  name: string
  out: string
  server: Server
  pages: Array<string>
}

const sites: Array<Site> = []
let browser: Browser

const desktop = {width: 1280, height: 900}
const phone = {width: 390, height: 844}
const narrow = {width: 320, height: 568}

async function buildRich(): Promise<string> {
  const out = path.join(await temporaryFolder(), 'dist')
  const result = await runCli(['build', '--source', path.join(fixtures, 'rich-site/source'), '--out', out])
  if (result.code !== 0) throw new Error('build failed:\n' + result.stderr)
  return out
}

async function violations(page: Page, rules?: Array<string>): Promise<Array<string>> {
  let builder = new AxeBuilder({page})
  if (rules) builder = builder.withRules(rules)
  const results = await builder.analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

/** Screenshot file name of a page: `seed-zh-TW-lexin-overdue-dark-phone.png`. */
function shotName(site: Site, name: string, variant: string): string {
  return path.join(screenshots, `${site.name}-${name.replace(/\.html$/, '').replaceAll('/', '-')}-${variant}.png`)
}

beforeAll(async () => {
  const [seed, rich] = await Promise.all([buildSite(), buildRich()])
  for (const [name, out] of [['seed', seed], ['rich', rich]] as const) {
    const pages = (await listFiles(path.join(out, 'html'))).filter((file) => file.endsWith('.html'))
    sites.push({name, out, server: await serve(path.join(out, 'html')), pages})
  }

  browser = await launch()
  await fs.mkdir(screenshots, {recursive: true})
}, 300_000)

afterAll(async () => {
  await browser?.close()
  for (const site of sites) await site.server.close()
})

describe('every page, light and dark, desktop and phone', () => {
  for (const siteName of ['seed', 'rich']) {
    it(`${siteName}: axe serious/critical = 0, dark differs from light, no horizontal scroll at 320 px; screenshots`, async () => {
      const site = sites.find((item) => item.name === siteName)!
      expect(site.pages.length).toBeGreaterThan(8)
      const problems: Array<string> = []
      for (const name of site.pages) {
        const page = await browser.context.newPage()
        const backgrounds: Record<string, string> = {}
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({colorScheme: scheme, media: 'screen'})
          await page.setViewportSize(desktop)
          await page.goto(site.server.base + name)
          backgrounds[scheme] = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
          for (const found of await violations(page)) problems.push(`${name} ${scheme} desktop: ${found}`)
          await page.screenshot({path: shotName(site, name, `${scheme}-desktop`), fullPage: true})
          await page.setViewportSize(phone)
          await page.screenshot({path: shotName(site, name, `${scheme}-phone`)})
          await page.setViewportSize(narrow)
          for (const found of await violations(page)) problems.push(`${name} ${scheme} 320px: ${found}`)
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
          if (overflow > 0) problems.push(`${name} ${scheme}: scrolls ${overflow}px sideways at 320px`)
        }

        if (backgrounds.light === backgrounds.dark) problems.push(`${name}: dark background equals light (${backgrounds.light})`)
        await page.close()
      }

      expect(problems).toEqual([])
    }, 600_000)
  }

  it('checks color-contrast explicitly in both palettes', async () => {
    const site = sites.find((item) => item.name === 'rich')!
    const page = await browser.context.newPage()
    await page.setViewportSize(phone)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({colorScheme: scheme})
      await page.goto(site.server.base + 'zh-TW/reading-aids.html')
      // Open the collapsed table of contents, so its links are checked too.
      await page.locator('.toc summary').click()
      const results = await new AxeBuilder({page}).withRules(['color-contrast']).analyze()
      expect(results.violations, scheme).toEqual([])
      expect(results.passes.map((rule) => rule.id)).toContain('color-contrast')
    }

    await page.close()
  })
})

describe('reading aids', () => {
  const rich = () => sites.find((item) => item.name === 'rich')!
  const seed = () => sites.find((item) => item.name === 'seed')!

  it('keeps the first paragraph on the first phone screen, the table of contents collapsed there and open on a desktop', async () => {
    for (const [site, name] of [[seed(), 'zh-TW/lexin-overdue.html'], [rich(), 'zh-TW/reading-aids.html']] as const) {
      const page = await browser.context.newPage()
      for (const size of [phone, narrow]) {
        await page.setViewportSize(size)
        await page.goto(site.server.base + name)
        expect(await page.locator('.toc summary').isVisible(), name).toBe(true)
        expect(await page.locator('.toc nav a').first().isVisible(), name).toBe(false)
        const top = await page.evaluate(() => document.querySelector('.toc ~ p')!.getBoundingClientRect().top)
        expect(top, `${name} at ${size.width}px`).toBeLessThan(size.height - 40)
      }

      await page.setViewportSize(desktop)
      await page.goto(site.server.base + name)
      expect(await page.locator('.toc nav a').first().isVisible()).toBe(true)
      // No double numbering: the list draws no numbers of its own.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.toc li')!).listStyleType)).toBe('none')
      await page.close()
    }
  })

  it('gives a short article no table of contents', async () => {
    const page = await browser.context.newPage()
    await page.goto(rich().server.base + 'zh-Hans/short-note.html')
    expect(await page.locator('.toc').count()).toBe(0)
    expect(await page.locator('article h2').count()).toBe(1)
    await page.close()
  })

  it('scrolls a wide table inside its box, without breaking header words', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize(narrow)
    await page.goto(rich().server.base + 'zh-TW/reading-aids.html')
    const box = await page.evaluate(() => {
      const wrap = document.querySelector('.table-scroll')!
      const th = [...document.querySelectorAll('th')]
      return {
        scrolls: wrap.scrollWidth > wrap.clientWidth,
        focusable: wrap.getAttribute('tabindex'),
        oneLineHeaders: th.every((cell) => cell.getClientRects().length === 1 && cell.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(cell).lineHeight) + 12)
      }
    })
    expect(box).toEqual({scrolls: true, focusable: '0', oneLineHeaders: true})
    await page.close()
  })

  it('lets the keyboard scroll a long code block, with a visible focus ring', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize(phone)
    await page.goto(rich().server.base + 'zh-TW/reading-aids.html')
    const pre = page.locator('pre')
    // Tab until the code block has focus: it is in the tab order.
    for (let step = 0; step < 60; step++) {
      await page.keyboard.press('Tab')
      if (await pre.evaluate((node) => node === document.activeElement)) break
    }

    expect(await pre.evaluate((node) => node === document.activeElement)).toBe(true)
    expect(await pre.evaluate((node) => getComputedStyle(node).outlineStyle)).toBe('solid')
    expect(await pre.evaluate((node) => node.scrollLeft)).toBe(0)
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => document.querySelector('pre')!.scrollLeft > 0)
    await page.close()
  })

  it('labels task-list checkboxes with their item and gives footnote links 24 px targets', async () => {
    const page = await browser.context.newPage()
    await page.setViewportSize(phone)
    await page.goto(rich().server.base + 'zh-TW/reading-aids.html')
    const labels = await page.locator('.task-list-item input').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('aria-label')))
    expect(labels).toEqual(['聯絡消防隊檢查逃生路線', '把期刊搬到臨時書庫', '訂購新的閱覽桌椅', '安排志工在開幕當天導覽'])
    const sizes = await page.locator('[data-footnote-ref], [data-footnote-backref]').evaluateAll((links) =>
      links.map((link) => {
        const box = link.getBoundingClientRect()
        return Math.min(box.width, box.height)
      })
    )
    expect(sizes.length).toBe(4)
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(24)
    await page.close()
  })

  it('prints wrapped code and each URL once', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await browser.context.newPage()
      await page.emulateMedia({media: 'print', colorScheme: scheme})
      await page.goto(rich().server.base + 'zh-TW/reading-aids.html')
      const pre = await page.evaluate(() => {
        const node = document.querySelector('pre')!
        return {whiteSpace: getComputedStyle(node).whiteSpace, overflows: node.scrollWidth > node.clientWidth}
      })
      expect(pre).toEqual({whiteSpace: 'pre-wrap', overflows: false})
      const after = await page.locator('article a[href^="http"]').evaluateAll((links) =>
        links.map((link) => [link.textContent, getComputedStyle(link, '::after').content])
      )
      // The bare URL shows itself; no link prints its URL twice.
      expect(after).toEqual([['https://example.org/library/import-guide', 'none']])
      expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)')
      await page.screenshot({path: path.join(screenshots, `rich-zh-TW-reading-aids-print-${scheme}.png`), fullPage: true})
      await page.close()
    }
  })
})
