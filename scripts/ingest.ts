/**
 * Bytes → VFile. The only stage besides `write.ts` that touches the disk.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'

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
  const bytes = await fs.readFile(path.resolve(cwd, file))
  return decodeArticle(bytes, file, cwd)
}

/**
 * Decode the bytes of a source article.
 *
 * @param bytes Raw content.
 * @param name Path used in diagnostics.
 * @param cwd Folder the path is relative to.
 * @returns The article; a fatal message is recorded when the bytes are not UTF-8 text.
 */
export function decodeArticle(bytes: Uint8Array, name: string, cwd: string): VFile {
  const file = new VFile({path: name, cwd})
  if (bytes.length === 0) {
    fatal(file, 'empty file; an article starts with a `---` front matter block holding at least `title`', 'empty-file', bytes, 0)
    return file
  }

  // Refused before decoding: a megabyte takes close to a minute to parse and
  // convert into four locales, and its trees take hundreds of megabytes.
  if (bytes.length > maxArticleBytes) {
    fatal(
      file,
      `article too large: ${bytes.length} bytes, the limit is ${maxArticleBytes} (2 MiB); split it into several articles`,
      'too-large',
      bytes,
      0
    )
    return file
  }

  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    fatal(file, `binary content: a NUL byte at byte ${nul}; source articles are UTF-8 Markdown`, 'binary-file', bytes, nul)
    return file
  }

  try {
    file.value = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes)
  } catch {
    const bad = firstInvalidUtf8(bytes)
    fatal(file, `invalid UTF-8 at byte ${bad}; save the file as UTF-8 (zhpress import converts GBK, Big5 and UTF-16)`, 'invalid-utf8', bytes, bad)
  }

  return file
}

function fatal(file: VFile, reason: string, ruleId: string, bytes: Uint8Array, at: number): void {
  // Point at the line and column of the offending byte, counting the valid
  // text before it in UTF-16 units, as vfile-location does for every other message.
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at))
  const lines = before.split('\n')
  const message = file.message(reason, {
    place: {line: lines.length, column: lines.at(-1)!.length + 1},
    ruleId,
    source: 'zhpress'
  })
  message.fatal = true
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
 * The articles of a source folder: every `*.md` file, sorted by name.
 *
 * @param folder Source folder, as given by the user.
 * @param cwd Folder that `folder` is relative to.
 * @returns Paths of the articles, joined to `folder`.
 */
export async function listArticles(folder: string, cwd: string): Promise<Array<string>> {
  const entries = await fs.readdir(path.resolve(cwd, folder), {withFileTypes: true})
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(folder, name))
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
    return await readArticle(file, cwd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
