/**
 * `check`: every diagnostic a build would give; writes nothing.
 */
import {formatReport, exitCode, reportEntries} from '../report.ts'
import type {Io} from '../types.ts'
import {parseLocales, type CheckOptions} from './args.ts'
import {loadArticles} from './build.ts'

/**
 * Check the articles of a source folder.
 *
 * @param options Parsed `check` options.
 * @param io Where to print.
 * @returns Exit code: 0 clean or warnings only, 1 errors (or warnings with `--strict`).
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  const articles = await loadArticles({source: options.source, locales: parseLocales(undefined), formats: []}, io)
  const files = articles.map((article) => article.file)
  const warnings = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === false).length, 0)
  const errors = files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === true).length, 0)
  const count = articles.filter((article) => !article.glossary).length
  if (options.format === 'json') {
    io.stdout(JSON.stringify({articles: count, errors, warnings, messages: reportEntries(files)}, null, 2) + '\n')
    return exitCode(files, options.strict)
  }

  for (const line of formatReport(files)) io.stderr(line + '\n')
  io.stderr(`checked ${count} article${count === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
  return exitCode(files, options.strict)
}
