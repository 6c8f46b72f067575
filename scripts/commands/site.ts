/**
 * Site-level outputs, made from what every article left behind: the
 * per-locale indexes, the `titles` and `ui` i18next namespaces, index pages,
 * the schemas and types, the sitemap and report.json. Shared by `build` and
 * `merge`, so a merged site equals a single build byte for byte.
 */
import {uiStrings} from '../i18n.ts'
import type {Locale} from '../locales.ts'
import {renderLocaleIndex, renderRootIndex} from '../render-html.ts'
import {bundleTypes, formatJson, titlesResource} from '../render-json.ts'
import {reportSchemaVersion, schemaFiles, schemaOf, type SchemaFile} from '../schemas.ts'
import {localeIndex, type IndexEntry} from '../site-index.ts'
import {renderSitemap, type SitemapPage} from '../render-sitemap.ts'
import type {ReportEntry} from '../report.ts'
import type {Format} from '../types.ts'
import {stageFile, type ManifestEntry} from '../write.ts'

/** Said once by a build of the HTML site without a base URL. */
export const noBaseUrlNote =
  'note: no base URL, so no canonical links, og:url or sitemap.xml (search engines need absolute URLs); ' +
  'set `baseUrl: https://example.org/docs/` in source/zhpress.yaml or pass --base-url'

export interface SiteInput {
  locales: ReadonlyArray<Locale>
  formats: ReadonlyArray<Format>
  /** `--base-url`: where `html/` is published. */
  baseUrl?: string | undefined
  /** Index entries of every article, one per locale. */
  index: ReadonlyArray<IndexEntry & {locale: Locale}>
  report: ReadonlyArray<ReportEntry>
  /** Page path of the list of articles: `index`, or `articles` when the source has its own home page (`index.md`). */
  listPage?: string
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
  const listPage = site.listPage ?? 'index'
  const own = (locale: Locale) => site.index.filter((entry) => entry.locale === locale).map(({locale: _, ...entry}) => entry)
  if (site.formats.includes('json')) {
    for (const locale of site.locales) {
      const articles = own(locale)
      // The list of articles has the path of the list page (`index`, or `articles` beside a home page `index.md`).
      entries.push(await stageFile(staging, {path: `json/${locale}/${listPage}.json`, locale, format: 'index', content: formatJson(localeIndex(locale, articles, site.baseUrl))}))
      entries.push(await stageFile(staging, {path: `json/resources/${locale}/titles.json`, locale, format: 'resources', content: formatJson(titlesResource(articles))}))
      entries.push(await stageFile(staging, {path: `json/resources/${locale}/ui.json`, locale, format: 'resources', content: formatJson(uiStrings(locale))}))
    }

    for (const file of Object.keys(schemaFiles) as Array<SchemaFile>) {
      entries.push(await stageFile(staging, {path: `json/${file}`, format: 'schema', content: formatJson(schemaOf(file))}))
    }

    entries.push(await stageFile(staging, {path: 'json/zhpress.d.ts', format: 'schema', content: bundleTypes()}))
  }

  if (site.formats.includes('html')) {
    const options = {baseUrl: site.baseUrl, listPage}
    entries.push(await stageFile(staging, {path: 'html/index.html', format: 'index', content: renderRootIndex(site.locales, options)}))
    for (const locale of site.locales) {
      const list = own(locale)
        .map(({slug, title, description, date}) => ({slug, title, description: description ?? undefined, date: date ?? undefined}))
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (a.slug < b.slug ? -1 : 1))
      entries.push(
        await stageFile(staging, {path: `html/${locale}/${listPage}.html`, locale, format: 'index', content: renderLocaleIndex(locale, list, site.locales, options)})
      )
    }

    // lastmod: the day of `updated`, else of `date` (the same in every locale).
    const slugs = new Map<string, string | undefined>()
    for (const entry of site.index) if (!slugs.has(entry.slug)) slugs.set(entry.slug, entry.updated ?? entry.date ?? undefined)
    const pages: Array<SitemapPage> = [
      {path: (locale) => `${locale}/${listPage}.html`, fallback: 'index.html'},
      ...[...slugs.keys()]
        .sort((a, b) => (a < b ? -1 : 1))
        .map((slug) => ({path: (locale: Locale) => `${locale}/${slug}.html`, fallback: 'index.html', date: slugs.get(slug)}))
    ]
    // Search engines take absolute URLs only: no base URL, no sitemap (the build says how to set one).
    if (site.baseUrl) entries.push(await stageFile(staging, {path: 'html/sitemap.xml', format: 'sitemap', content: renderSitemap(pages, site.locales, site.baseUrl)}))
  }

  entries.push(await stageFile(staging, {path: 'report.json', content: formatJson({schemaVersion: reportSchemaVersion, messages: site.report})}))
  return entries
}
