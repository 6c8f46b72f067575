/**
 * Diagnostics: vfile messages → text lines and report.json; the exit code.
 * The only place messages are formatted.
 */
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {docsUrl, isRuleId} from './diagnostics.ts'

export interface ReportEntry {
  file: string
  line: number | null
  column: number | null
  severity: 'error' | 'warning' | 'info'
  ruleId: string | null
  message: string
  expected: Array<string> | null
  note: string | null
  /** Where the rule is documented (`README.md#…`), from the rule catalogue. */
  docs: string | null
}

function severity(message: VFileMessage): ReportEntry['severity'] {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

function sorted(files: ReadonlyArray<VFile>): Array<[VFile, VFileMessage]> {
  const pairs: Array<[VFile, VFileMessage]> = []
  for (const file of files) {
    const messages = [...file.messages].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
    )
    for (const message of messages) pairs.push([file, message])
  }

  return pairs
}

/**
 * Format one message the way the CLI prints it:
 * `source/a.md:12:5 warning 干 → 幹 has no phrase match; check it [ambiguous-conversion]`.
 */
export function formatMessage(file: VFile, message: VFileMessage): string {
  const place = message.line ? `:${message.line}:${message.column ?? 1}` : ''
  const rule = message.ruleId ? ` [${message.ruleId}]` : ''
  return escapeTerminal(`${file.path}${place} ${severity(message)} ${message.reason}${rule}`)
}

// C0 (line feed too: one message, one line) and C1 controls, and the bidi
// controls that reorder what a terminal shows (a file name with U+202E).
const terminalControls = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/**
 * Escape what a terminal would obey rather than show: control characters
 * and bidi controls become `\x1B`, `\u202E`.
 *
 * @param line A line of text (a file name, a message).
 * @returns The line, safe to print.
 */
export function escapeTerminal(line: string): string {
  return line.replace(terminalControls, (char) => {
    const code = char.codePointAt(0)!
    return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
  })
}

/**
 * Every message of every file, one line each, sorted by file then position.
 *
 * @param files Files with messages.
 * @param options `quiet` leaves out info messages.
 * @returns Lines, without trailing newlines.
 */
export function formatReport(files: ReadonlyArray<VFile>, options: {quiet?: boolean} = {}): Array<string> {
  return sorted(files)
    .filter(([, message]) => !(options.quiet && severity(message) === 'info'))
    .map(([file, message]) => formatMessage(file, message))
}

/** Messages of one rule printed before the rest are folded into a count (without `--verbose`). */
export const foldLimit = 20

/**
 * The diagnostics of a build or check as a person reads them: every message
 * in file order, but warnings and infos of a rule beyond `limit` folded into
 * one line per rule with their count; then, when there are errors, a closing
 * summary that repeats every error after all the warnings, so the one line
 * to act on is never lost in the middle. Broken links get one line that
 * splits those broken in the source from those zhpress broke (see
 * {@link countBrokenLinks}).
 *
 * @param files Files with messages.
 * @param options `verbose` prints every message; `limit` per rule (default
 *   {@link foldLimit}); `linksChecked`: the published pages' links were checked
 *   (a build with HTML), so the count of links zhpress broke is known.
 * @returns Lines, without trailing newlines.
 */
export function formatDiagnostics(files: ReadonlyArray<VFile>, options: {verbose?: boolean; limit?: number; linksChecked?: boolean} = {}): Array<string> {
  const diagnostics = collectDiagnostics(options)
  for (const file of files) diagnostics.add(file)
  return diagnostics.lines()
}

/** The lines of {@link formatDiagnostics}, made from one file at a time (see {@link collectDiagnostics}). */
export interface Diagnostics {
  /** Take a file's messages (files in report order); the file is not kept. */
  add(file: VFile): void
  /** The lines of every file added, as {@link formatDiagnostics} gives them (`linksChecked` may be given now). */
  lines(late?: {linksChecked?: boolean}): Array<string>
  /** The exit code of every file added (see {@link exitCode}). */
  exitCode(strict?: boolean): 0 | 1
}

/**
 * {@link formatDiagnostics} one file at a time: it keeps the lines it will
 * print and counts the rest, never the files, so a large build's messages
 * can be read back one article at a time.
 *
 * @param options As {@link formatDiagnostics}'s.
 * @returns The collector.
 */
export function collectDiagnostics(options: {verbose?: boolean; limit?: number; linksChecked?: boolean} = {}): Diagnostics {
  const limit = options.verbose ? Number.POSITIVE_INFINITY : (options.limit ?? foldLimit)
  const lines: Array<string> = []
  const errors: Array<string> = []
  const shown = new Map<string, number>()
  const folded = new Map<string, {severity: string; count: number}>()
  const links = {source: 0, zhpress: 0}
  let warnings = false
  return {
    add(file) {
      for (const [, message] of sorted([file])) {
        const level = severity(message)
        if (level === 'error') {
          const line = formatMessage(file, message)
          lines.push(line)
          errors.push(line)
          continue
        }

        if (level === 'warning') warnings = true
        const key = `${level} ${message.ruleId ?? 'other'}`
        const count = shown.get(key) ?? 0
        if (count < limit) {
          shown.set(key, count + 1)
          lines.push(formatMessage(file, message))
        } else {
          const entry = folded.get(key) ?? {severity: level, count: 0}
          entry.count++
          folded.set(key, entry)
        }
      }

      const counts = countBrokenLinks([file])
      links.source += counts.source
      links.zhpress += counts.zhpress
    },
    lines(late = {}) {
      const linksChecked = late.linksChecked ?? options.linksChecked
      const all = [...lines]
      for (const [key, {severity: level, count}] of folded) {
        const rule = key.slice(level.length + 1)
        all.push(`… ${count} more ${level}${count === 1 ? '' : 's'} [${rule}] (${limit} shown; --verbose prints all)`)
      }

      if (links.source > 0 || links.zhpress > 0) {
        all.push(
          `broken links: ${links.source} in the source (their targets are missing from the source tree)` +
            (linksChecked || links.zhpress > 0 ? `, ${links.zhpress} broken by zhpress` : '')
        )
      }

      if (errors.length > 0) all.push(`${errors.length} error${errors.length === 1 ? '' : 's'}:`, ...errors.map((line) => `  ${line}`))
      return all
    },
    exitCode(strict = false) {
      return errors.length > 0 || (strict && warnings) ? 1 : 0
    }
  }
}

/**
 * Broken links, split by who broke them: `source` counts the links and
 * images whose target is missing from the source tree (`broken-link`,
 * `missing-image`), `zhpress` the links of published pages that find nothing
 * although their source link resolved (`output-broken-link`; should be 0).
 *
 * @param files Files with messages.
 * @returns The two counts.
 */
export function countBrokenLinks(files: ReadonlyArray<VFile>): {source: number; zhpress: number} {
  let source = 0
  let zhpress = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.ruleId === 'broken-link' || message.ruleId === 'missing-image') source++
      else if (message.ruleId === 'output-broken-link') zhpress++
    }
  }

  return {source, zhpress}
}

/** The same messages as data, for dist/report.json. */
export function reportEntries(files: ReadonlyArray<VFile>): Array<ReportEntry> {
  return [...eachReportEntry(files)]
}

/**
 * The entries of {@link reportEntries} one at a time, made as they are
 * taken: a large site's report is written without holding it whole.
 *
 * @param files Files with messages.
 * @returns The entries, in report order.
 */
export function* eachReportEntry(files: ReadonlyArray<VFile>): Generator<ReportEntry> {
  for (const file of files) {
    for (const [, message] of sorted([file])) yield reportEntry(file, message)
  }
}

function reportEntry(file: VFile, message: VFileMessage): ReportEntry {
  return {
    file: file.path,
    line: message.line ?? null,
    column: message.column ?? null,
    severity: severity(message),
    ruleId: message.ruleId ?? null,
    message: message.reason,
    expected: message.expected ?? null,
    note: message.note ?? null,
    docs: message.ruleId && isRuleId(message.ruleId) ? docsUrl(message.ruleId) : null
  }
}

/**
 * Exit code for content: 0 clean or warnings only, 1 errors (or warnings
 * under `strict`).
 */
export function exitCode(files: ReadonlyArray<VFile>, strict = false): 0 | 1 {
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true || (strict && message.fatal === false)) return 1
    }
  }

  return 0
}

/**
 * How many messages of each rule a file has, for the summary line of
 * `import`: `63 pinyin-annotation, 2 missing-word`.
 *
 * @param file File with messages.
 * @returns The counts, by rule id in order of first appearance; empty when there are none.
 */
export function formatRuleCounts(file: VFile): string {
  const counts = new Map<string, number>()
  for (const message of file.messages) {
    const rule = message.ruleId ?? 'other'
    counts.set(rule, (counts.get(rule) ?? 0) + 1)
  }

  return [...counts].map(([rule, count]) => `${count} ${rule}`).join(', ')
}
