/**
 * `check`: every diagnostic a build would give; renders and writes nothing.
 * Runs on the build's article path and worker pool, with no output format:
 * each article is parsed and converted into every locale (for the review
 * and rule diagnostics), and nothing of it is kept but its messages.
 */
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {cacheRoot} from '../cache.ts'
import {readSettings} from '../ingest.ts'
import {locales} from '../locales.ts'
import {countBrokenLinks, formatDiagnostics, exitCode, reportEntries} from '../report.ts'
import type {Io} from '../types.ts'
import type {CheckOptions} from './args.ts'
import {loadGlossary, noArticles, runTasks, workerCount} from './build.ts'
import {checkSite as checkTree, scanSite} from './site-tree.ts'
import {restoreMessages, type ArticleTask} from './build-task.ts'

/** Options of {@link checkSite}. */
export interface CheckSiteOptions {
  /** Source folder (default: `source`). */
  source?: string
  /** Folder the paths are relative to (default: the working folder). */
  cwd?: string
  /** Worker threads (default: the available cores). */
  jobs?: number
  /** Cache root whose `dictionaries/` keeps compiled dictionaries (default: none, nothing written). */
  cacheDir?: string
}

/** What {@link checkSite} found. */
export interface CheckSiteResult {
  /** Every file with diagnostics (settings, glossary, articles). */
  files: Array<VFile>
  /** Articles checked. */
  articles: number
}

/**
 * Every diagnostic a build of the source folder would give, without
 * rendering or writing anything.
 *
 * @param options Source folder.
 * @returns The files with their messages.
 */
export async function checkSite(options: CheckSiteOptions = {}): Promise<CheckSiteResult> {
  const cwd = path.resolve(options.cwd ?? '.')
  const source = options.source ?? 'source'
  const {file: settingsFile, settings} = await readSettings(source, cwd)
  const {names, site, notes} = await scanSite(source, cwd, settings)
  const {file: glossaryFile, glossary} = await loadGlossary(source, {cwd})
  const files: Array<VFile> = [settingsFile, glossaryFile, ...notes].filter((file) => file !== undefined)
  const dictionaries = options.cacheDir ? path.resolve(cwd, options.cacheDir, 'dictionaries') : undefined
  const articleOptions = {locales: [...locales], formats: [], ...(glossary ? {glossary} : {}), site, defaultLocale: settings.defaultLocale}
  const tasks = names.map((name): ArticleTask => ({name, cwd, options: articleOptions, ...(dictionaries ? {dictionaries} : {})}))
  const results = await runTasks(tasks, options.jobs ?? availableParallelism(), () => {})
  const articles = results.map((result) => {
    const file = new VFile({path: result.name, cwd})
    restoreMessages(file, result.messages)
    return file
  })
  // The checks of a full build (all three formats), so check reports what build reports.
  checkTree(
    results.map((result, index) => ({file: articles[index]!, built: result.built})),
    site,
    ['md', 'json', 'html']
  )
  files.push(...articles)
  if (names.length === 0) files.push(await noArticles({source}, {cwd}))
  return {files, articles: names.length}
}

/**
 * The `check` command: {@link checkSite}, printed as lines or JSON.
 *
 * @param options Parsed `check` options.
 * @param io Where to print.
 * @returns Exit code: 0 clean or warnings only, 1 errors (or warnings with `--strict`).
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  const {files, articles: count} = await checkSite({source: options.source, cwd: io.cwd, cacheDir: cacheRoot(io.cwd, io.env)})
  const warnings = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === false).length, 0)
  const errors = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === true).length, 0)
  if (options.format === 'json') {
    // `check` renders no page: links zhpress would break are found by `build` (null here).
    const brokenLinks = {source: countBrokenLinks(files).source, zhpress: null}
    io.stdout(JSON.stringify({articles: count, errors, warnings, brokenLinks, messages: reportEntries(files)}, null, 2) + '\n')
    return exitCode(files, options.strict)
  }

  for (const line of formatDiagnostics(files, {verbose: options.verbose})) io.stderr(line + '\n')
  io.stderr(`checked ${count} article${count === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
  if (options.fix) {
    const {fixSources} = await import('./fix.ts')
    const {settings} = await readSettings(options.source, io.cwd)
    const {names} = await scanSite(options.source, io.cwd, settings)
    const {glossary} = await loadGlossary(options.source, {cwd: io.cwd})
    const fixed = await fixSources(names, glossary, options.dryRun, io)
    for (const {name, characters, terms} of fixed) {
      const list = [...terms].map(([term, times]) => (times > 1 ? `${term} ×${times}` : term)).join(', ')
      io.stderr(`${options.dryRun ? 'would fix' : 'fixed'} ${name}: ${characters} character${characters === 1 ? '' : 's'} (${list})\n`)
    }

    const total = fixed.reduce((sum, file) => sum + file.characters, 0)
    io.stderr(`${options.dryRun ? 'would fix' : 'fixed'} ${total} character${total === 1 ? '' : 's'} in ${fixed.length} file${fixed.length === 1 ? '' : 's'}\n`)
  }

  return exitCode(files, options.strict)
}
