/**
 * Project settings: `source/zhpress.yaml`, validated, with the line and
 * column of every mistake. Parsing only: `ingest.ts` reads the file.
 */
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import type {Node as YamlNode} from 'yaml'
import {checkBaseUrl} from './base-url.ts'
import {report} from './diagnostics.ts'
import {yaml} from './lazy.ts'
import {fallbackChain, locales, resolveLocale, type Locale} from './locales.ts'

/** Name of the settings file, at the top of the source folder. */
export const settingsFileName = 'zhpress.yaml'

/** A text of the site in one or more locales. */
export interface LocalizedText {
  /** Text written once (in the source script), to be converted into every locale. */
  text?: string
  /** Text written for given locales; wins over `text`. */
  locales: Partial<Record<Locale, string>>
}

/** Validated project settings; every field is optional in the file. */
export interface Settings {
  /** Patterns (gitignore-like globs, relative to the source folder) of files and folders to skip. */
  ignore: Array<string>
  /** The site's name and description, shown by the site pages. */
  site: {title?: LocalizedText; description?: LocalizedText}
  /** Where `html/` is published (absolute http(s) URL ending in `/`); `--base-url` wins. */
  baseUrl?: string
  /** Source locale of articles whose text has no script-specific character (default zh-Hans). */
  defaultLocale: Locale
  /**
   * Folders (relative to the source folder, `..` allowed) whose files are
   * served at the site root, as VitePress serves `public/` and Docusaurus
   * `static/`; `undefined`: `public/` and `static/` of the source folder and
   * the `static/` of an enclosing Docusaurus site.
   */
  assets?: Array<string>
  /**
   * Whether articles hold TeX math (`$…$`, `$$…$$`) to parse as math;
   * `undefined`: when the enclosing site generator's settings render math.
   */
  math?: boolean
}

/** Settings of a project without `zhpress.yaml`. */
export const defaultSettings: Settings = {ignore: [], site: {}, defaultLocale: 'zh-Hans'}

const topKeys = ['ignore', 'site', 'baseUrl', 'defaultLocale', 'assets', 'math'] as const
const siteKeys = ['title', 'description'] as const

/**
 * Parse and validate `zhpress.yaml`.
 *
 * Every problem is a `broken-settings` error on `file` with its line and
 * column; fields with problems take their defaults.
 *
 * @param file The settings file, decoded.
 * @returns The settings (defaults for what the file leaves out).
 */
export function parseSettings(file: VFile): Settings {
  const text = String(file.value)
  const where = location(file)
  const settings: Settings = {ignore: [], site: {}, defaultLocale: 'zh-Hans'}
  const fail = (reason: string, offset: number | undefined) => {
    report(file, 'broken-settings', {reason}, {place: where.toPoint(offset ?? 0) ?? {line: 1, column: 1}})
  }

  const document = yaml().parseDocument(text, {prettyErrors: false, uniqueKeys: true, logLevel: 'error'})
  if (document.errors.length > 0) {
    for (const error of document.errors) fail(`broken YAML: ${error.message.split('\n')[0]}; fix ${settingsFileName}`, error.pos[0])
    return settings
  }

  const contents = document.contents
  if (contents === null || (yaml().isScalar(contents) && (contents.value === null || contents.value === ''))) return settings
  if (!yaml().isMap(contents)) {
    fail(`${settingsFileName} must be a mapping of \`key: value\` lines (${topKeys.join(', ')})`, start(contents))
    return settings
  }

  for (const pair of contents.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : ''
    const value = pair.value as YamlNode | null
    const at = start(value) ?? start(pair.key as YamlNode)
    switch (key) {
      case 'ignore': {
        const items = yaml().isSeq(value) ? value.items : [value]
        for (const item of items as Array<YamlNode | null>) {
          if (yaml().isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') settings.ignore.push(item.value.trim())
          else fail('`ignore` takes a list of path patterns (`drafts/`, `**/_*.md`)', start(item) ?? at)
        }

        break
      }

      case 'site': {
        if (!yaml().isMap(value)) {
          fail('`site` takes `title` and `description`', at)
          break
        }

        for (const sitePair of value.items) {
          const siteKey = yaml().isScalar(sitePair.key) ? String(sitePair.key.value) : ''
          const siteValue = sitePair.value as YamlNode | null
          if (!(siteKeys as ReadonlyArray<string>).includes(siteKey)) {
            fail(`unknown key \`site.${siteKey}\`; use ${siteKeys.map((name) => `site.${name}`).join(' or ')}`, start(sitePair.key as YamlNode))
            continue
          }

          const localized = readLocalized(siteValue, `site.${siteKey}`, fail)
          if (localized) settings.site[siteKey as (typeof siteKeys)[number]] = localized
        }

        break
      }

      case 'baseUrl': {
        const checked = yaml().isScalar(value) && typeof value.value === 'string' ? checkBaseUrl(value.value) : undefined
        if (checked && 'url' in checked) settings.baseUrl = checked.url
        else fail(`\`baseUrl\` takes the absolute http(s) URL of the published html/ folder, such as https://example.org/docs/${checked ? ': ' + checked.problem : ''}`, at)
        break
      }

      case 'defaultLocale': {
        const locale = yaml().isScalar(value) && typeof value.value === 'string' ? resolveLocale(value.value) : undefined
        if (locale) settings.defaultLocale = locale
        else fail(`unknown locale in \`defaultLocale\`; use ${locales.join(', ')}`, at)
        break
      }

      case 'math': {
        if (yaml().isScalar(value) && typeof value.value === 'boolean') settings.math = value.value
        else fail('`math` takes `true` (articles hold TeX math, `$…$` and `$$…$$`) or `false`', at)
        break
      }

      case 'assets': {
        const items = yaml().isSeq(value) ? value.items : [value]
        const folders: Array<string> = []
        for (const item of items as Array<YamlNode | null>) {
          const folder = yaml().isScalar(item) && typeof item.value === 'string' ? item.value.trim().replace(/\/+$/, '') : ''
          if (folder !== '' && !folder.startsWith('/') && !/^[a-z]:/i.test(folder) && !folder.includes('\\')) folders.push(folder)
          else fail('`assets` takes a list of folders relative to the source folder (`public`, `../static`), served at the root of the site', start(item) ?? at)
        }

        settings.assets = folders
        break
      }

      default:
        fail(`unknown key \`${key}\` in ${settingsFileName}; use ${topKeys.join(', ')}`, start(pair.key as YamlNode))
    }
  }

  return settings
}

function readLocalized(node: YamlNode | null, name: string, fail: (reason: string, offset: number | undefined) => void): LocalizedText | undefined {
  if (yaml().isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') && String(node.value).trim() !== '') {
    return {text: String(node.value), locales: {}}
  }

  if (yaml().isMap(node)) {
    const result: LocalizedText = {locales: {}}
    for (const pair of node.items) {
      const tag = yaml().isScalar(pair.key) ? String(pair.key.value) : ''
      const locale = resolveLocale(tag)
      const value = pair.value as YamlNode | null
      if (!locale) {
        fail(`unknown locale \`${tag}\` in \`${name}\`; use ${locales.join(', ')}`, start(pair.key as YamlNode))
        continue
      }

      if (yaml().isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number')) result.locales[locale] = String(value.value)
      else fail(`\`${name}.${tag}\` must be text`, start(value) ?? start(pair.key as YamlNode))
    }

    return Object.keys(result.locales).length > 0 ? result : undefined
  }

  fail(`\`${name}\` takes a text, or a text per locale (\`zh-Hans: …\`, \`zh-TW: …\`)`, start(node))
  return undefined
}

function start(node: YamlNode | null | undefined): number | undefined {
  return node?.range?.[0]
}


/**
 * A localized setting in one locale: the locale's own text, else the first
 * written along the fallback chain of inline rules, else the text written once.
 *
 * @param value The setting.
 * @param locale Locale of the page.
 * @returns The text and the locale it is written in (`undefined`: written once,
 *   in the source script); convert it when that is not `locale`. `undefined` when the setting is absent.
 */
export function localizedText(value: LocalizedText | undefined, locale: Locale): {text: string; writtenIn: Locale | undefined} | undefined {
  if (!value) return undefined
  for (const other of [locale, ...fallbackChain[locale]]) {
    const text = value.locales[other]
    if (text !== undefined) return {text, writtenIn: other}
  }

  if (value.text !== undefined) return {text: value.text, writtenIn: undefined}
  const first = locales.find((other) => value.locales[other] !== undefined)
  return first ? {text: value.locales[first]!, writtenIn: first} : undefined
}
