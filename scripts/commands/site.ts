/**
 * Site-level outputs, made from what every article left behind: the
 * per-locale indexes, the `titles` and `ui` i18next namespaces, index pages,
 * 404 pages, the schemas and types, the sitemap and report.json. Shared by
 * `build` and `merge`, so a merged site equals a single build byte for byte.
 */
import path from 'node:path'
import {uiStrings} from '../i18n.ts'
import type {Locale} from '../locales.ts'
import type {SiteIdentity} from '../site-identity.ts'
import {defaultVariant, renderLocaleIndex, renderNotFound, renderRootIndex, type IndexEntry as ListEntry} from '../render-html.ts'
import {bundleTypes, formatJson, titlesResource} from '../render-json.ts'
import {reportSchemaVersion, schemaFiles, schemaOf, type SchemaFile} from '../schemas.ts'
import {localeIndex, type IndexEntry} from '../site-index.ts'
import {renderSitemap, type SitemapPage} from '../render-sitemap.ts'
import type {ReportEntry} from '../report.ts'
import type {Format, OutputFile} from '../types.ts'
import {sha256, stageFile, stageJsonList, stageLink, type ManifestEntry} from '../write.ts'

export interface SiteInput {
  locales: ReadonlyArray<Locale>
  formats: ReadonlyArray<Format>
  /** `--base-url`: where `html/` is published. */
  baseUrl?: string | undefined
  /** Index entries of every article, one per locale (as `json/<locale>/index.json` lists them). */
  index: ReadonlyArray<IndexEntry & {locale: Locale; sourceLocale: Locale}>
  /** Every message, in report order (taken once, as `report.json` is written). */
  report: Iterable<ReportEntry>
  /** Page path of the list of articles: `index`, or `articles` when the source has its own home page (`index.md`). */
  listPage?: string
  /** The site's name and description per locale (`site` in zhpress.yaml). */
  identity?: Partial<Record<Locale, SiteIdentity>>
}

/**
 * What a build remembers of its HTML site pages (the front page, the lists
 * of articles, the 404 pages, the sitemap), so that the next build makes
 * again only those whose inputs changed: each page's digest of what made
 * it. A list of a thousand articles takes a tenth of a second or more to
 * render, and an edit to an article's text seldom changes what the lists
 * show of it (title, date, description, reading time).
 */
export interface SitePageMemo {
  /** The last build's pages: output path → digest of their inputs, and manifest entry. */
  previous: Readonly<Record<string, [digest: string, entry: ManifestEntry]>>
  /** The published output folder. */
  folder: string
  /** Its files that are as the last build left them. */
  same: ReadonlySet<string>
  /** The folder is updated in place: a page kept stays where it is, nothing is staged for it. */
  inPlace: boolean
  /** What the pages depend on besides their inputs (the tool's fingerprint). */
  salt: string
  /** This build's pages, recorded as they are staged, for the next build. */
  next: Record<string, [digest: string, entry: ManifestEntry]>
}

/**
 * Write the site-level outputs into a staging folder.
 *
 * @param staging Staging folder.
 * @param site What the articles left behind.
 * @param memo The last build's site pages: a page whose inputs are the same
 *   and whose file in the output folder is as it left it is linked from there, not made again.
 * @returns Manifest entries of the files written.
 */
export async function stageSiteFiles(staging: string, site: SiteInput, memo?: SitePageMemo): Promise<Array<ManifestEntry>> {
  const entries: Array<ManifestEntry> = []
  const listPage = site.listPage ?? 'index'
  // A site page: made from `inputs` by `render`, or kept when the last build made it from the same.
  const page = async (file: Omit<OutputFile, 'content'>, inputs: unknown, render: () => string): Promise<ManifestEntry> => {
    if (!memo) return stageFile(staging, {...file, content: render()})
    const digest = sha256(JSON.stringify([memo.salt, file, inputs]))
    const before = Object.hasOwn(memo.previous, file.path) ? memo.previous[file.path] : undefined
    let entry: ManifestEntry
    if (before?.[0] === digest && before[1]?.path === file.path && memo.same.has(file.path)) {
      if (!memo.inPlace) await stageLink(staging, file.path, path.join(memo.folder, file.path))
      entry = before[1]
    } else {
      entry = await stageFile(staging, {...file, content: render()})
    }

    memo.next[file.path] = [digest, entry]
    return entry
  }
  if (site.formats.includes('json')) {
    for (const locale of site.locales) {
      const own = site.index.filter((entry) => entry.locale === locale)
      const {articles, ...head} = localeIndex(locale, own, site.baseUrl)
      // Entry by entry, as report.json: a large site's index, as one string, would be a peak of memory of its own.
      const items = (function* () {
        for (const {locale: _, sourceLocale: __, ...entry} of articles as Array<(typeof own)[number]>) yield entry
      })()
      // The list of articles has the path of the list page (`index`, or `articles` beside a home page `index.md`).
      entries.push(await stageJsonList(staging, {path: `json/${locale}/${listPage}.json`, locale, format: 'index'}, head, 'articles', items))
      entries.push(await stageFile(staging, {path: `json/resources/${locale}/titles.json`, locale, format: 'resources', content: formatJson(titlesResource(own))}))
      entries.push(await stageFile(staging, {path: `json/resources/${locale}/ui.json`, locale, format: 'resources', content: formatJson(uiStrings(locale))}))
    }

    for (const file of Object.keys(schemaFiles) as Array<SchemaFile>) {
      entries.push(await stageFile(staging, {path: `json/${file}`, format: 'schema', content: formatJson(schemaOf(file))}))
    }

    entries.push(await stageFile(staging, {path: 'json/zhpress.d.ts', format: 'schema', content: bundleTypes()}))
  }

  if (site.formats.includes('html')) {
    const sorted = site.index.map(listEntry).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    const options = {baseUrl: site.baseUrl, listPage, identity: site.identity ?? {}, defaultLocale: mainLocale(sorted, site.locales)}
    const lists = new Map(site.locales.map((locale) => [locale, sorted.filter((entry) => entry.locale === locale)]))
    // Each locale's list digested once: the front page shows them all.
    const listDigests = memo ? new Map([...lists].map(([locale, list]) => [locale, sha256(JSON.stringify(list))])) : undefined
    const every = listDigests ? [...listDigests.values()] : undefined
    entries.push(await page({path: 'html/index.html', format: 'index'}, [site.locales, every, options], () => renderRootIndex(site.locales, sorted, options)))
    entries.push(await page({path: 'html/404.html', format: 'index'}, [site.locales, options], () => renderNotFound(undefined, site.locales, options)))
    for (const locale of site.locales) {
      const list = lists.get(locale)!
      entries.push(
        await page({path: `html/${locale}/${listPage}.html`, locale, format: 'index'}, [site.locales, listDigests?.get(locale), options], () =>
          renderLocaleIndex(locale, list, site.locales, options)
        )
      )
      entries.push(await page({path: `html/${locale}/404.html`, locale, format: 'index'}, [site.locales, options], () => renderNotFound(locale, site.locales, options)))
    }

    // lastmod: the day of `updated`, else of `date` (the same in every locale).
    const slugs = new Map<string, {date: string | undefined; sourceLocale: Locale | undefined}>()
    for (const entry of site.index) if (!slugs.has(entry.slug)) slugs.set(entry.slug, {date: entry.updated ?? entry.date ?? undefined, sourceLocale: entry.sourceLocale})
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
    if (site.baseUrl) {
      const baseUrl = site.baseUrl
      const inputs = memo ? [site.locales, baseUrl, listPage, [...slugs].sort((a, b) => (a[0] < b[0] ? -1 : 1))] : undefined
      entries.push(await page({path: 'html/sitemap.xml', format: 'sitemap'}, inputs, () => renderSitemap(pages, site.locales, baseUrl)))
    }
  }

  // Entry by entry: a large site's report, as one string, would be a peak of memory of its own.
  entries.push(await stageJsonList(staging, {path: 'report.json'}, {schemaVersion: reportSchemaVersion}, 'messages', site.report))
  return entries
}

/**
 * The variant the front page shows without a script: the one most
 * articles are written in (ties: the order of the locale table).
 */
function mainLocale(entries: ReadonlyArray<ListEntry & {locale: Locale}>, published: ReadonlyArray<Locale>): Locale | undefined {
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

/** An index entry as the HTML lists take it (the same entry: absent values left out). */
function listEntry(entry: IndexEntry & {locale: Locale; sourceLocale: Locale}): ListEntry & {locale: Locale} {
  return {
    locale: entry.locale,
    slug: entry.slug,
    title: entry.title,
    ...(entry.description === null ? {} : {description: entry.description}),
    ...(entry.date === null ? {} : {date: entry.date}),
    ...(entry.category === null ? {} : {category: entry.category}),
    ...(entry.tags.length > 0 ? {tags: entry.tags} : {}),
    sourceLocale: entry.sourceLocale,
    readingMinutes: entry.readingMinutes
  }
}
