/**
 * UI strings of the HTML site, per locale, through i18next. Written once in
 * zh-Hant, generated for the other variants with OpenCC, then patched with
 * per-variant overrides where wording differs beyond characters.
 */
import i18next, {type i18n} from 'i18next'
import {getConverter} from './convert/engine.ts'
import {fallbackChain, locales, type Locale} from './locales.ts'
export type {SiteIdentity} from './site-identity.ts'

/** UI strings as written, in the base locale. */
export const baseLocale: Locale = 'zh-Hant'

export const baseStrings = {
  toc: '目錄',
  // `count`: sections (h2) listed.
  tocSummary: '目錄（{{count}} 節）',
  table: '表格，可左右捲動',
  code: '程式碼，可左右捲動',
  languages: '語言版本',
  chooseVariant: '選擇語言版本',
  chooseVariantDescription: '本站文章以簡體中文、繁體中文、台灣正體與香港繁體四種版本發佈。',
  articles: '文章',
  articlesDescription: '全部文章，最新的在前。',
  allArticles: '全部文章',
  // The site's name when the project settings give none (`site.title`).
  siteTitle: '文章',
  // `<title>` of a page of the site: the page, then the site.
  pageTitle: '{{page}}｜{{site}}',
  siteNavigation: '網站導覽',
  latestArticles: '最新文章',
  otherVariants: '其他語言版本',
  // Heading of the articles without a category, when the list is grouped by category.
  uncategorized: '未分類',
  // Heading of the articles outside any folder, when the list is grouped by folder (it comes last).
  topLevel: '其他文章',
  // `count`: articles in the group.
  groupCount: '{{count}} 篇',
  // `minutes`: reading time, rounded up.
  readingTime: '約 {{minutes}} 分鐘',
  groups: '分組',
  notFound: '找不到這個頁面',
  notFoundText: '網址可能有誤，或者頁面已經移走。',
  backHome: '回到首頁',
  category: '分類',
  categoryIs: '分類：{{category}}',
  tags: '標籤',
  published: '發佈日期',
  // `date` is a Date; formatted with Intl for the page's locale.
  publishedOn: '發佈於{{date, datetime}}',
  convertedFrom: '本頁由{{source}}原文自動轉換而成。',
  original: '本頁為原文（{{source}}）。',
  footnotes: '註腳',
  backToContent: '回到正文',
  // Names a reader can choose by: the plain Traditional variant is OpenCC's standard forms, not a region's.
  languageName: {
    'zh-Hans': '簡體中文',
    'zh-Hant': '繁體中文（通用）',
    'zh-TW': '台灣正體',
    'zh-HK': '香港繁體'
  },
  // One line under each name on the entry page; the sample words follow it.
  variantHint: {
    'zh-Hans': '中國大陸用字',
    'zh-Hant': 'OpenCC 標準字形，不分地區',
    'zh-TW': '台灣用字與用語',
    'zh-HK': '香港用字'
  }
}

export type UiStrings = typeof baseStrings

type DeepPartial<T> = {[K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K]}

/**
 * Wording that differs beyond characters; applied after conversion.
 */
export const overrides: Partial<Record<Locale, DeepPartial<UiStrings>>> = {
  'zh-Hans': {published: '发布日期', tags: '标签', table: '表格，可左右滚动', code: '代码，可左右滚动', siteNavigation: '网站导航'},
  // Taiwan phrasing turns 發佈 into 釋出 (a software release); a page is 發布.
  'zh-TW': {
    published: '發布日期',
    publishedOn: '發布於{{date, datetime}}',
    chooseVariantDescription: '本站文章以簡體中文、繁體中文、台灣正體與香港繁體四種版本發布。'
  }
}

/** Words whose forms tell the variants apart, written in zh-Hans and converted into each variant by OpenCC. */
const sampleWords = '因为、里面、软件、鼠标'

/**
 * Sample words of a variant for the entry page (因爲、裏面 … in zh-Hant,
 * 因為、裡面、軟體、滑鼠 in zh-TW), converted by OpenCC like the UI strings.
 *
 * @param locale Variant.
 * @returns The sample words in that variant.
 */
export function variantSample(locale: Locale): string {
  return getConverter('zh-Hans', locale).convert(sampleWords)
}

/**
 * UI strings of one locale.
 *
 * @param locale Target locale.
 * @returns The base strings converted with OpenCC, with the overrides applied.
 */
export function uiStrings(locale: Locale): UiStrings {
  const convert = getConverter(baseLocale, locale).convert
  const converted = mapStrings(baseStrings, convert)
  return merge(converted, overrides[locale] ?? {})
}

/** i18next resources for the UI, every locale under namespace `ui`. */
export function uiResources(): Record<Locale, {ui: UiStrings}> {
  const resources = {} as Record<Locale, {ui: UiStrings}>
  for (const locale of locales) resources[locale] = {ui: uiStrings(locale)}
  return resources
}

/** i18next's `fallbackLng` for the chain of DESIGN.md. */
export const fallbackLng: Record<string, Array<string>> = {
  ...Object.fromEntries(locales.map((locale) => [locale, [...fallbackChain[locale]]])),
  default: []
}

/**
 * A real i18next instance holding `resources`, switched to `locale`.
 *
 * @param locale Language to use.
 * @param resources i18next resources (defaults to the UI strings).
 * @returns The initialised instance (synchronous: resources are in memory).
 */
export function createI18n(locale: Locale, resources: Record<string, Record<string, unknown>> = uiResources()): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    resources: resources as never,
    lng: locale,
    fallbackLng,
    defaultNS: 'ui',
    ns: Object.keys(resources[locale] ?? {ui: {}}),
    load: 'currentOnly',
    initAsync: false,
    interpolation: {escapeValue: false},
    returnObjects: false
  })
  return instance
}

const uiInstances = new Map<Locale, i18n>()

/**
 * The i18next instance of the UI strings for one locale, made once: pages
 * only read from it, and every page of a build needs one.
 *
 * @param locale Language of the page.
 * @returns The shared instance; never switch its language.
 */
export function uiI18n(locale: Locale): i18n {
  let instance = uiInstances.get(locale)
  if (!instance) {
    instance = createI18n(locale)
    uiInstances.set(locale, instance)
  }

  return instance
}

function mapStrings<T>(value: T, convert: (text: string) => string): T {
  if (typeof value === 'string') return convert(value) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, convert)])) as T
  }

  return value
}

function merge<T>(target: T, patch: DeepPartial<T>): T {
  const result = {...target} as Record<string, unknown>
  for (const [key, value] of Object.entries(patch)) {
    result[key] =
      value && typeof value === 'object' ? merge(result[key] as Record<string, unknown>, value as never) : value
  }

  return result as T
}

