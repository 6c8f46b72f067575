/**
 * Pure argument parsing: argv → options or a usage error. Tested as input →
 * output, as ni tests its parse.ts.
 */
import {checkBaseUrl} from '../base-url.ts'
import {parseArgs, type ParseArgsConfig} from 'node:util'
import {locales, resolveLocale, type Locale} from '../locales.ts'
import {quoteStyles, type QuoteStyle} from '../convert/quotes.ts'
import {formats, type Format} from '../types.ts'

/** A mistake in the command line: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface BuildOptions {
  /** Print every diagnostic (no folding of a rule's warnings beyond the limit). */
  verbose?: boolean
  source: string
  out: string
  locales: Array<Locale>
  formats: Array<Format>
  jobs: number | undefined
  strict: boolean
  /** Absolute URL of the published `html/` folder, ending in `/`. */
  baseUrl: string | undefined
  /** Build only share `index` (1-based) of `count`; see `merge`. */
  shard?: Shard
  /** Use the incremental cache under `.cache/zhpress/` (`--no-cache`: false). */
  cache: boolean
  /** Keep the cache entries of this many last builds (`--cache-keep`, default 1: this one's). */
  cacheKeep: number
  /** Update the output folder in place under a journal when most articles are unchanged (`--in-place`). */
  inPlace: boolean
  /** Word-aware corrections (`--no-corrections`: false, exactly opencc-js). */
  corrections: boolean
  /** Keep a Traditional source's non-standard forms (`--keep-source-forms`). */
  keepSourceForms: boolean
  /** Build again after each change to the source folder, until interrupted (`--watch`). */
  watch?: boolean
}

export interface Shard {
  index: number
  count: number
}

export interface MergeOptions {
  out: string
  shards: Array<string>
  strict: boolean
}

export interface ConvertCommandOptions {
  to: Locale
  from: Locale | 'auto'
  markdown: boolean
  input: string
  /** Glossary file; default: `glossary.yaml` beside the input, when there is one. */
  glossary?: string
  /** Quote style of the output; default: the article's `quotes`, then the locale's default. */
  quotes?: QuoteStyle
  /** Word-aware corrections (`--no-corrections`: false, exactly opencc-js). */
  corrections: boolean
  /** Keep a Traditional source's non-standard forms (`--keep-source-forms`). */
  keepSourceForms: boolean
  /** Keep compiled dictionaries in the cache root (`--no-cache`: false). */
  cache: boolean
}

export interface ImportOptions {
  /** Scraped articles to import. */
  files: Array<string>
  /** Folder the source articles are written to. */
  out: string
  /** Slug of the article (one input only); default: pinyin of the title. */
  slug: string | undefined
  /** Overwrite an existing article. */
  force: boolean
  /** `text`: human-readable report on stderr; `json`: the report as JSON on stdout. */
  report: 'text' | 'json'
  /** Half-width punctuation between Han characters → full width. */
  typography: boolean
  /** Site chrome patterns file; default: scripts/clean/chrome.yaml. */
  chrome: string | undefined
}

export interface CheckOptions {
  source: string
  strict: boolean
  /** `text`: lines on stderr; `json`: every message as data on stdout. */
  format: 'text' | 'json'
  /** Write the lint's standard forms into the sources (`--fix`). */
  fix: boolean
  /** With `--fix`: print the diff, write nothing (`--dry-run`). */
  dryRun: boolean
  /** Print every diagnostic (no folding of a rule's warnings beyond the limit). */
  verbose?: boolean
}

type Options = NonNullable<ParseArgsConfig['options']>

interface Parsed {
  values: Record<string, string | boolean | undefined>
  positionals: Array<string>
}

function parse(args: Array<string>, options: Options, positionals: boolean): Parsed {
  try {
    const result = parseArgs({args, options: {...options, help: {type: 'boolean', short: 'h'}}, allowPositionals: positionals, strict: true})
    return {values: result.values as Parsed['values'], positionals: result.positionals}
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** Parse a comma-separated list of locales (aliases allowed, duplicates dropped). */
export function parseLocales(value: string | undefined): Array<Locale> {
  if (value === undefined) return [...locales]
  const result: Array<Locale> = []
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const locale = resolveLocale(item)
    if (!locale) throw new UsageError(`unknown locale \`${item}\` in --locales; use ${locales.join(', ')} (or zh-CN, zh-SG, zh-MO)`)
    if (!result.includes(locale)) result.push(locale)
  }

  if (result.length === 0) throw new UsageError('--locales is empty')
  // Always in table order, so outputs do not depend on how the list was typed.
  return locales.filter((locale) => result.includes(locale))
}

/** Parse a comma-separated list of formats. */
export function parseFormats(value: string | undefined): Array<Format> {
  if (value === undefined) return [...formats]
  const result = new Set<Format>()
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    if (!(formats as ReadonlyArray<string>).includes(item)) {
      throw new UsageError(`unknown format \`${item}\` in --formats; use ${formats.join(', ')}`)
    }

    result.add(item as Format)
  }

  if (result.size === 0) throw new UsageError('--formats is empty')
  return formats.filter((format) => result.has(format))
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const jobs = Number(value)
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of at least 1, not \`${value}\``)
  return jobs
}

/** Parse `--shard K/N`. */
export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined
  const match = /^(\d+)\/(\d+)$/.exec(value)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes K/N with 1 ≤ K ≤ N (for example 1/4), not \`${value}\``)
  }

  return {index, count}
}

function parseCacheKeep(value: string | undefined): number {
  if (value === undefined) return 1
  const keep = Number(value)
  if (!Number.isInteger(keep) || keep < 1) throw new UsageError(`--cache-keep takes a whole number of at least 1, not \`${value}\``)
  return keep
}

/** `build` options, or `'help'`. */
export function parseBuild(args: Array<string>): BuildOptions | 'help' {
  const {values} = parse(
    args,
    {
      source: {type: 'string'},
      out: {type: 'string'},
      locales: {type: 'string'},
      formats: {type: 'string'},
      jobs: {type: 'string'},
      strict: {type: 'boolean'},
      'base-url': {type: 'string'},
      shard: {type: 'string'},
      'no-cache': {type: 'boolean'},
      'cache-keep': {type: 'string'},
      'in-place': {type: 'boolean'},
      'no-corrections': {type: 'boolean'},
      'keep-source-forms': {type: 'boolean'},
      watch: {type: 'boolean'},
      verbose: {type: 'boolean'}
    },
    false
  )
  if (values.help) return 'help'
  if (values.watch && values.shard !== undefined) throw new UsageError('--watch builds the whole site; it cannot be combined with --shard')
  return {
    ...(values.watch ? {watch: true} : {}),
    verbose: Boolean(values.verbose),
    source: (values.source as string | undefined) ?? 'source',
    out: (values.out as string | undefined) ?? 'dist',
    locales: parseLocales(values.locales as string | undefined),
    formats: parseFormats(values.formats as string | undefined),
    jobs: parseJobs(values.jobs as string | undefined),
    strict: Boolean(values.strict),
    baseUrl: parseBaseUrl(values['base-url'] as string | undefined),
    shard: parseShard(values.shard as string | undefined),
    cache: !values['no-cache'],
    cacheKeep: parseCacheKeep(values['cache-keep'] as string | undefined),
    inPlace: Boolean(values['in-place']),
    corrections: !values['no-corrections'],
    keepSourceForms: Boolean(values['keep-source-forms'])
  }
}

/** Parse `--base-url`: an absolute http(s) URL of a folder, given a final `/` (see `base-url.ts`). */
export function parseBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const checked = checkBaseUrl(value)
  if ('problem' in checked) throw new UsageError(`--base-url takes the absolute http(s) URL of the published html/ folder: ${checked.problem}`)
  return checked.url
}

/** `merge` options, or `'help'`. */
export function parseMerge(args: Array<string>): MergeOptions | 'help' {
  const {values, positionals} = parse(args, {out: {type: 'string'}, strict: {type: 'boolean'}}, true)
  if (values.help) return 'help'
  if (positionals.length === 0) throw new UsageError('merge takes the output folders of the shard builds (zhpress merge --out dist shard-1 shard-2 …)')
  return {out: (values.out as string | undefined) ?? 'dist', shards: positionals, strict: Boolean(values.strict)}
}

/** `convert` options, or `'help'`. */
export function parseConvert(args: Array<string>): ConvertCommandOptions | 'help' {
  const {values, positionals} = parse(
    args,
    {
      to: {type: 'string'},
      from: {type: 'string'},
      markdown: {type: 'boolean'},
      glossary: {type: 'string'},
      quotes: {type: 'string'},
      'no-corrections': {type: 'boolean'},
      'keep-source-forms': {type: 'boolean'},
      'no-cache': {type: 'boolean'}
    },
    true
  )
  if (values.help) return 'help'
  const toValue = values.to as string | undefined
  if (!toValue) throw new UsageError('missing --to LOCALE')
  const to = resolveLocale(toValue)
  if (!to) throw new UsageError(`unknown locale \`${toValue}\` in --to; use ${locales.join(', ')}`)
  const fromValue = (values.from as string | undefined) ?? 'auto'
  const from = fromValue === 'auto' ? 'auto' : resolveLocale(fromValue)
  if (!from) throw new UsageError(`unknown locale \`${fromValue}\` in --from; use ${locales.join(', ')} or auto`)
  if (positionals.length > 1) throw new UsageError('convert takes one FILE (or - for standard input)')
  const options: ConvertCommandOptions = {
    to,
    from,
    markdown: Boolean(values.markdown),
    input: positionals[0] ?? '-',
    corrections: !values['no-corrections'],
    keepSourceForms: Boolean(values['keep-source-forms']),
    cache: !values['no-cache']
  }
  if (typeof values.glossary === 'string') options.glossary = values.glossary
  const quotes = values.quotes as string | undefined
  if (quotes !== undefined) {
    if (!(quoteStyles as ReadonlyArray<string>).includes(quotes)) throw new UsageError(`unknown quote style \`${quotes}\` in --quotes; use ${quoteStyles.join(', ')}`)
    options.quotes = quotes as QuoteStyle
  }

  return options
}

/** `check` options, or `'help'`. */
export function parseCheck(args: Array<string>): CheckOptions | 'help' {
  const {values} = parse(
    args,
    {
      source: {type: 'string'},
      strict: {type: 'boolean'},
      format: {type: 'string'},
      verbose: {type: 'boolean'},
      fix: {type: 'boolean'},
      'dry-run': {type: 'boolean'}
    },
    false
  )
  if (values.help) return 'help'
  const format = (values.format as string | undefined) ?? 'text'
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format \`${format}\` in --format; use text or json`)
  if (values['dry-run'] && !values.fix) throw new UsageError('--dry-run goes with --fix')
  return {
    source: (values.source as string | undefined) ?? 'source',
    strict: Boolean(values.strict),
    format,
    verbose: Boolean(values.verbose),
    fix: Boolean(values.fix),
    dryRun: Boolean(values['dry-run'])
  }
}

/** Options of `import-cgroup`. */
export interface ImportCGroupOptions {
  /** The CGroup Lua module. */
  file: string
  /** Glossary file to write; standard output when absent. */
  out?: string
  force: boolean
}

/** `import-cgroup` options, or `'help'`. */
export function parseImportCGroup(args: Array<string>): ImportCGroupOptions | 'help' {
  const {values, positionals} = parse(args, {out: {type: 'string'}, force: {type: 'boolean'}}, true)
  if (values.help) return 'help'
  if (positionals.length !== 1) throw new UsageError('import-cgroup takes one FILE (a CGroup Lua module)')
  const options: ImportCGroupOptions = {file: positionals[0]!, force: Boolean(values.force)}
  if (values.out !== undefined) options.out = values.out as string
  return options
}

/** `import` options, or `'help'`. */
export function parseImport(args: Array<string>): ImportOptions | 'help' {
  const {values, positionals} = parse(
    args,
    {
      out: {type: 'string'},
      slug: {type: 'string'},
      force: {type: 'boolean'},
      report: {type: 'string'},
      'no-typography': {type: 'boolean'},
      chrome: {type: 'string'}
    },
    true
  )
  if (values.help) return 'help'
  if (positionals.length === 0) throw new UsageError('import takes at least one FILE')
  const slug = values.slug as string | undefined
  if (slug !== undefined && positionals.length > 1) throw new UsageError('--slug names one article: import one FILE with it')
  if (slug === '') throw new UsageError('--slug is empty')
  const report = (values.report as string | undefined) ?? 'text'
  if (report !== 'text' && report !== 'json') throw new UsageError(`unknown report format \`${report}\` in --report; use text or json`)
  return {
    files: positionals,
    out: (values.out as string | undefined) ?? 'source',
    slug,
    force: Boolean(values.force),
    report,
    typography: !values['no-typography'],
    chrome: values.chrome as string | undefined
  }
}
