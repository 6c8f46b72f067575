/**
 * `convert`: one text or Markdown file → stdout.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import {cacheRoot} from '../cache.ts'
import {useDictionaryStore} from '../convert/engine.ts'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {decodeArticle, readGlossaryFile} from '../ingest.ts'
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
  const files: Array<VFile> = [file]

  // An explicit --glossary must exist; the implicit one beside the input may not.
  const glossaryPath = options.glossary ?? (options.input === '-' ? undefined : path.join(path.dirname(options.input), 'glossary.yaml'))
  const glossaryFile = glossaryPath === undefined
    ? undefined
    : options.glossary === undefined
      ? await readGlossaryFile(glossaryPath, io.cwd)
      : decodeArticle(await fs.readFile(path.resolve(io.cwd, glossaryPath)), glossaryPath, io.cwd)
  let glossary: Glossary | undefined
  if (glossaryFile) {
    files.push(glossaryFile)
    if (!glossaryFile.messages.some((message) => message.fatal)) glossary = parseGlossary(glossaryFile)
  }

  if (!files.some((each) => each.messages.some((message) => message.fatal))) {
    useDictionaryStore(options.cache ? path.join(cacheRoot(io.cwd, io.env), 'dictionaries') : undefined)
    const {convertMarkdown, convertText} = await import('../conversion.ts')
    const convert = options.markdown ? convertMarkdown : convertText
    const {value} = convert(file, {
      to: options.to,
      from: options.from,
      ...(options.quotes ? {quotes: options.quotes} : {}),
      ...(glossary ? {glossary} : {}),
      corrections: options.corrections,
      keepSourceForms: options.keepSourceForms
    })
    if (value !== undefined) io.stdout(value)
  }

  // Info (the detected locale) stays quiet here: stdout is the product.
  for (const line of formatReport(files, {quiet: true})) io.stderr(line + '\n')
  return exitCode(files)
}
