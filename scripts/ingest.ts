/**
 * Bytes → VFile. The only stage besides `write.ts` that touches the disk.
 */
import {constants as fsConstants, createReadStream} from 'node:fs'
import fs from 'node:fs/promises'
import {isUtf8, transcode} from 'node:buffer'
import path from 'node:path'
import {VFile} from 'vfile'
import {detectScript} from './convert/detect.ts'
import {report, type ErrorRuleId, type RuleParams} from './diagnostics.ts'
import {commonShare} from './hanzi.ts'
import {chardet, iconv, minimatch, yaml} from './lazy.ts'
import {defaultSettings, parseSettings, settingsFileName, type Settings} from './settings.ts'

/** Largest source article accepted, in bytes (2 MiB). */
export const maxArticleBytes = 2 * 1024 * 1024

/**
 * Read a source article as UTF-8 text.
 *
 * Problems are reported on the returned file; a file that cannot be read as
 * text gets a fatal message and an empty value.
 *
 * @param file Path of the article, as it should appear in diagnostics.
 * @param cwd Folder that `file` is relative to.
 * @returns The article, with its text as `value` (BOM removed).
 */
export async function readArticle(file: string, cwd: string): Promise<VFile> {
  const read = await readArticleBytes(file, cwd)
  return 'refused' in read ? read.refused : decodeArticle(read.bytes, file, cwd, {maxBytes: maxArticleBytes})
}

/**
 * Read the bytes of an input with the limits of every input (see
 * {@link readArticle}), before decoding.
 *
 * @param file Path of the input, as it should appear in diagnostics.
 * @param cwd Folder that `file` is relative to.
 * @returns Its bytes, or a file with the error that refused it.
 */
export async function readArticleBytes(file: string, cwd: string): Promise<{bytes: Uint8Array} | {refused: VFile}> {
  let read: Awaited<ReturnType<typeof readLimited>>
  try {
    read = await readLimited(path.resolve(cwd, file))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // Listed, then gone (removed during the build), or a link to nothing.
    read = {problem: 'does not exist (removed while zhpress ran, or a link to nothing)'}
  }

  if ('bytes' in read) return read
  const refused = new VFile({path: file, cwd})
  if ('problem' in read) report(refused, 'unreadable-file', {problem: read.problem}, {place: {line: 1, column: 1}})
  else report(refused, 'too-large', {bytes: read.size, limit: maxArticleBytes}, {place: {line: 1, column: 1}})
  return {refused}
}

/**
 * Read a file the way every input is read: a regular file only (through a
 * link, what it points to must be one: never a device such as /dev/zero or a
 * FIFO), its size checked with fstat before reading, and never more than
 * the limit read even if it grows meanwhile.
 *
 * @param file Absolute path.
 * @returns Its bytes; `size` when it is over {@link maxArticleBytes}; `problem`
 *   when it is not a regular file or cannot be read (vanished, no permission).
 *   A missing file throws ENOENT, for callers to whom absence is no error.
 */
async function readLimited(file: string): Promise<{bytes: Uint8Array} | {size: number} | {problem: string}> {
  let handle: fs.FileHandle
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw error
    return {problem: `cannot be read (${code ?? (error as Error).message})`}
  }

  try {
    const stats = await handle.stat()
    if (!stats.isFile()) return {problem: 'not a regular file (a folder, device, FIFO or socket); give a file'}
    if (stats.size > maxArticleBytes) return {size: stats.size}
    const buffer = Buffer.alloc(Math.min(stats.size, maxArticleBytes) + 1)
    let length = 0
    for (;;) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) break
    }

    if (length > maxArticleBytes) return {size: length}
    // Grown past the size fstat saw: read what is there, up to the limit.
    if (length === buffer.length) {
      const more = Buffer.alloc(maxArticleBytes + 1 - length)
      const {bytesRead} = await handle.read(more, 0, more.length, length)
      if (length + bytesRead > maxArticleBytes) return {size: length + bytesRead}
      return {bytes: Buffer.concat([buffer.subarray(0, length), more.subarray(0, bytesRead)])}
    }

    return {bytes: buffer.subarray(0, length)}
  } catch (error) {
    return {problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`}
  } finally {
    await handle.close()
  }
}

/**
 * Read the bytes of a source article with the limits of every input.
 *
 * @param file Path of the article, as it should appear in diagnostics.
 * @param cwd Folder that `file` is relative to.
 * @returns Its bytes, or the article with the error that refused it.
 */
export async function readSource(file: string, cwd: string): Promise<Uint8Array | VFile> {
  const read = await readArticleBytes(file, cwd)
  return 'refused' in read ? read.refused : read.bytes
}

/**
 * Decode the bytes of a source article.
 *
 * @param bytes Raw content.
 * @param name Path used in diagnostics.
 * @param cwd Folder the path is relative to.
 * @param options `maxBytes`: refuse more (articles of a build; `convert` takes any size).
 * @returns The article; a fatal message is recorded when the bytes are not UTF-8 text.
 */
export function decodeArticle(bytes: Uint8Array, name: string, cwd: string, options: {maxBytes?: number} = {}): VFile {
  const file = new VFile({path: name, cwd})
  // Refused before decoding: a megabyte takes close to a minute to parse and
  // convert into four locales, and its trees take hundreds of megabytes.
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    refuse(file, bytes, 0, 'too-large', {bytes: bytes.length, limit: options.maxBytes})
    return file
  }

  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    refuse(file, bytes, nul, 'binary-file', {found: `a NUL byte at byte ${nul}`, expected: 'source articles are UTF-8 Markdown'})
    return file
  }

  try {
    file.value = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes)
  } catch {
    const bad = firstInvalidUtf8(bytes)
    refuse(file, bytes, bad, 'invalid-utf8', {byte: bad})
    return file
  }

  // A stub of a documentation tree (nothing, or only white space) is
  // published as an empty page, as site generators do, with a warning.
  if (!/\S/.test(String(file.value))) report(file, 'empty-file', {}, {place: {line: 1, column: 1}})
  return file
}

function refuse<Id extends ErrorRuleId>(file: VFile, bytes: Uint8Array, at: number, ruleId: Id, params: RuleParams<Id>): void {
  // Point at the line and column of the offending byte, counting the valid
  // text before it in UTF-16 units, as vfile-location does for every other message.
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at))
  const lines = before.split('\n')
  report(file, ruleId, params, {place: {line: lines.length, column: lines.at(-1)!.length + 1}})
  file.value = ''
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index]!
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0
    if (length === 0) return index
    try {
      new TextDecoder('utf-8', {fatal: true}).decode(bytes.subarray(index, index + length))
    } catch {
      return index
    }

    index += length
  }

  return index
}

/**
 * A streaming UTF-8 decoder that drops a leading BOM: each call decodes the
 * bytes so far up to the last complete character (the rest waits for the
 * next call; `undefined` ends the stream) and returns `undefined` on invalid
 * UTF-8; `held` is the number of bytes held back. Validation (`isUtf8`) and ICU's transcoder are several times faster
 * than a fatal `TextDecoder` on large texts; the `TextDecoder` serves where
 * Node has no ICU.
 */
function createUtf8Decoder(): {decode: (bytes: Uint8Array | undefined) => string | undefined; held: () => number} {
  const fallback = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})
  let tail: Uint8Array | undefined
  let first = true
  const decode = (bytes: Uint8Array | undefined): string | undefined => {
    if (bytes === undefined) return tail === undefined || tail.length === 0 ? '' : undefined
    const all = tail && tail.length > 0 ? Buffer.concat([tail, bytes]) : bytes
    // Hold back a character cut by the end of the read.
    let end = all.length
    for (let back = 1; back <= 3 && back <= all.length; back++) {
      const byte = all[all.length - back]!
      if (byte < 0x80) break
      if (byte >= 0xc0) {
        const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
        if (length > back) end = all.length - back
        break
      }
    }

    tail = all.subarray(end)
    const complete = all.subarray(0, end)
    if (!isUtf8(complete)) return undefined
    let text: string
    try {
      text = transcode(Buffer.from(complete.buffer, complete.byteOffset, complete.length), 'utf8', 'ucs2').toString('utf16le')
    } catch {
      try {
        text = fallback.decode(complete, {stream: true})
      } catch {
        return undefined
      }
    }

    if (first && text.length > 0) {
      first = false
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }

    return text
  }

  return {decode, held: () => tail?.length ?? 0}
}

/** How `import` read a file. */
export interface Encoding {
  /** Encoding name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030` or `Big5`. */
  name: string
  /** Whether the file started with a byte order mark. */
  bom: boolean
  /** Why this encoding: the evidence, for the report. */
  evidence: string
}

declare module 'vfile' {
  interface DataMap {
    encoding: Encoding
  }
}

/** Encodings chardet may name that `import` decodes, with their iconv-lite codec. */
const legacy: Record<string, string> = {GB18030: 'gb18030', Big5: 'big5'}

/**
 * Read a scraped article for `import`, in any encoding it accepts.
 *
 * @param file Path of the input, as it should appear in diagnostics.
 * @param cwd Folder that `file` is relative to.
 * @returns The text as `value`, the encoding in `data.encoding`; a fatal message when it cannot be read.
 */
export async function readImport(file: string, cwd: string): Promise<VFile> {
  const bytes = await fs.readFile(path.resolve(cwd, file))
  return decodeImport(bytes, file, cwd)
}

/**
 * Decode the bytes of a scraped article: UTF-8 (with or without BOM), UTF-16
 * with BOM, GB18030/GBK or Big5. The encoding found is reported as info.
 *
 * @param bytes Raw content.
 * @param name Path used in diagnostics.
 * @param cwd Folder the path is relative to.
 * @returns The file; a fatal `binary-file` or `undecodable-file` message when the bytes are not text.
 */
export function decodeImport(bytes: Uint8Array, name: string, cwd: string): VFile {
  const file = new VFile({path: name, cwd})
  const decoded = detectEncoding(bytes)
  if ('error' in decoded) {
    if (decoded.error === 'binary-file') report(file, 'binary-file', decoded.params, {place: {line: 1, column: 1}})
    else report(file, 'undecodable-file', decoded.params, {place: {line: 1, column: 1}})
    file.value = ''
    return file
  }

  file.value = decoded.text
  file.data.encoding = decoded.encoding
  report(
    file,
    'detected-encoding',
    {encoding: `${decoded.encoding.name}${decoded.encoding.bom ? ' with BOM' : ''}`, evidence: decoded.encoding.evidence},
    {place: {line: 1, column: 1}}
  )
  return file
}

type Detected =
  | {text: string; encoding: Encoding}
  | {error: 'binary-file'; params: RuleParams<'binary-file'>}
  | {error: 'undecodable-file'; params: RuleParams<'undecodable-file'>}

function detectEncoding(bytes: Uint8Array): Detected {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer[0] === 0xff && buffer[1] === 0xfe && !(buffer[2] === 0 && buffer[3] === 0)) return utf16(buffer, 'utf-16le')
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return utf16(buffer, 'utf-16be')

  const nul = buffer.indexOf(0)
  if (nul !== -1) {
    return {
      error: 'binary-file',
      params: {found: `a NUL byte at byte ${nul}`, expected: 'import reads text (UTF-8, UTF-16 with a byte order mark, GB18030/GBK or Big5)'}
    }
  }

  const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf
  try {
    const text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bom ? buffer.subarray(3) : buffer)
    return textOrBinary(text, {name: 'UTF-8', bom, evidence: bom ? 'byte order mark' : 'valid UTF-8'})
  } catch {}

  // Not UTF-8: ask chardet, and decode its best guess among the encodings import supports.
  // Short texts give chardet little to go on, so when it is unsure the decoding that
  // looks most like real text wins: common characters, all of one script (a wrong
  // codec mixes Simplified-only and Traditional-only characters).
  const ranking = chardet().analyse(buffer)
  const candidates = Object.keys(legacy)
    .map((name) => {
      const text = iconv().decode(buffer, legacy[name]!)
      const match = ranking.find((item) => item.name === name)
      const script = detectScript(text)
      const consistent = script.simplified + script.traditional === 0 ? 1 : script.confidence
      return {name, text, confidence: match?.confidence ?? 0, common: commonShare(text) + consistent}
    })
    .filter((candidate) => !candidate.text.includes('\uFFFD'))
  if (candidates.length === 0) {
    const guess = ranking[0] ? `; chardet's guess: ${ranking[0].name}` : ''
    return {
      error: 'undecodable-file',
      params: {found: `the bytes are not valid UTF-8, UTF-16 (with a byte order mark), GB18030/GBK or Big5${guess}`}
    }
  }

  candidates.sort((a, b) => b.confidence - a.confidence)
  const sure = candidates[0]!.confidence >= 50 && candidates[0]!.confidence > (candidates[1]?.confidence ?? 0)
  if (!sure) candidates.sort((a, b) => b.common - a.common || b.confidence - a.confidence)
  const best = candidates[0]!
  const evidence = sure
    ? `chardet: ${best.name}, confidence ${best.confidence}`
    : `chardet unsure (${ranking.slice(0, 3).map((item) => `${item.name} ${item.confidence}`).join(', ')}); ${best.name} looks most like real text (common characters, one script)`
  return textOrBinary(best.text, {name: best.name, bom: false, evidence})
}

function utf16(buffer: Buffer, codec: 'utf-16le' | 'utf-16be'): Detected {
  const name = codec.toUpperCase()
  try {
    const text = new TextDecoder(codec, {fatal: true, ignoreBOM: true}).decode(buffer.subarray(2))
    return textOrBinary(text, {name, bom: true, evidence: 'byte order mark'})
  } catch {
    return {error: 'undecodable-file', params: {found: `the file starts with a ${name} byte order mark but is not valid ${name}`}}
  }
}

// Control characters other than tab, line feed, form feed and carriage return mean binary data.
// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/

function textOrBinary(text: string, encoding: Encoding): Detected {
  const match = control.exec(text)
  if (match) {
    return {
      error: 'binary-file',
      params: {found: `control character U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at character ${match.index}`, expected: 'import reads text'}
    }
  }

  return {text, encoding}
}

/**
 * Read the site chrome patterns of `import` (a YAML file an editor extends).
 *
 * @param file Path of the YAML file.
 * @returns The parsed data, or the YAML errors as a fatal message on a file.
 */
export async function readYamlData(file: string): Promise<{data: unknown} | {file: VFile}> {
  const text = await fs.readFile(file, 'utf8')
  const document = yaml().parseDocument(text, {prettyErrors: false, logLevel: 'error'})
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    const vfile = new VFile({path: file, value: text})
    const place = error.linePos ? {line: error.linePos[0].line, column: error.linePos[0].col} : {line: 1, column: 1}
    report(vfile, 'broken-chrome-file', {problem: `the YAML does not parse: ${error.message.split('\n')[0]!}`}, {place})
    return {file: vfile}
  }

  return {data: document.toJS()}
}

/**
 * The articles of a source folder: every `*.md` file, sorted by path.
 *
 * @param folder Source folder, as given by the user.
 * @param cwd Folder that `folder` is relative to.
 * @param ignore Patterns of the `ignore` setting.
 * @returns Paths of the articles, joined to `folder`.
 */
export async function listArticles(folder: string, cwd: string, ignore: ReadonlyArray<string> = []): Promise<Array<string>> {
  const tree = await listSourceTree(folder, cwd, ignore)
  return tree.articles.map((name) => path.join(folder, name))
}

/** What a source folder holds. */
export interface SourceTree {
  /** Markdown files (`*.md`), relative to the folder, `/`-separated, sorted by path. */
  articles: Array<string>
  /**
   * Every other file an article may link to or show (images, PDFs…),
   * relative to the folder, sorted; hidden folders included (GitBook keeps
   * its images in `.gitbook/assets/`), `.git` and `node_modules` not.
   */
  files: Array<string>
  /**
   * VitePress dynamic routes (`[pkg].md`, `[...slug].md`, `packages/[pkg]/index.md`):
   * Markdown files whose pages are made by running JavaScript (`[pkg].paths.js`), skipped.
   */
  dynamic: Array<string>
  /**
   * Symbolic links the walk did not follow, sorted by name: their target is
   * outside the source folder (real paths compared), missing, not a file or
   * folder, or a folder that holds the link (a loop).
   */
  links: Array<SkippedLink>
}

/** A symbolic link of the source tree that was not followed, and why. */
export interface SkippedLink {
  /** The link, relative to the source folder, `/`-separated. */
  name: string
  /** Where it points (its real path), when it points anywhere. */
  target?: string
  problem: 'outside' | 'missing' | 'loop' | 'special'
}

/** A path segment of a VitePress dynamic route: a `[param]` or `[...rest]` in the name. */
const dynamicSegment = /\[[^\]/]+\]/

/** Folders never read, whatever the settings say. */
const skippedFolders = new Set(['node_modules', '.git'])

/**
 * Walk a source folder recursively. Articles in hidden files or folders,
 * in `node_modules/`, or matching an `ignore` pattern are skipped. A
 * symbolic link is followed, under its own name, when its target's real
 * path is inside the source folder's real path (a file, or a folder that
 * does not hold the link: no loops); any other link is listed in `links`,
 * never silently dropped. Order is by path (code units), whatever the file
 * system returns.
 *
 * @param folder Source folder, as given by the user.
 * @param cwd Folder that `folder` is relative to.
 * @param ignore Patterns of the `ignore` setting (see {@link ignoreMatcher}).
 * @returns The articles and the other files.
 */
export async function listSourceTree(folder: string, cwd: string, ignore: ReadonlyArray<string> = []): Promise<SourceTree> {
  const root = path.resolve(cwd, folder)
  const realRoot = await fs.realpath(root)
  const ignored = ignoreMatcher(ignore)
  const tree: SourceTree = {articles: [], files: [], dynamic: [], links: []}
  // `ancestors`: the real paths of the folders being walked, for loops.
  const walk = async (relative: string, hidden: boolean, ancestors: ReadonlyArray<string>): Promise<void> => {
    const entries = await fs.readdir(path.join(root, relative), {withFileTypes: true})
    for (const entry of entries) {
      const name = relative ? `${relative}/${entry.name}` : entry.name
      const isHidden = hidden || entry.name.startsWith('.')
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      let real: string | undefined
      if (entry.isSymbolicLink()) {
        const link = await followLink(path.join(root, name), realRoot, ancestors)
        if ('problem' in link) {
          if (!ignored(name, link.isDirectory) && !(isHidden && !link.isDirectory && entry.name.endsWith('.md'))) {
            tree.links.push(link.target === undefined ? {name, problem: link.problem} : {name, target: link.target, problem: link.problem})
          }

          continue
        }

        ;({isDirectory, isFile, real} = link)
      }

      if (isDirectory) {
        if (skippedFolders.has(entry.name) || ignored(name, true)) continue
        await walk(name, isHidden, [...ancestors, real ?? path.join(ancestors.at(-1)!, entry.name)])
      } else if (isFile && !ignored(name, false)) {
        if (entry.name.endsWith('.md')) {
          if (isHidden) continue
          if (dynamicSegment.test(name)) tree.dynamic.push(name)
          else tree.articles.push(name)
        } else {
          tree.files.push(name)
        }
      }
    }
  }

  await walk('', false, [realRoot])
  tree.articles.sort(byPath)
  tree.files.sort(byPath)
  tree.dynamic.sort(byPath)
  tree.links.sort((a, b) => byPath(a.name, b.name))
  return tree
}

/**
 * Where a symbolic link of the source tree leads, if zhpress may follow it.
 *
 * @param link Absolute path of the link.
 * @param realRoot Real path of the source folder.
 * @param ancestors Real paths of the folders that hold the link.
 * @returns The target's kind and real path, or why it is not followed.
 */
async function followLink(
  link: string,
  realRoot: string,
  ancestors: ReadonlyArray<string>
): Promise<{isDirectory: boolean; isFile: boolean; real: string} | {problem: SkippedLink['problem']; target?: string; isDirectory: boolean}> {
  let real: string
  try {
    real = await fs.realpath(link)
  } catch (error) {
    // Missing, or links that lead to each other (ELOOP).
    const problem = (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : 'missing'
    const target = await fs.readlink(link).catch(() => undefined)
    return target === undefined ? {problem, isDirectory: false} : {problem, target, isDirectory: false}
  }

  const stats = await fs.stat(real).catch(() => undefined)
  const isDirectory = stats?.isDirectory() ?? false
  const inside = real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)
  if (!inside) return {problem: 'outside', target: real, isDirectory}
  if (!stats || (!isDirectory && !stats.isFile())) return {problem: 'special', target: real, isDirectory}
  if (isDirectory && ancestors.some((folder) => folder === real || folder.startsWith(real + path.sep))) return {problem: 'loop', target: real, isDirectory}
  return {isDirectory, isFile: !isDirectory, real}
}

/** Compare `/`-separated paths by code units, the one order of every list zhpress writes. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * A matcher for `ignore` patterns, read as gitignore reads them: a pattern
 * with no `/` but a trailing one matches a file or folder name at any depth
 * (`drafts/`, `*.draft.md`); one with a `/` inside is anchored at the source
 * folder (`guide/old/`, `/notes.md`); a trailing `/` matches folders only;
 * `*`, `**`, `?` and `[…]` are globs (minimatch).
 *
 * @param patterns The patterns.
 * @returns Whether a path (relative to the source folder, `/`-separated) is ignored.
 */
export function ignoreMatcher(patterns: ReadonlyArray<string>): (name: string, isFolder: boolean) => boolean {
  const {Minimatch} = minimatch()
  const matchers = patterns.map((pattern) => {
    const folderOnly = pattern.endsWith('/')
    let body = pattern.replace(/\/+$/, '')
    const anchored = body.startsWith('/') || body.includes('/')
    body = body.replace(/^\/+/, '')
    const glob = new Minimatch(anchored ? body : `**/${body}`, {dot: true})
    return {folderOnly, glob}
  })
  return (name, isFolder) => matchers.some(({folderOnly, glob}) => (isFolder || !folderOnly) && glob.match(name))
}

/**
 * Read the project settings file (`zhpress.yaml`), if there is one.
 *
 * @param folder Source folder.
 * @param cwd Folder that `folder` is relative to.
 * @returns The file (with `broken-settings` errors on it) and the settings; defaults without a file.
 */
export async function readSettings(folder: string, cwd: string): Promise<{file?: VFile; settings: Settings}> {
  const file = await readGlossaryFile(path.join(folder, settingsFileName), cwd)
  if (!file) return {settings: defaultSettings}
  if (file.messages.some((message) => message.fatal)) return {file, settings: defaultSettings}
  const settings = parseSettings(file)
  return {file, settings}
}

/**
 * Read a glossary file (`glossary.yaml`), if there is one.
 *
 * @param file Path of the glossary, as it should appear in diagnostics.
 * @param cwd Folder that `file` is relative to.
 * @returns The decoded file, or `undefined` when it does not exist.
 */
export async function readGlossaryFile(file: string, cwd: string): Promise<VFile | undefined> {
  try {
    await fs.lstat(path.resolve(cwd, file))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  // Read with the limits of an article: regular files only, 2 MiB at most.
  return readArticle(file, cwd)
}

/** Characters of text per chunk when a plain text is streamed (about 1 MB of UTF-8 Chinese). */
export const chunkCharacters = 1 << 18

/**
 * Read a UTF-8 text file in chunks, for `convert`: any size, in bounded
 * memory. Each chunk ends at a paragraph break, else a line break, else a
 * sentence end (`。！？!?`) in its second half, so no phrase straddles two
 * chunks; only a stretch of that many characters with none of them is cut
 * where the chunk is full. The BOM is removed. A NUL byte or invalid UTF-8
 * stop the reading with an error on `file`; an empty file is a warning.
 *
 * @param file The input (its `path` and `cwd` are read); errors are reported on it.
 * @param options `chunk`: characters per chunk (default {@link chunkCharacters}).
 * @returns The chunks, in order.
 */
export async function* readTextChunks(file: VFile, options: {chunk?: number} = {}): AsyncGenerator<string> {
  const size = options.chunk ?? chunkCharacters
  const decoder = createUtf8Decoder()
  // The first chunks are smaller (4 Ki characters, then 4 times more up to
  // the chunk size): the converter's loops run interpreted until V8 has
  // optimized them, which costs less on a short text.
  let next = Math.min(size, 1 << 12)
  const stream = createReadStream(path.resolve(file.cwd, file.path), {highWaterMark: 1 << 20})
  let pending = ''
  let bytesRead = 0
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      const nul = bytes.indexOf(0)
      if (nul !== -1) {
        report(file, 'binary-file', {found: `a NUL byte at byte ${bytesRead + nul}`, expected: 'text files are UTF-8'}, {place: {line: 1, column: 1}})
        return
      }

      const text = decoder.decode(bytes)
      if (text === undefined) {
        report(file, 'invalid-utf8', {byte: bytesRead + firstInvalidUtf8(bytes)}, {place: {line: 1, column: 1}})
        return
      }

      pending += text
      bytesRead += bytes.length
      while (pending.length >= next) {
        const cut = cutPoint(pending, next)
        yield pending.slice(0, cut)
        pending = pending.slice(cut)
        next = Math.min(size, next * 4)
      }
    }

    if (decoder.decode(undefined) === undefined) {
      // A character cut short by the end of the file: where it starts.
      report(file, 'invalid-utf8', {byte: bytesRead - decoder.held()}, {place: {line: 1, column: 1}})
      return
    }

    if (bytesRead === 0) {
      report(file, 'empty-file', {}, {place: {line: 1, column: 1}})
      return
    }

    if (pending !== '') yield pending
  } finally {
    stream.destroy()
  }
}

/**
 * Where to end a chunk of `text` no longer than `size`: after the last
 * paragraph break (an empty line), line break or sentence end of its
 * second half.
 *
 * @param text Pending text, at least `size` characters.
 * @param size Largest chunk.
 * @returns Length of the chunk.
 */
export function cutPoint(text: string, size: number): number {
  const half = size >> 1
  // The last paragraph break (an empty line) in the window's second half
  // (searched there only: a long text may have none).
  const from = Math.max(0, half - 1)
  const paragraph = text.slice(from, size).lastIndexOf('\n\n')
  if (paragraph !== -1) return from + paragraph + 2
  const line = text.lastIndexOf('\n', size - 1)
  if (line + 1 > half) return line + 1
  for (let end = size - 1; end >= half; end--) {
    const code = text.charCodeAt(end)
    // 。！？!?
    if (code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0x21 || code === 0x3f) return end + 1
  }

  // Never split a surrogate pair.
  const code = text.charCodeAt(size - 1)
  return code >= 0xd800 && code <= 0xdbff ? size - 1 : size
}
