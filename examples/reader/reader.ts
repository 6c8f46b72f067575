/**
 * A small app built on zhpress's JSON bundle, in plain TypeScript: it lists
 * a locale's articles from `json/<locale>/index.json`, then renders one as
 * an HTML page with i18next, falling back from the reader's locale to the
 * nearest one the site was built in.
 *
 *   npx tsc -p examples/reader          # strict; writes examples/reader/build/
 *   node examples/reader/build/reader.js DIST LOCALE [SLUG]
 *
 * Its types are the bundle's own: copy `DIST/json/zhpress.d.ts` next to
 * this file as `zhpress.d.ts` (the tests do).
 *
 * Fallback, as i18next resolves it (`fallbackLng` below): a Traditional
 * variant tries the other Traditional ones, then Simplified — zh-HK →
 * zh-Hant → zh-TW → zh-Hans — and zh-Hans tries the Traditional ones. The
 * list comes from the first locale of that chain with an index; each
 * string from the first locale that has it: the article, the site's `ui`
 * strings and the app's own strings (written in zh-Hant and zh-Hans only).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import i18next, {type BackendModule, type ReadCallback} from 'i18next'
import type {ArticleIndex, ArticleResource, DateValue, IndexEntry, TocEntry} from './zhpress.js'

const [distArgument, requested, slugArgument] = process.argv.slice(2)
if (!distArgument || !requested) {
  console.error('usage: node reader.js DIST LOCALE [SLUG]')
  process.exit(2)
}

const dist = path.resolve(distArgument)

const fallbackLng: Record<string, Array<string>> = {
  'zh-HK': ['zh-Hant', 'zh-TW', 'zh-Hans'],
  'zh-TW': ['zh-Hant', 'zh-HK', 'zh-Hans'],
  'zh-Hant': ['zh-TW', 'zh-HK', 'zh-Hans'],
  'zh-Hans': ['zh-Hant', 'zh-TW', 'zh-HK'],
  default: ['zh-Hans']
}

/** Read a JSON file of the bundle; `undefined` when the site has no such file (a locale it was not built in). */
async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dist, file), 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * An i18next backend reading `json/resources/{{lng}}/{{ns}}.json` from the
 * built folder (i18next-http-backend does the same over HTTP). A locale the
 * site was not built in loads as empty, so i18next goes on down the chain.
 */
const bundleBackend: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    readJson<Record<string, unknown>>(`json/resources/${language}/${namespace}.json`).then(
      (data) => callback(null, data ?? {}),
      (error: Error) => callback(error, false)
    )
  }
}

const chain = [requested, ...(fallbackLng[requested] ?? fallbackLng.default!)]

// The list: the index of the first locale of the chain the site was built in.
let index: ArticleIndex | undefined
for (const locale of chain) {
  index = await readJson<ArticleIndex>(`json/${locale}/index.json`)
  if (index) break
}

if (!index) {
  console.error(`${dist} has no index in ${chain.join(', ')}; build it with the JSON format`)
  process.exit(1)
}

const slug = slugArgument ?? index.articles[0]?.slug
const entry: IndexEntry | undefined = index.articles.find((article) => article.slug === slug)
if (!slug || !entry) {
  console.error(`no article \`${slug}\` in json/${index.locale}/index.json`)
  process.exit(1)
}

const i18n = i18next.createInstance()
await i18n.use(bundleBackend).init({
  lng: requested,
  fallbackLng,
  // Exactly these locales, never a bare `zh`.
  load: 'currentOnly',
  ns: ['ui', 'titles', slug],
  defaultNS: 'ui',
  // The bundle's HTML is sanitized by zhpress; text is escaped below.
  interpolation: {escapeValue: false}
})

// The app's own strings: written in zh-Hant, translated to zh-Hans; the
// other variants find zh-Hant's through the chain.
i18n.addResourceBundle('zh-Hant', 'app', {
  heading: '{{count}} 篇文章（{{locale}}）',
  minutes: '約 {{count}} 分鐘',
  showing: '顯示語言：{{locale}}'
})
i18n.addResourceBundle('zh-Hans', 'app', {heading: '{{count}} 篇文章（{{locale}}）', minutes: '约 {{count}} 分钟', showing: '显示语言：{{locale}}'})

const t = i18n.t

/** Which locale of the chain a key of a namespace came from. */
function source(namespace: string, key: string): string {
  return chain.find((locale) => i18n.getResource(locale, namespace, key) !== undefined) ?? 'nowhere'
}

/** A bundle date shown as its calendar day (its first ten characters), in the reader's locale, never moved by a time zone. */
function shownDate(value: DateValue | null): string {
  if (!value) return ''
  return t('publishedOn', {date: new Date(value.slice(0, 10) + 'T00:00:00Z'), formatParams: {date: {dateStyle: 'long', timeZone: 'UTC'}}})
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
}

// 1. The list.
console.log(t('heading', {ns: 'app', count: index.articles.length, locale: index.locale}))
for (const article of index.articles) {
  const title = t(article.slug, {ns: 'titles', defaultValue: article.title})
  console.log(`- ${title} · ${t('minutes', {ns: 'app', count: article.readingMinutes})} · ${article.url ?? article.html}`)
  if (article.date) console.log(`  ${shownDate(article.date)}`)
  if (article.excerpt) console.log(`  ${article.excerpt}`)
}

// 2. One article, rendered with i18next.
const article = i18n.getResourceBundle(source(slug, 'html'), slug) as ArticleResource
const toc: Array<TocEntry> = t('toc', {ns: slug, returnObjects: true}) as Array<TocEntry>
const page = [
  '<!doctype html>',
  `<html lang="${escape(requested)}">`,
  `<title>${escape(t('title', {ns: slug}))}</title>`,
  `<p>${escape(t('showing', {ns: 'app', locale: t(`languageName.${source(slug, 'html')}`)}))}</p>`,
  `<h1>${escape(t('title', {ns: slug}))}</h1>`,
  entry.date ? `<p><time datetime="${escape(entry.date)}">${escape(shownDate(entry.date))}</time></p>` : '',
  toc.length > 0 ? `<nav><h2>${escape(t('toc'))}</h2><ul>${toc.map((item) => `<li><a href="#${escape(item.id)}">${escape(item.text)}</a></li>`).join('')}</ul></nav>` : '',
  article.html,
  '</html>'
].filter((line) => line !== '')
console.log('')
console.log(`${slug}: article from ${source(slug, 'html')}, ui from ${source('ui', 'toc')}, app strings from ${source('app', 'minutes')}`)
console.log(page.join('\n'))
