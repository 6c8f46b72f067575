/**
 * `convert`: one text or Markdown file → stdout.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFileMessage} from 'vfile-message'
import {convertMarkdown} from '../article.ts'
import {detectScript} from '../convert/detect.ts'
import {getConverter} from '../convert/engine.ts'
import {decodeArticle} from '../ingest.ts'
import {isStackOverflow, parseArticle, reportStackOverflow} from '../parse.ts'
import {exitCode, formatReport} from '../report.ts'
import type {Io} from '../types.ts'
import type {ConvertCommandOptions} from './args.ts'

/**
 * Convert one input and print it.
 *
 * @param options Parsed `convert` options.
 * @param io Where to read standard input and print.
 * @returns Exit code.
 */
export async function convert(options: ConvertCommandOptions, io: Io): Promise<number> {
  const bytes = options.input === '-' ? await io.readStdin() : await fs.readFile(path.resolve(io.cwd, options.input))
  const file = decodeArticle(bytes, options.input === '-' ? '<stdin>' : options.input, io.cwd)

  if (!file.messages.some((message) => message.fatal)) {
    try {
      if (options.markdown) {
        const tree = parseArticle(file, {lenient: true, sourceLocale: options.from === 'auto' ? undefined : options.from})
        io.stdout(convertMarkdown(file, tree, options.to).markdown)
      } else {
        const text = String(file.value)
        const from = options.from === 'auto' ? detectScript(text).locale : options.from
        io.stdout(getConverter(from, options.to).convert(text))
      }
    } catch (error) {
      if (isStackOverflow(error)) reportStackOverflow(file)
      else if (!(error instanceof VFileMessage)) throw error
    }
  }

  // Info (the detected locale) stays quiet here: stdout is the product.
  for (const line of formatReport([file], {quiet: true})) io.stderr(line + '\n')
  return exitCode([file])
}
