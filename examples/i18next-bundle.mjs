/**
 * An app loading zhpress's JSON bundle with i18next, and nothing else.
 *
 *   node examples/i18next-bundle.mjs [DIST] [SLUG]
 *
 * 1. Loads, per locale, only the i18next namespaces it shows — `ui`,
 *    `titles` and one article's — from `json/resources/<locale>/<ns>.json`
 *    (the layout i18next-http-backend's `loadPath` expects), checking each
 *    file against its sha256 in `manifest.json`, as an app caching the
 *    bundle would (exits 1 when one does not match).
 * 2. Loads them into a real i18next instance with the fallback chain of the
 *    conversion rules (README, "Inline rules"), switches between the four
 *    locales and prints the title and table of contents of the article in
 *    each.
 * 3. Shows that fallback for real: the app adds strings of its own written
 *    in zh-Hant (plus a zh-Hans translation and one zh-HK wording); a key
 *    missing in zh-HK or zh-TW falls back to zh-Hant, zh-Hans has no fallback.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import i18next from 'i18next'

const dist = path.resolve(process.argv[2] ?? 'dist')

const manifest = JSON.parse(await fs.readFile(path.join(dist, 'manifest.json'), 'utf8'))
const hashes = new Map(manifest.outputs.map((output) => [output.path, output.sha256]))

/** A JSON file of the bundle, refused when it is not the one the manifest lists. */
async function load(file) {
  const bytes = await fs.readFile(path.join(dist, file))
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (hashes.get(file) !== actual) {
    console.error(`${file} does not match manifest.json (sha256 ${actual}); rebuild or download the bundle again`)
    process.exit(1)
  }

  return JSON.parse(bytes.toString('utf8'))
}

// The locales built (those with interface strings), in zhpress's order.
const locales = ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK'].filter((locale) => hashes.has(`json/resources/${locale}/ui.json`))
const titles = await load(`json/resources/${locales[0]}/titles.json`)
const slug = process.argv[3] ?? Object.keys(titles)[0]

/** @type {Record<string, Record<string, unknown>>} */
const resources = {}
for (const locale of locales) {
  resources[locale] = {}
  for (const ns of ['ui', 'titles', slug]) resources[locale][ns] = await load(`json/resources/${locale}/${ns}.json`)
}

console.log(`bundle: zhpress ${manifest.generator.zhpress}, opencc-js ${manifest.generator['opencc-js']}, sha256 verified`)

// The conversion rules' chain (README, "Inline rules"): zh-TW → zh-Hant → zh-HK; zh-HK → zh-Hant → zh-TW;
// zh-Hant → zh-TW → zh-HK; zh-Hans → none.
const fallbackLng = {
  'zh-TW': ['zh-Hant', 'zh-HK'],
  'zh-HK': ['zh-Hant', 'zh-TW'],
  'zh-Hant': ['zh-TW', 'zh-HK'],
  'zh-Hans': [],
  default: []
}

await i18next.init({
  resources,
  lng: locales[0],
  fallbackLng,
  // Only the exact locale, then the chain above: never a bare `zh`.
  load: 'currentOnly',
  ns: ['ui', 'titles', slug],
  defaultNS: 'ui',
  // The bundle's strings are text; the app escapes them where it renders.
  interpolation: {escapeValue: false}
})

// The app's own strings: written once in zh-Hant, translated to zh-Hans,
// reworded for zh-HK where it differs. Nothing for zh-TW.
i18next.addResourceBundle('zh-Hant', 'app', {readMore: '閱讀全文', share: '分享這篇文章'})
i18next.addResourceBundle('zh-Hans', 'app', {readMore: '阅读全文'})
i18next.addResourceBundle('zh-HK', 'app', {share: '分享呢篇文章'})

for (const locale of locales) {
  await i18next.changeLanguage(locale)
  const t = i18next.t
  console.log('')
  console.log(`[${locale}] ${t(`languageName.${locale}`)}`)
  console.log(`  ${t('title', {ns: slug})}`)
  console.log(`  ${t('toc')}:`)
  /** @type {Array<{depth: number, id: string, text: string}>} */
  const toc = t('toc', {ns: slug, returnObjects: true})
  for (const entry of toc) console.log(`  ${'  '.repeat(entry.depth - 1)}${entry.text} (#${entry.id})`)
  for (const key of ['readMore', 'share']) {
    const resolved = i18next.exists(key, {ns: 'app'})
      ? `${t(key, {ns: 'app'})}  ← ${whereFrom(key, locale)}`
      : '(missing: no fallback)'
    console.log(`  app:${key} = ${resolved}`)
  }
}

/** Which locale of the chain a key of the app namespace came from. */
function whereFrom(key, locale) {
  for (const candidate of [locale, ...fallbackLng[locale]]) {
    if (i18next.getResource(candidate, 'app', key) !== undefined) return candidate
  }

  return 'nowhere'
}
