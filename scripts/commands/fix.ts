/**
 * `check --fix`: write the lint's standard forms into Traditional sources,
 * as `eslint --fix` and `textlint --fix` do. Only the changed characters
 * change; each file is replaced atomically (written aside, then renamed);
 * `--dry-run` prints the changed lines as a diff and writes nothing.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Glossary} from '../convert/glossary.ts'
import {sourceFixes, type SourceFix} from '../convert/index.ts'
import {readArticle} from '../ingest.ts'
import {parseArticle} from '../parse.ts'
import type {Io} from '../types.ts'

/** What `--fix` did to one file. */
export interface FileFix {
  name: string
  /** Characters replaced. */
  characters: number
  /** `found → fix` and how often. */
  terms: Map<string, number>
}

/**
 * The text of an article with the standard forms written in: one edit per
 * changed character (a word's unchanged characters are not touched).
 *
 * @param text The source text.
 * @param fixes The lint's fixes, in order.
 * @returns The fixed text and how many characters changed.
 */
export function applySourceFixes(text: string, fixes: ReadonlyArray<SourceFix>): {text: string; characters: number} {
  let result = ''
  let cursor = 0
  let characters = 0
  for (const fix of fixes) {
    if (fix.start < cursor || text.slice(fix.start, fix.end) !== fix.found) continue
    const found = [...fix.found]
    const wanted = [...fix.fix]
    if (found.length !== wanted.length) continue
    result += text.slice(cursor, fix.start)
    for (const [index, char] of found.entries()) {
      if (char !== wanted[index]) characters++
      result += wanted[index]
    }

    cursor = fix.end
  }

  return {text: result + text.slice(cursor), characters}
}

/**
 * Fix the Traditional articles among `names`.
 *
 * @param names Article paths (relative to `io.cwd`).
 * @param glossary Project glossary (its terms are not touched).
 * @param dryRun Print a diff instead of writing.
 * @param io Where to print and the working folder.
 * @returns One entry per file that has (or would have) changed.
 */
export async function fixSources(names: ReadonlyArray<string>, glossary: Glossary | undefined, dryRun: boolean, io: Io): Promise<Array<FileFix>> {
  const changed: Array<FileFix> = []
  for (const name of names) {
    const file = await readArticle(name, io.cwd)
    if (file.messages.some((message) => message.fatal)) continue
    let fixes: Array<SourceFix>
    try {
      const tree = parseArticle(file)
      fixes = sourceFixes(tree, file, glossary ? {glossary} : {})
    } catch {
      // An article that cannot be parsed is reported by the check itself.
      continue
    }

    if (fixes.length === 0) continue
    const full = path.resolve(io.cwd, name)
    const raw = await fs.readFile(full, 'utf8')
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : ''
    const before = raw.slice(bom.length)
    // Offsets are into the decoded text: only a file read as it is on disk is fixed.
    if (before !== String(file.value)) continue
    const {text: after, characters} = applySourceFixes(before, fixes)
    if (characters === 0) continue
    const terms = new Map<string, number>()
    for (const fix of fixes) terms.set(`${fix.found} → ${fix.fix}`, (terms.get(`${fix.found} → ${fix.fix}`) ?? 0) + 1)
    changed.push({name, characters, terms})

    if (dryRun) {
      io.stdout(diff(name, before, after))
      continue
    }

    const temporary = `${full}.${process.pid}.zhpress-fix.tmp`
    const {mode} = await fs.stat(full)
    await fs.writeFile(temporary, bom + after, {mode})
    await fs.rename(temporary, full)
  }

  return changed
}

/** A unified diff of two texts of the same lines (only characters changed). */
function diff(name: string, before: string, after: string): string {
  const a = before.split('\n')
  const b = after.split('\n')
  let out = `--- ${name}\n+++ ${name}\n`
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) continue
    out += `@@ -${index + 1} +${index + 1} @@\n-${a[index]}\n+${b[index]}\n`
  }

  return out
}
