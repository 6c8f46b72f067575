/**
 * zhpress as a library: `import {convertText, buildSite} from 'zhpress'`.
 *
 * Every function returns data — converted text, VFiles carrying vfile
 * messages, the manifest — and never prints, reads argv or exits; the
 * `zhpress` command is these functions plus argument parsing, formatting
 * and exit codes. Nothing is written unless asked: `buildSite` and
 * `mergeShards` write their `out` folder, and a cache only when given a
 * `cacheDir`.
 */

export {convertMarkdown, convertText} from './conversion.ts'
export type {ConvertOptions, ConvertResult} from './conversion.ts'

export {buildSite} from './commands/build.ts'
export type {BuildSiteOptions, BuildSiteResult} from './commands/build.ts'
export {checkSite} from './commands/check.ts'
export type {CheckSiteOptions, CheckSiteResult} from './commands/check.ts'
export {mergeShards} from './commands/shard.ts'
export type {MergeShardsOptions, MergeShardsResult} from './commands/shard.ts'
export type {Shard} from './commands/args.ts'

export {parseGlossary} from './convert/glossary.ts'
export type {Glossary, GlossaryEntry} from './convert/glossary.ts'
export type {QuoteStyle} from './convert/quotes.ts'

export {locales, resolveLocale} from './locales.ts'
export type {Locale} from './locales.ts'
export type {Format} from './types.ts'

export {formatMessage, formatReport, reportEntries} from './report.ts'
export type {ReportEntry} from './report.ts'
export {rules} from './diagnostics.ts'
export type {RuleId, Severity} from './diagnostics.ts'

export {excerptLength, indexEntry, readingSpeed} from './site-index.ts'
export type {IndexEntryOptions} from './site-index.ts'
export {schemaFiles, schemaOf, schemaVersion} from './schemas.ts'
export type {SchemaFile} from './schemas.ts'

// Types of every JSON file a build writes (generated from the schemas; shipped as json/zhpress.d.ts).
export type {
  AlternatePaths,
  Alternates,
  ArticleDocument,
  ArticleIndex,
  ArticleResource,
  DateValue,
  Generator,
  IndexEntry,
  Manifest,
  ManifestEntry,
  MdastNode,
  MdastRoot,
  Report,
  Slug,
  Stats,
  TitlesResource,
  TocEntry,
  UiResource,
  ZhpressJson
} from './bundle-types.ts'

/**
 * i18next resources of the locales an app loaded: locale → namespace (an
 * article's slug, `titles` or `ui`) → keys; each file under
 * `json/resources/<locale>/` is one namespace.
 */
export type Resources = Record<string, Record<string, import('./bundle-types.ts').ArticleResource | import('./bundle-types.ts').TitlesResource | import('./bundle-types.ts').UiResource>>
