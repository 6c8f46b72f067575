/**
 * `import`: scraped articles → clean source articles, with a report of every
 * change.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {chromeFile, compileChrome} from '../clean/chrome-data.ts'
import {cleanArticle} from '../clean/index.ts'
import {report} from '../diagnostics.ts'
import {readImport, readYamlData} from '../ingest.ts'
import {exitCode, formatReport, formatRuleCounts, reportEntries} from '../report.ts'
import type {Io} from '../types.ts'
import type {ImportOptions} from './args.ts'

interface Outcome {
  file: VFile
  /** Path of the written article, relative to the working folder. */
  output?: string
}

/**
 * Import scraped articles.
 *
 * @param options Parsed `import` options.
 * @param io Where to print.
 * @returns Exit code: 0 written (warnings allowed), 1 an input could not be imported.
 */
export async function importArticles(options: ImportOptions, io: Io): Promise<number> {
  const chromePath = options.chrome ? path.resolve(io.cwd, options.chrome) : chromeFile
  const loaded = await readYamlData(chromePath)
  if ('file' in loaded) {
    for (const line of formatReport([loaded.file])) io.stderr(line + '\n')
    return 1
  }

  const compiled = compileChrome(loaded.data)
  if ('error' in compiled) {
    const file = new VFile({path: options.chrome ?? path.relative(io.cwd, chromePath)})
    report(file, 'broken-chrome-file', {problem: compiled.error}, {place: {line: 1, column: 1}})
    for (const line of formatReport([file])) io.stderr(line + '\n')
    return 1
  }

  const outcomes: Array<Outcome> = []
  for (const input of options.files) {
    const file = await readImport(input, io.cwd)
    const outcome: Outcome = {file}
    outcomes.push(outcome)
    if (file.messages.some((message) => message.fatal)) continue
    const result = cleanArticle(file, {chrome: compiled.chrome, typography: options.typography, slug: options.slug})
    if (!result) continue
    const output = path.join(options.out, result.slug + '.md')
    await fs.mkdir(path.resolve(io.cwd, options.out), {recursive: true})
    try {
      await fs.writeFile(path.resolve(io.cwd, output), result.markdown, {flag: options.force ? 'w' : 'wx'})
      outcome.output = output
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      report(file, 'file-exists', {path: output}, {place: {line: 1, column: 1}})
    }
  }

  const files = outcomes.map((outcome) => outcome.file)
  if (options.report === 'json') {
    const report = outcomes.map((outcome) => ({
      input: outcome.file.path,
      output: outcome.output ?? null,
      encoding: outcome.file.data.encoding ?? null,
      messages: reportEntries([outcome.file])
    }))
    io.stdout(JSON.stringify({files: report}, null, 2) + '\n')
  } else {
    for (const line of formatReport(files)) io.stderr(line + '\n')
    for (const outcome of outcomes) {
      const counts = formatRuleCounts(outcome.file)
      const result = outcome.output ? `→ ${outcome.output}` : 'not imported'
      io.stderr(`${outcome.file.path} ${result}${counts ? ` (${counts})` : ''}\n`)
    }
  }

  return exitCode(files)
}
