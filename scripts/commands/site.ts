/**
 * Site-level outputs, made from what every article left behind: i18next
 * resources, index pages, the schema and report.json. Shared by `build` and
 * `merge`, so a merged site equals a single build byte for byte.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {uiStrings} from '../i18n.ts'
import type {Locale} from '../locales.ts'
import type {SiteIdentity} from '../site-identity.ts'
import {defaultVariant, renderLocaleIndex, renderNotFound, renderRootIndex, type IndexEntry} from '../render-html.ts'
import {articleSchema, articleTypes, formatJson} from '../render-json.ts'
import {renderSitemap, type SitemapPage} from '../render-sitemap.ts'
import type {ReportEntry} from '../report.ts'
import type {Format} from '../types.ts'
import {stageFile, type ManifestEntry} from '../write.ts'

/** Said once by a build of the HTML site without a base URL. */
export const noBaseUrlNote =
  'note: no base URL, so no canonical links, og:url, og:image or sitemap.xml (search engines and link previews need absolute URLs); ' +
  'set `baseUrl: https://example.org/docs/` in source/zhpress.yaml or pass --base-url'

export interface SiteInput {
  locales: ReadonlyArray<Locale>
  formats: ReadonlyArray<Format>
  /** `--base-url`: where `html/` is published. */
  baseUrl?: string | undefined
  /** Index entries of every article, one per locale. */
  index: ReadonlyArray<IndexEntry & {locale: Locale}>
  /** Files holding each article's resource fragment per locale. */
  resources: ReadonlyArray<{locale: Locale; slug: string; file: string}>
  report: ReadonlyArray<ReportEntry>
  /** Page path of the list of articles: `index`, or `articles` when the source has its own home page (`index.md`). */
  listPage?: string
  /** The site's name and description per locale (`site` in zhpress.yaml). */
  identity?: Partial<Record<Locale, SiteIdentity>>
}

/**
 * Write the site-level outputs into a staging folder.
 *
 * @param staging Staging folder.
 * @param site What the articles left behind.
 * @returns Manifest entries of the files written.
 */
export async function stageSiteFiles(staging: string, site: SiteInput): Promise<Array<ManifestEntry>> {
  const entries: Array<ManifestEntry> = []
  if (site.formats.includes('json')) {
    entries.push(await stageResources(staging, site))
    entries.push(await stageFile(staging, {path: 'json/article.schema.json', format: 'schema', content: formatJson(articleSchema)}))
    entries.push(await stageFile(staging, {path: 'json/article.d.ts', format: 'schema', content: articleTypes()}))
  }

  if (site.formats.includes('html')) {
    const listPage = site.listPage ?? 'index'
    const sorted = [...site.index].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    const options = {baseUrl: site.baseUrl, listPage, identity: site.identity ?? {}, defaultLocale: mainLocale(sorted, site.locales)}
    entries.push(await stageFile(staging, {path: 'html/index.html', format: 'index', content: renderRootIndex(site.locales, sorted, options)}))
    entries.push(await stageFile(staging, {path: 'html/404.html', format: 'index', content: renderNotFound(undefined, site.locales, options)}))
    for (const locale of site.locales) {
      const list = sorted.filter((entry) => entry.locale === locale)
      entries.push(
        await stageFile(staging, {path: `html/${locale}/${listPage}.html`, locale, format: 'index', content: renderLocaleIndex(locale, list, site.locales, options)})
      )
      entries.push(await stageFile(staging, {path: `html/${locale}/404.html`, locale, format: 'index', content: renderNotFound(locale, site.locales, options)}))
    }

    const slugs = new Map<string, {date: string | undefined; sourceLocale: Locale | undefined}>()
    for (const entry of site.index) if (!slugs.has(entry.slug)) slugs.set(entry.slug, {date: entry.date, sourceLocale: entry.sourceLocale})
    const pages: Array<SitemapPage> = [
      {path: (locale) => `${locale}/${listPage}.html`, fallback: 'index.html'},
      ...[...slugs.keys()]
        .sort((a, b) => (a < b ? -1 : 1))
        .map((slug) => {
          const {date, sourceLocale} = slugs.get(slug)!
          // The article as written, as its pages' x-default alternate says.
          const fallback = sourceLocale ? `${defaultVariant(sourceLocale, site.locales)}/${slug}.html` : 'index.html'
          return {path: (locale: Locale) => `${locale}/${slug}.html`, fallback, date}
        })
    ]
    // Search engines take absolute URLs only: no base URL, no sitemap (the build says how to set one).
    if (site.baseUrl) entries.push(await stageFile(staging, {path: 'html/sitemap.xml', format: 'sitemap', content: renderSitemap(pages, site.locales, site.baseUrl)}))
  }

  entries.push(await stageFile(staging, {path: 'report.json', content: formatJson({schemaVersion: 1, messages: site.report})}))
  return entries
}

/**
 * The variant the front page shows without a script: the one most
 * articles are written in (ties: the order of the locale table).
 */
function mainLocale(entries: ReadonlyArray<IndexEntry & {locale: Locale}>, published: ReadonlyArray<Locale>): Locale | undefined {
  const counts = new Map<Locale, number>()
  const seen = new Set<string>()
  for (const entry of entries) {
    if (!entry.sourceLocale || seen.has(entry.slug)) continue
    seen.add(entry.slug)
    const locale = defaultVariant(entry.sourceLocale, published)
    counts.set(locale, (counts.get(locale) ?? 0) + 1)
  }

  let best: Locale | undefined
  for (const locale of published) if (best === undefined || (counts.get(locale) ?? 0) > (counts.get(best) ?? 0)) best = locale
  return best
}

/**
 * `json/resources.json`, streamed fragment by fragment so that no build
 * holds every article's HTML at once. The bytes equal
 * `formatJson(renderResources(…))`: the same key order (JavaScript's: slugs
 * sorted, then `ui`) and the same indentation.
 */
async function stageResources(staging: string, site: SiteInput): Promise<ManifestEntry> {
  const file = 'json/resources.json'
  const target = path.join(staging, file)
  await fs.mkdir(path.dirname(target), {recursive: true})
  const handle = await fs.open(target, 'w')
  const hash = createHash('sha256')
  let bytes = 0
  const write = async (text: string) => {
    const buffer = Buffer.from(text)
    hash.update(buffer)
    bytes += buffer.length
    await handle.write(buffer)
  }

  try {
    await write('{')
    for (const [localeIndex, locale] of site.locales.entries()) {
      await write(`${localeIndex ? ',' : ''}\n  ${JSON.stringify(locale)}: {`)
      const files = new Map<string, string>()
      for (const entry of site.resources) if (entry.locale === locale) files.set(entry.slug, entry.file)
      // Let an object order the keys, as renderResources's object does.
      const keys: Record<string, true> = {}
      for (const slug of [...files.keys()].sort((a, b) => (a < b ? -1 : 1))) keys[slug] = true
      keys.ui = true
      const ordered = Object.keys(keys)
      // Read fragments a batch at a time (the disk is the wait), write in order.
      for (let start = 0; start < ordered.length; start += 64) {
        const batch = ordered.slice(start, start + 64)
        const fragments = await Promise.all(
          batch.map(async (key) => (key === 'ui' ? formatJson(uiStrings(locale)) : fs.readFile(files.get(key)!, 'utf8')))
        )
        let text = ''
        for (const [offset, key] of batch.entries()) {
          text += `${start + offset ? ',' : ''}\n    ${JSON.stringify(key)}: ${indent(fragments[offset]!.trimEnd(), '    ')}`
        }

        await write(text)
      }

      await write('\n  }')
    }

    await write('\n}\n')
  } finally {
    await handle.close()
  }

  return {path: file, article: null, locale: null, format: 'resources', bytes, sha256: hash.digest('hex')}
}

/** Indent every line but the first (JSON strings hold no raw line breaks). */
function indent(json: string, prefix: string): string {
  return json.replaceAll('\n', '\n' + prefix)
}
