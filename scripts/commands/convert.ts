/**
 * `convert`: one text or Markdown file → stdout.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {decodeArticle, readGlossaryFile} from '../ingest.ts'
import {applyEdits} from '../render-markdown.ts'
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
    if (options.markdown) {
      // The build's article path, leniently: no front matter needed, one locale, Markdown only.
      const {processArticle} = await import('../article.ts')
      const built = processArticle(file, {
        locales: [options.to],
        formats: ['md'],
        lenient: true,
        ...(options.from === 'auto' ? {} : {sourceLocale: options.from}),
        ...(options.quotes ? {quotes: options.quotes} : {}),
        ...(glossary ? {glossary} : {}),
        corrections: options.corrections,
        keepSourceForms: options.keepSourceForms
      })
      if (built) io.stdout(built.outputs[0]!.markdown)
    } else {
      const {convertPlain} = await import('../convert/index.ts')
      const {reportReview} = await import('../convert/review.ts')
      const {detectScript} = await import('../convert/detect.ts')
      try {
        const text = String(file.value)
        file.data.sourceLocale = options.from === 'auto' ? detectScript(text).locale : options.from
        if (options.quotes) file.data.quotes = options.quotes
        if (!options.corrections) file.data.corrections = false
        if (options.keepSourceForms) file.data.keepSourceForms = true
        const result = convertPlain(file, glossary ? {to: options.to, glossary} : {to: options.to})
        io.stdout(applyEdits(text, result.edits))
        reportReview(file, result.review)
      } catch (error) {
        if (!(error instanceof VFileMessage)) throw error
      }
    }
  }

  // Info (the detected locale) stays quiet here: stdout is the product.
  for (const line of formatReport(files, {quiet: true})) io.stderr(line + '\n')
  return exitCode(files)
}
