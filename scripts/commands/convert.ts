/**
 * `convert`: one text or Markdown file → stdout.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {cacheRoot} from '../cache.ts'
import {useDictionaryStore} from '../convert/engine.ts'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {chunkCharacters, cutPoint, decodeArticle, maxArticleBytes, readGlossaryFile, readTextChunks} from '../ingest.ts'
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
  // A big plain text is streamed: read, converted and printed a chunk at a time.
  const streamed = !options.markdown && options.input !== '-' && (await fs.stat(path.resolve(io.cwd, options.input))).size > streamBytes
  const bytes = streamed ? new Uint8Array() : options.input === '-' ? await io.readStdin() : await fs.readFile(path.resolve(io.cwd, options.input))
  const file = streamed ? new VFile({path: options.input, cwd: io.cwd}) : decodeArticle(bytes, options.input === '-' ? '<stdin>' : options.input, io.cwd)
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
    if (options.markdown) {
      const {convertMarkdown} = await import('../conversion.ts')
      const {value} = convertMarkdown(file, {
        to: options.to,
        from: options.from,
        ...(options.quotes ? {quotes: options.quotes} : {}),
        ...(glossary ? {glossary} : {}),
        corrections: options.corrections,
        keepSourceForms: options.keepSourceForms
      })
      if (value !== undefined) io.stdout(value)
    } else {
      await convertPlainText(file, streamed ? readTextChunks(file) : single(String(file.value)), streamed, glossary, options, io)
    }
  }

  // Info (the detected locale) stays quiet here: stdout is the product.
  for (const line of formatReport(files, {quiet: true})) io.stderr(line + '\n')
  return exitCode(files)
}

/** Plain texts larger than this are streamed (the build's article limit: what a build reads whole). */
const streamBytes = maxArticleBytes

/** A whole text as the one chunk of a stream. */
async function* single(text: string): AsyncGenerator<string> {
  yield text
}

/**
 * Convert a plain text chunk by chunk (a big file: see `readTextChunks`),
 * printing each as it is done; messages keep their line and column in the
 * whole file, and the review comes once per term at the end.
 */
async function convertPlainText(file: VFile, chunks: AsyncIterable<string>, streamed: boolean, glossary: Glossary | undefined, options: ConvertCommandOptions, io: Io): Promise<void> {
  const {createPlainConverter} = await import('../convert/plain.ts')
  const {detectScript} = await import('../convert/detect.ts')
  const converter = createPlainConverter({
    to: options.to,
    corrections: options.corrections,
    keepSourceForms: options.keepSourceForms,
    ...(options.quotes ? {quotes: options.quotes} : {}),
    ...(glossary ? {glossary} : {})
  })
  let sourceLocale = options.from === 'auto' ? undefined : options.from
  // Convert one chunk; false once an error stopped the conversion.
  const convertChunk = async (text: string): Promise<boolean> => {
    const chunk = new VFile({path: file.path, cwd: file.cwd, value: text})
    chunk.data.sourceLocale = sourceLocale
    const {line, column} = converter.position()
    const output = await converter.convert(chunk)
    if (output !== undefined) io.stdout(output)
    for (const message of chunk.messages) {
      shiftPlace(message, line, column)
      file.messages.push(message)
    }

    return !chunk.messages.some((message) => message.fatal)
  }

  // The script is detected on the first chunk's worth of a stream (its
  // first chunks are smaller: held until there is that much), else on the
  // whole text.
  const window = streamed ? chunkCharacters : Infinity
  let held: Array<string> = []
  let heldLength = 0
  const detect = () => {
    const text = held.join('')
    return detectScript(text.length >= window ? text.slice(0, cutPoint(text, window)) : text).locale
  }

  for await (const text of chunks) {
    if (sourceLocale === undefined) {
      held.push(text)
      heldLength += text.length
      if (heldLength < window) continue
      sourceLocale = detect()
      for (const each of held) if (!(await convertChunk(each))) return
      held = []
      continue
    }

    if (!(await convertChunk(text))) return
  }

  if (held.length > 0) {
    sourceLocale ??= detect()
    for (const each of held) if (!(await convertChunk(each))) return
  }

  converter.finish(file)
}

/** Move a message of a chunk to its place in the whole file. */
function shiftPlace(message: VFileMessage, line: number, column: number): void {
  const points = message.place && 'start' in message.place ? [message.place.start, message.place.end] : message.place ? [message.place] : []
  for (const point of points) {
    if (point.line === 1) point.column += column
    point.line += line
  }

  if (message.line !== undefined && message.column !== undefined) {
    if (message.line === 1) message.column += column
    message.line += line
  }
}
