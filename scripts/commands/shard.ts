/**
 * Scaling out: `build --shard K/N` publishes a share of the articles plus a
 * `shard.json` of what the site-level outputs need; `merge` combines the
 * shard folders into the output a single full build gives, byte for byte.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {report} from '../diagnostics.ts'
import type {Locale} from '../locales.ts'
import type {SiteIdentity} from '../site-identity.ts'
import type {IndexEntry} from '../site-index.ts'
import {formatJson} from '../render-json.ts'
import {formatDiagnostics, formatReport, reportEntries, type ReportEntry} from '../report.ts'
import type {AnchorLink} from '../links.ts'
import type {Format, Io} from '../types.ts'
import {versions} from '../versions.ts'
import {
  checkOutput,
  commitStaging,
  discardStaging,
  fileNameKey,
  hasMarker,
  openStaging,
  outputMarker,
  sha256,
  stageCopy,
  stageFile,
  type Manifest,
  type ManifestEntry,
  type OpenOutput
} from '../write.ts'
import {UsageError, type MergeOptions, type Shard} from './args.ts'
import {isShardFile, readShard, type CheckedShard} from './shard-check.ts'
import {projectFingerprint} from '../cache.ts'
import {stageSiteFiles, type SiteInput} from './site.ts'

export const shardVersion = 3

/** `shard.json`: what a shard build leaves for `merge`. */
export interface ShardInfo {
  schemaVersion: typeof shardVersion
  shard: Shard
  generator: typeof versions
  /** {@link sourceFingerprint} of the source folder: every shard must come from the same one. */
  source: string
  locales: Array<Locale>
  formats: Array<Format>
  /** `--base-url` of the shard build (null without one). */
  baseUrl: string | null
  /** Page path of the list of articles (`index`, or `articles` beside a home page of the source's). */
  listPage?: string
  /** The site's name and description per locale (zhpress.yaml). */
  identity?: Partial<Record<Locale, SiteIdentity>>
  /** Path and slug of every article of the shard. */
  articles: Array<{name: string; slug: string}>
  /** Index entries of the shard's articles, one per locale. */
  index: Array<IndexEntry & {locale: Locale; sourceLocale: Locale}>
  report: Array<ReportEntry>
  /**
   * For the link check across shards: the heading ids of the shard's
   * articles, and its links into headings of articles of other shards
   * (each shard checks only its own), with the article that holds them.
   */
  links: ShardLinks
}

/** Heading ids and cross-shard anchor links of a shard (see {@link ShardInfo}). */
export interface ShardLinks {
  ids: Record<string, Array<string>>
  anchors: Array<AnchorLink & {file: string}>
}

/**
 * Write `shard.json` of a shard build.
 *
 * @param staging Staging folder of the shard build.
 * @param site What the shard's articles left behind.
 * @returns Manifest entry of the file written.
 */
export async function stageShard(
  staging: string,
  site: SiteInput & {shard: Shard; source: string; articles: ShardInfo['articles']; links: ShardLinks}
): Promise<Array<ManifestEntry>> {
  const info: ShardInfo = {
    schemaVersion: shardVersion,
    shard: site.shard,
    generator: versions,
    source: site.source,
    locales: [...site.locales],
    formats: [...site.formats],
    baseUrl: site.baseUrl ?? null,
    ...(site.listPage ? {listPage: site.listPage} : {}),
    ...(site.identity ? {identity: site.identity} : {}),
    articles: site.articles,
    index: [...site.index],
    report: [...site.report],
    links: site.links
  }
  return [await stageFile(staging, {path: 'shard.json', content: formatJson(info)})]
}

/** Options of {@link mergeShards}. Paths are relative to `cwd`. */
export interface MergeShardsOptions {
  /** Output folders of `build --shard K/N`, one per K. */
  shards: Array<string>
  /** Output folder (default: `dist`). */
  out?: string
  /** Folder the paths are relative to (default: the working folder). */
  cwd?: string
  /** Warnings in the shards fail the merge. */
  strict?: boolean
}

/** What {@link mergeShards} did. */
export interface MergeShardsResult {
  /** Whether the output folder was replaced by the merged site. */
  ok: boolean
  /** Files with diagnostics (duplicate slugs across shards). */
  files: Array<VFile>
  /** Why the shards do not make one site, when they do not. */
  refused?: string
  /** The published manifest, when `ok`. */
  manifest?: Manifest
  /** Articles in the merged site. */
  articles: number
}

/**
 * Merge the output folders of shard builds into one output folder, the
 * output a single full build gives. Prints nothing; a bad output folder
 * or shard folder throws.
 *
 * @param options Shard folders and output folder.
 * @returns Whether it published, and why not.
 */
export async function mergeShards(options: MergeShardsOptions): Promise<MergeShardsResult> {
  const cwd = path.resolve(options.cwd ?? '.')
  const out = options.out ?? 'dist'
  const refuse = (reason: string): MergeShardsResult => ({ok: false, files: [], refused: reason, articles: 0})
  const refuseAfter = async (output: OpenOutput, reason: string): Promise<MergeShardsResult> => {
    await discardStaging(output)
    return refuse(reason)
  }

  const outDir = path.resolve(cwd, out)
  const keep = options.shards.map((name) => ({folder: path.resolve(cwd, name), label: `the shard folder \`${name}\``}))
  const refusal = await checkOutput(outDir, {name: out, cwd, keep})
  if (refusal) throw new UsageError(refusal)
  for (const {folder, label} of keep) {
    const stats = await fs.lstat(folder).catch(() => undefined)
    if (!stats?.isDirectory() || !(await hasMarker(folder))) {
      throw new UsageError(`${label} is not an output folder of \`zhpress build --shard K/N\` (${stats?.isSymbolicLink() ? 'a symbolic link; give the real folder' : `no ${outputMarker}`})`)
    }
  }

  const shards: Array<CheckedShard> = []
  for (const [position, name] of options.shards.entries()) {
    const shard = await readShard(keep[position]!.folder, name)
    if ('reason' in shard) return refuse(shard.reason)
    shards.push(shard)
  }

  const [first] = shards
  const count = first!.info.shard.count
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  for (const [position, {info}] of shards.entries()) {
    const name = options.shards[position]
    if (info.shard.count !== count) return refuse(`${name} is shard ${info.shard.index}/${info.shard.count}, but ${options.shards[0]} is one of ${count}`)
    if (!same(info.locales, first!.info.locales) || !same(info.formats, first!.info.formats)) {
      return refuse(`${name} was built with other --locales or --formats than ${options.shards[0]}; build every shard with the same options`)
    }

    if (info.source !== first!.info.source) {
      return refuse(`${name} was built from another source folder (or other sources) than ${options.shards[0]}; build every shard from the same sources`)
    }

    if (info.baseUrl !== first!.info.baseUrl) return refuse(`${name} was built with another --base-url than ${options.shards[0]}; build every shard with the same options`)
    if (!same(info.generator, versions)) return refuse(`${name} was built by another version of zhpress or opencc-js; build every shard with this one`)
  }

  const indexes = shards.map(({info}) => info.shard.index).sort((a, b) => a - b)
  const missing = Array.from({length: count}, (_, index) => index + 1).filter((index) => !indexes.includes(index))
  if (missing.length > 0 || indexes.length !== count) {
    return refuse(`merge needs each of the ${count} shards once; ${missing.length > 0 ? `missing ${missing.map((index) => `${index}/${count}`).join(', ')}` : 'some shard is given twice'}`)
  }

  const duplicates = duplicateSlugs(shards)
  if (duplicates.length > 0) return {ok: false, files: duplicates, articles: 0}
  // Each shard checked the links into its own articles' headings; the rest are checked here, as a full build does.
  const linkFiles = crossShardAnchors(shards)
  const report = [...shards.flatMap(({info}) => info.report), ...reportEntries(linkFiles)].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  )

  if (options.strict && report.some((entry) => entry.severity !== 'info')) {
    return refuse('the shards have warnings and `--strict` is set (see their report.json entries)')
  }

  const output = await openStaging(outDir)
  if ('busy' in output) return refuse(output.busy)
  const {staging} = output
  let manifest: Manifest
  try {
    const entries: Array<ManifestEntry> = []
    // Path → sha256 of what was copied there: an asset two shards' articles share is copied once.
    const copied = new Map<string, string>()
    for (const {folder, manifest} of shards) {
      for (const entry of manifest.outputs) {
        if (!isShardFile(entry)) continue
        if (copied.has(entry.path)) {
          if (entry.article === null && copied.get(entry.path) === entry.sha256) continue
          return await refuseAfter(output, `two shards both hold \`${entry.path}\``)
        }

        copied.set(entry.path, entry.sha256)
        await stageCopy(staging, entry.path, path.join(folder, entry.path))
        entries.push(entry)
      }
    }

    const {locales, formats, baseUrl, listPage, identity} = first!.info
    const siteFiles = await stageSiteFiles(staging, {
      locales,
      formats,
      ...(baseUrl ? {baseUrl} : {}),
      ...(listPage ? {listPage} : {}),
      ...(identity ? {identity} : {}),
      index: shards.flatMap(({info}) => info.index),
      report
    })
    const clash = siteFiles.find((entry) => copied.has(entry.path))
    if (clash) return await refuseAfter(output, `a shard holds \`${clash.path}\`, which merge writes itself`)
    entries.push(...siteFiles)
    const committed = await commitStaging(output, entries)
    manifest = committed.manifest
    await committed.settled
  } catch (error) {
    await discardStaging(output)
    throw error
  }

  const articles = new Set(shards.flatMap(({info}) => info.articles.map((entry) => entry.slug))).size
  return {ok: true, files: linkFiles, manifest, articles}
}

/**
 * Links into headings of articles of other shards whose heading does not
 * exist: `broken-link` warnings, worded and placed as a full build words them.
 */
function crossShardAnchors(shards: ReadonlyArray<{info: ShardInfo}>): Array<VFile> {
  const ids = new Map<string, Set<string>>()
  for (const {info} of shards) for (const [slug, list] of Object.entries(info.links.ids)) ids.set(slug, new Set(list))
  const files = new Map<string, VFile>()
  const anchors = shards.flatMap(({info}) => info.links.anchors).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const anchor of anchors) {
    const target = ids.get(anchor.page)
    if (!target || target.has(anchor.fragment)) continue
    let file = files.get(anchor.file)
    if (!file) {
      file = new VFile({path: anchor.file})
      files.set(anchor.file, file)
    }

    report(
      file,
      'broken-link',
      {url: anchor.url, problem: `the article \`${anchor.page}\` has no heading with the id \`${anchor.fragment}\`; ids come from the source heading text or a \`{#id}\``},
      {place: {line: anchor.line, column: anchor.column}, actual: anchor.href}
    )
  }

  return [...files.values()]
}

/**
 * The `merge` command: {@link mergeShards} and what it says on stderr.
 *
 * @param options Parsed `merge` options.
 * @param io Where to print.
 * @returns Exit code: 0 merged, 1 the shards do not make one site.
 */
export async function merge(options: MergeOptions, io: Io): Promise<number> {
  const result = await mergeShards({...options, cwd: io.cwd})
  if (result.refused) {
    io.stderr(`zhpress merge: ${result.refused}\n`)
    return 1
  }

  for (const line of result.ok ? formatDiagnostics(result.files) : formatReport(result.files)) io.stderr(line + '\n')
  if (!result.ok) {
    io.stderr(`merge failed: ${options.out}/ was left as it was\n`)
    return 1
  }

  const count = options.shards.length
  io.stderr(`merged ${count} shard${count === 1 ? '' : 's'}: ${result.articles} article${result.articles === 1 ? '' : 's'} in ${options.out}/\n`)
  return 0
}

/** Articles of different shards that share a slug, reported as a single build reports them. */
function duplicateSlugs(shards: ReadonlyArray<{info: ShardInfo}>): Array<VFile> {
  const articles = shards.flatMap(({info}) => info.articles).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const owners = new Map<string, {name: string; slug: string}>()
  const files: Array<VFile> = []
  for (const {name, slug} of articles) {
    const key = fileNameKey(slug)
    const other = owners.get(key)
    if (other === undefined) {
      owners.set(key, {name, slug})
      continue
    }

    const file = new VFile({path: name})
    report(file, 'duplicate-slug', {slug, other: other.name, otherSlug: other.slug}, {place: {line: 1, column: 1}})
    files.push(file)
  }

  return files
}

/**
 * Fingerprint of a source folder as a build sees it: every article's path
 * (relative to the folder) and bytes, and the project files beside them
 * (glossary, settings). Shards of one site share it.
 *
 * @param sourceDir The source folder (absolute).
 * @param names Every article of the folder (not only the shard's), relative to `cwd`.
 * @param cwd Working folder.
 */
export async function sourceFingerprint(sourceDir: string, names: ReadonlyArray<string>, cwd: string): Promise<string> {
  const hash = createHash('sha256')
  hash.update(await projectFingerprint(sourceDir))
  for (const name of [...names].sort()) {
    const file = path.resolve(cwd, name)
    hash.update('\0' + path.relative(sourceDir, file).split(path.sep).join('/') + '\0')
    hash.update(sha256(await fs.readFile(file)))
  }

  return hash.digest('hex')
}
