import type {Locale} from './locales.ts'

export type {Locale} from './locales.ts'

/** Output formats a build can write. */
export const formats = ['md', 'json', 'html'] as const
export type Format = (typeof formats)[number]

/** A replacement of `source.slice(start, end)` by `text`. */
export interface Edit {
  start: number
  end: number
  text: string
}

/** Front matter of a source article, as validated by `parse.ts`. */
export interface Frontmatter {
  title: string
  slug: string
  lang?: string
  category?: string
  description?: string
  tags?: Array<string>
  /** Publication date as written (validated by `dates.ts`). */
  date?: string
  /** Date of the last significant change, as written. */
  updated?: string
}

/** Where the command line writes; commands never touch `process` directly. */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads all of standard input (for `convert -`). */
  readStdin: () => Promise<Uint8Array>
  /** Whether stderr is an interactive terminal (progress bars). */
  isTTY: boolean
  env: Record<string, string | undefined>
  cwd: string
  /**
   * Call `stop` on the first interrupt (Ctrl-C, SIGTERM) instead of ending
   * the process; a second one ends it as usual. Returns a function that
   * takes the handler back. Only the command line has it (`build --watch`).
   */
  onInterrupt?: (stop: () => void) => () => void
}

/** One file a build writes, relative to the output folder. */
export interface OutputFile {
  path: string
  content: string
  article?: string
  locale?: Locale
  /** `part`: a piece of a site-level output, kept only by a shard build. */
  format?: Format | 'resources' | 'schema' | 'index' | 'sitemap' | 'part'
}

declare module 'vfile' {
  interface DataMap {
    frontmatter: Frontmatter
    sourceLocale: Locale
    /** Offset where the Markdown body starts (after front matter). */
    bodyOffset: number
  }
}
