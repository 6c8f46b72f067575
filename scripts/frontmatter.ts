/**
 * Reading front matter: the fields every article has, and how far YAML
 * aliases may expand. The one reader of front matter values; `parse.ts`
 * adds the diagnostics and positions an article's own parse reports.
 * Front matter is YAML between `---` fences, or TOML between `+++` fences
 * (Hugo's and Zola's default).
 */
import type {Literal} from 'mdast'
import {parse as parseTomlText, TomlDate, TomlError} from 'smol-toml'
import {isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit} from 'yaml'
import type {Frontmatter} from './types.ts'

declare module 'mdast' {
  /** TOML front matter (`+++` fences), as remark-frontmatter's `toml` preset parses it. */
  interface Toml extends Literal {
    type: 'toml'
  }

  interface FrontmatterContentMap {
    toml: Toml
  }

  interface RootContentMap {
    toml: Toml
  }
}

/** The language of front matter. */
export type FrontmatterKind = 'yaml' | 'toml'

/** Most characters front matter aliases may expand to: `&a` / `*a` bombs stop here, not at a count. */
export const maxFrontmatterExpansion = 1024 * 1024

/**
 * How far the aliases of a YAML document expand, without expanding them:
 * each node's size is counted once and aliases add their anchor's size.
 *
 * @returns The first alias past {@link maxFrontmatterExpansion}, if any.
 */
export function aliasExpansion(document: ReturnType<typeof parseDocument>): {offset: number} | undefined {
  const sizes = new Map<unknown, number>()
  let over: {offset: number} | undefined
  const size = (node: unknown, depth: number): number => {
    if (over || node === null || node === undefined) return 0
    if (depth > 100) {
      over = {offset: 0}
      return 0
    }

    const known = sizes.get(node)
    if (known !== undefined) return known
    let total = 0
    if (isAlias(node)) {
      total = size(node.resolve(document), depth + 1)
      if (total > maxFrontmatterExpansion && !over) over = {offset: node.range?.[0] ?? 0}
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as Array<unknown>) {
        total += isPair(item) ? size(item.key, depth + 1) + size(item.value, depth + 1) : size(item, depth + 1)
        if (total > maxFrontmatterExpansion) break
      }
    } else if (isScalar(node)) {
      total = String(node.value).length
    }

    sizes.set(node, total)
    if (total > maxFrontmatterExpansion && !over) over = {offset: (node as {range?: [number]}).range?.[0] ?? 0}
    return total
  }

  size(document.contents, 0)
  return over
}

/**
 * The first alias of a YAML document that names no anchor before it
 * (`slug: *name` with no `&name` earlier): it parses, but has no value.
 *
 * @returns Where it is and the name it uses, if there is one.
 */
export function unresolvedAlias(document: ReturnType<typeof parseDocument>): {offset: number; name: string} | undefined {
  let found: {offset: number; name: string} | undefined
  visit(document, {
    Alias(_, node) {
      if (node.resolve(document)) return undefined
      found = {offset: node.range?.[0] ?? 0, name: node.source}
      return visit.BREAK
    }
  })
  return found
}

/** Front matter fields read as text. */
export const textFields = ['slug', 'lang', 'category', 'description', 'date', 'updated'] as const

/** The front matter fields of parsed YAML data; the one place that reads them. */
export function frontmatterFields(data: Record<string, unknown>): Partial<Frontmatter> {
  const fields: Partial<Frontmatter> = {}
  // `title: 1984` is a title.
  if (typeof data.title === 'string' || typeof data.title === 'number') fields.title = String(data.title)
  for (const field of textFields) {
    const value = data[field]
    if (value !== undefined && value !== null) fields[field] = String(value)
  }

  if (data.tags !== undefined && data.tags !== null) fields.tags = (Array.isArray(data.tags) ? data.tags : [data.tags]).map(String)
  // Hexo, Hugo and Jekyll write `categories` (a list, Hexo's top category first): without a `category`, its first is it.
  const first: unknown = Array.isArray(data.categories) ? data.categories[0] : data.categories
  if (fields.category === undefined && (typeof first === 'string' || typeof first === 'number')) fields.category = String(first)
  return fields
}

/**
 * Read the fields of front matter without reporting anything: the front
 * matter of a converted article (validated on its source), or a source's
 * before it is parsed (the slug of every page is needed first).
 *
 * @param yaml The YAML between the `---` fences (or the TOML between `+++` fences).
 * @param kind Which of the two.
 * @returns Its fields (title, slug, lang, category, description, date, tags);
 *   none when the YAML does not parse, is not a mapping or its aliases expand
 *   past {@link maxFrontmatterExpansion} or name no anchor (the article's own
 *   parse reports those).
 */
export function readFrontmatterValues(yaml: string, kind: FrontmatterKind = 'yaml'): Partial<Frontmatter> {
  if (kind === 'toml') {
    const parsed = parseToml(yaml)
    return 'data' in parsed ? frontmatterFields(parsed.data) : {}
  }

  const document = parseFrontmatter(yaml, {uniqueKeys: false, logLevel: 'silent'})
  if (document.errors.length > 0 || unresolvedAlias(document) || aliasExpansion(document)) return {}
  const data: unknown = document.toJS({maxAliasCount: -1})
  return data && typeof data === 'object' && !Array.isArray(data) ? frontmatterFields(data as Record<string, unknown>) : {}
}

/**
 * The YAML between the `---` fences that open a Markdown text, found
 * without parsing the Markdown.
 *
 * @param text The article.
 * @returns The YAML, or `undefined` when the text has no front matter.
 */
export function frontmatterYaml(text: string): string | undefined {
  return /^(?:\uFEFF)?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text)?.[1]
}

/**
 * The front matter that opens a Markdown text, YAML or TOML, found without
 * parsing the Markdown.
 *
 * @param text The article.
 * @returns Its text between the fences and its kind, or `undefined` when the text has none.
 */
export function frontmatterBlock(text: string): {kind: FrontmatterKind; value: string} | undefined {
  const yaml = frontmatterYaml(text)
  if (yaml !== undefined) return {kind: 'yaml', value: yaml}
  const toml = /^(?:\uFEFF)?\+\+\+\r?\n([\s\S]*?)\r?\n\+\+\+[ \t]*(?:\r?\n|$)/.exec(text)?.[1]
  return toml === undefined ? undefined : {kind: 'toml', value: toml}
}

/**
 * Parse TOML front matter. Dates (TOML's own type) become the text they
 * were written as (`2024-03-15`, `2024-03-15T07:30:00+08:00`), as YAML
 * front matter gives them.
 *
 * @param toml The TOML between the `+++` fences.
 * @returns The data, or the problem and its line and column in `toml` (1-based).
 */
export function parseToml(toml: string): {data: Record<string, unknown>} | {problem: string; line: number; column: number} {
  try {
    const data = parseTomlText(toml) as Record<string, unknown>
    // `.000` is the library's, not the author's.
    for (const [key, value] of Object.entries(data)) if (value instanceof TomlDate) data[key] = value.toISOString().replace(/\.000(?=Z|[+-]\d|$)/, '')
    return {data}
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    return {problem: error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''), line: error.line, column: error.column}
  }
}

/** A one-line string of TOML front matter: the range of its text, and whether a basic string holds an escape. */
export interface TomlString {
  start: number
  end: number
  escaped: boolean
}

/**
 * Where the value of a top-level key of TOML front matter is written, for
 * diagnostics and for converting it in place.
 *
 * @param toml The TOML between the `+++` fences.
 * @param key A top-level key.
 * @returns Offsets in `toml`: `start` of the value; `strings`, each one-line
 *   string (`"…"` or `'…'`) of the value, an array's items too (multi-line
 *   strings are left out); `undefined` when the key is not written so.
 */
export function tomlValueRanges(toml: string, key: string): {start: number; strings: Array<TomlString>} | undefined {
  // Top-level keys come before the first `[table]` header.
  const header = /^[ \t]*\[/m.exec(toml)
  const top = header ? toml.slice(0, header.index) : toml
  const name = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const line = new RegExp(`^[ \\t]*(?:${name}|"${name}"|'${name}')[ \\t]*=[ \\t]*`, 'm').exec(top)
  if (!line) return undefined
  const start = line.index + line[0].length
  const strings: Array<TomlString> = []
  const string = /"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'/y
  let at = start
  const array = toml.charAt(at) === '['
  if (array) at++
  for (;;) {
    while (array && /[\s,]/.test(toml.charAt(at))) at++
    if (toml.startsWith('"""', at) || toml.startsWith("'''", at)) break
    string.lastIndex = at
    const found = string.exec(toml)
    if (!found) break
    const inner = found[1] ?? found[2]!
    strings.push({start: at + 1, end: at + 1 + inner.length, escaped: found[1] !== undefined && inner.includes('\\')})
    at = string.lastIndex
    if (!array) break
  }

  return {start, strings}
}

/**
 * Parse the YAML of front matter. Front matter indented with tabs, as
 * Hexo's parser accepts it (it turns hard tabs into soft ones), where YAML
 * allows only spaces, is read with each tab that begins a line as one
 * space: offsets are unchanged, so ranges in the document are ranges of
 * the source.
 *
 * @param yaml The YAML between the `---` fences.
 * @param options The YAML library's options.
 * @returns The document.
 */
export function parseFrontmatter(yaml: string, options: Parameters<typeof parseDocument>[1] = {}): ReturnType<typeof parseDocument> {
  const soft = yaml.includes('\t') ? yaml.replace(/^\t+/gm, (tabs) => ' '.repeat(tabs.length)) : yaml
  return parseDocument(soft, options)
}
