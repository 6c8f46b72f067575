/**
 * Types shared by the `import` cleaning rules.
 */
import type {VFile} from 'vfile'
import type {Finding, RuleId} from '../diagnostics.ts'
import type {Edit} from '../types.ts'
import type {Draft} from './draft.ts'

/** Site chrome patterns, from `scripts/clean/chrome.yaml`. */
export interface ChromeData {
  /** Navigation and sidebar lines, removed when a line is exactly one of them. */
  navigation: Array<string>
  /** Footer lines (takedown notices, contact lines): a line matching one of these expressions is removed. */
  footers: Array<RegExp>
  breadcrumb: {
    /** Separators between breadcrumb items, longest first. */
    separators: Array<string>
    /** Names of the home page, dropped from the front of a breadcrumb. */
    home: Array<string>
    /** Names of the current page, dropped from the end of a breadcrumb. */
    current: Array<string>
  }
  /** Labels of the lead paragraph (`小編導語`): removed, the paragraph after them becomes `description`. */
  leadLabels: Array<string>
}

/** Options of the cleaning stage. */
export interface CleanOptions {
  /** Site chrome patterns. */
  chrome: ChromeData
  /** Half-width punctuation between Han characters → full width (default: true). */
  typography?: boolean
  /** Slug of the article; default: pinyin of the title. */
  slug?: string
}

/** Facts the rules find on the way, used by the structure step. */
export interface Facts {
  /** From the breadcrumb. */
  category?: string
}

/**
 * What a rule reports at an offset of the current draft: a finding of the
 * rule catalogue (`scripts/diagnostics.ts`, which holds its wording and severity).
 */
export type Report = Finding & {
  /** Offset in the draft text the rule was given. */
  offset: number
}

/** Everything a rule gets besides the draft. */
export interface RuleContext {
  options: CleanOptions
  facts: Facts
  /**
   * Report a change or a finding at a draft offset; it is placed at the
   * matching line and column of the raw input.
   */
  report: (report: Report) => void
}

/** One cleaning rule. */
export interface CleanRule {
  /** Rule id, as printed in brackets. */
  id: RuleId
  /** What the rule does, one line. */
  summary: string
  /**
   * Find the rule's changes in a draft.
   *
   * @returns Edits against `draft.text`; reported through `context.report`.
   */
  run: (draft: Draft, context: RuleContext) => Array<Edit>
}

/** The result of cleaning one scraped article. */
export interface CleanResult {
  /** The source article: front matter and Markdown body. */
  markdown: string
  slug: string
  /** The raw file, with every message of the import. */
  file: VFile
}
