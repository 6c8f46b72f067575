/**
 * The locale table of DESIGN.md: the four output variants, their HTML
 * language tags and the aliases accepted wherever a locale is read.
 * OpenCC codes live in `convert/engine.ts`, not here.
 */

export const locales = ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK'] as const

export type Locale = (typeof locales)[number]

/** HTML `lang` value of each locale. */
export const htmlLang: Record<Locale, string> = {
  'zh-Hans': 'zh-Hans',
  'zh-Hant': 'zh-Hant',
  'zh-TW': 'zh-Hant-TW',
  'zh-HK': 'zh-Hant-HK'
}

/** Whether a locale is written in Traditional characters. */
export const traditional: Record<Locale, boolean> = {
  'zh-Hans': false,
  'zh-Hant': true,
  'zh-TW': true,
  'zh-HK': true
}

const aliases: Record<string, Locale> = {
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-mo': 'zh-HK',
  'zh-hans-cn': 'zh-Hans',
  'zh-hant-tw': 'zh-TW',
  'zh-hant-hk': 'zh-HK'
}

/**
 * Resolve a locale tag or alias, case-insensitively.
 *
 * @param value Tag as written by a user (`zh-tw`, `zh-CN`, `zh-MO`).
 * @returns The canonical locale, or `undefined` when it is not one zhpress publishes.
 */
export function resolveLocale(value: string): Locale | undefined {
  const lower = value.trim().toLowerCase()
  const direct = locales.find((locale) => locale.toLowerCase() === lower)
  return direct ?? aliases[lower]
}

/**
 * Where a variant that a `-{…}-` rule leaves out looks next, as on Chinese
 * Wikipedia. zh-Hans has no fallback.
 */
export const fallbackChain: Record<Locale, ReadonlyArray<Locale>> = {
  'zh-Hans': [],
  'zh-Hant': ['zh-TW', 'zh-HK'],
  'zh-TW': ['zh-Hant', 'zh-HK'],
  'zh-HK': ['zh-Hant', 'zh-TW']
}
