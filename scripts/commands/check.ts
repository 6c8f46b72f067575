/**
 * `check`: every diagnostic a build would give; renders and writes nothing.
 * Runs on the build's article path and worker pool, with no output format:
 * each article is parsed and converted into every locale (for the review
 * and rule diagnostics), and nothing of it is kept but its messages.
 */
import {VFile} from 'vfile'
import {readSettings} from '../ingest.ts'
import {formatDiagnostics, exitCode, reportEntries} from '../report.ts'
import type {Io} from '../types.ts'
import {parseLocales, type CheckOptions} from './args.ts'
import {loadGlossary, noArticles, runTasks, workerCount} from './build.ts'
import {checkSite, scanSite} from './site-tree.ts'
import {restoreMessages, type ArticleTask} from './build-task.ts'

/**
 * Check the articles of a source folder.
 *
 * @param options Parsed `check` options.
 * @param io Where to print.
 * @returns Exit code: 0 clean or warnings only, 1 errors (or warnings with `--strict`).
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  const {file: settingsFile, settings} = await readSettings(options.source, io.cwd)
  const {names, site} = await scanSite(options.source, io.cwd, settings)
  const {file: glossaryFile, glossary} = await loadGlossary(options.source, io)
  const files: Array<VFile> = [settingsFile, glossaryFile].filter((file) => file !== undefined)
  const articleOptions = {locales: parseLocales(undefined), formats: [], ...(glossary ? {glossary} : {}), site, defaultLocale: settings.defaultLocale}
  const tasks = names.map((name): ArticleTask => ({name, cwd: io.cwd, options: articleOptions}))
  const results = await runTasks(tasks, workerCount(undefined, io), () => {})
  const articles = results.map((result) => {
    const file = new VFile({path: result.name, cwd: io.cwd})
    restoreMessages(file, result.messages)
    return file
  })
  // The checks of a full build (all three formats), so check reports what build reports.
  checkSite(
    results.map((result, index) => ({file: articles[index]!, built: result.built})),
    site,
    ['md', 'json', 'html']
  )
  files.push(...articles)

  if (names.length === 0) files.push(await noArticles(options, io))

  const warnings = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === false).length, 0)
  const errors = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === true).length, 0)
  const count = names.length
  if (options.format === 'json') {
    io.stdout(JSON.stringify({articles: count, errors, warnings, messages: reportEntries(files)}, null, 2) + '\n')
    return exitCode(files, options.strict)
  }

  for (const line of formatDiagnostics(files, {verbose: options.verbose})) io.stderr(line + '\n')
  io.stderr(`checked ${count} article${count === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
  if (options.fix) {
    const {fixSources} = await import('./fix.ts')
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
