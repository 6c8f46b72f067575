/**
 * The site's name and description (`site` in zhpress.yaml) in every locale
 * the build publishes. Kept apart from the UI strings, so that a build
 * reads them without loading i18next.
 */
import {detectSourceLocale} from './convert/detect.ts'
import type {Glossary} from './convert/glossary.ts'
import {convertTextReport} from './convert/index.ts'
import type {Locale} from './locales.ts'
import {localizedText, type LocalizedText} from './settings.ts'

/** The site's name and description in one locale, as the pages show them. */
export interface SiteIdentity {
  title?: string
  description?: string
}

/**
 * The site's name and description (`site` in zhpress.yaml) in every locale:
 * a text written for the locale as it is, else the one the fallback chain
 * finds or the text written once, converted like an article (its script
 * detected, inline rules and the glossary applied).
 *
 * @param site The `site` setting.
 * @param published Locales built.
 * @param options The project's default locale (for a text with no script-specific character) and glossary.
 * @returns Per locale, what the settings give (nothing for an absent setting: pages use their default).
 */
export function siteIdentity(
  site: {title?: LocalizedText; description?: LocalizedText},
  published: ReadonlyArray<Locale>,
  options: {defaultLocale: Locale; glossary?: Glossary}
): Partial<Record<Locale, SiteIdentity>> {
  const result: Partial<Record<Locale, SiteIdentity>> = {}
  for (const locale of published) {
    const identity: SiteIdentity = {}
    for (const key of ['title', 'description'] as const) {
      const found = localizedText(site[key], locale)
      if (!found) continue
      if (found.writtenIn === locale) {
        identity[key] = found.text
        continue
      }

      const from = found.writtenIn ?? detectSourceLocale(found.text, options.defaultLocale).locale
      identity[key] = convertTextReport(found.text, {from, to: locale, ...(options.glossary ? {glossary: options.glossary} : {})}).value
    }

    if (identity.title !== undefined || identity.description !== undefined) result[locale] = identity
  }

  return result
}
