/**
 * VFile → mdast, with the front matter validated into `file.data`.
 */
import type {Nodes, Root, Toml, Yaml} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {remarkAdmonitions} from './admonitions.ts'
import {unified, type Processor} from 'unified'
import type {Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import {some} from './walk.ts'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {isMap, isScalar, isSeq, type Node as YamlNode, type Scalar} from 'yaml'
import {parseArticleDate} from './dates.ts'
import {detectSourceLocale} from './convert/detect.ts'
import {fail, report, stopOnErrors} from './diagnostics.ts'
import {aliasExpansion, frontmatterFields, maxFrontmatterExpansion, textFields, parseFrontmatter, parseToml, tomlValueRanges, unresolvedAlias} from './frontmatter.ts'
import {glossaryFromYaml, type GlossaryProblem} from './convert/glossary.ts'
import {readQuoteSetting} from './convert/quotes.ts'
import {resolveLocale, type Locale} from './locales.ts'
import {fileSlug, isSafeSegment} from './pages.ts'
import type {Frontmatter} from './types.ts'

/** A front matter value that conversion may touch: its source range. */
export interface FieldRange {
  field: 'title' | 'description' | 'category' | 'tags'
  start: number
  end: number
  /**
   * The value, when the source text does not show it: a double-quoted
   * scalar with escapes (`"\u5934\u53d1"`). Conversion converts this text
   * and writes the whole value back, serialized by the YAML library.
   */
  value?: string
}

declare module 'vfile' {
  interface DataMap {
    /** Source ranges of the front matter values that are converted. */
    fieldRanges: Array<FieldRange>
    /** Source range of the front matter `lang` value, rewritten per output locale. */
    langRange?: {start: number; end: number}
    /** Where the front matter `slug` value starts, for diagnostics about it. */
    slugPoint?: {line: number; column: number}
    /** `toml` when the front matter is TOML (`+++` fences); YAML otherwise. */
    frontmatterKind?: 'toml'
  }
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).use(remarkAdmonitions).use(guardLiteralAutolinks)
/** The same, with TeX math (`$…$`, `$$…$$`) for sites that render it. */
const mathProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).use(remarkAdmonitions).use(remarkMath).use(guardLiteralAutolinks)

/** What a literal autolink (`www.example.com`, `https://…`, `a@b.co`, `mailto:`, `xmpp:`) starts with or holds. */
const literalAutolink = /@|https?:\/\/|www\./i

/**
 * remark-gfm finds literal autolinks once the tree is built, by a search of
 * every text with four regular expressions with lookbehinds (about a sixth
 * of parsing a Chinese article, which holds none): run that search only
 * when some text could hold one. Each of its expressions needs `@`,
 * `http://`, `https://` or `www.` within one text, which is what the guard
 * looks for, so the tree is the same.
 */
function guardLiteralAutolinks(this: Processor) {
  const data = this.data() as {fromMarkdownExtensions?: Array<FromMarkdownExtension | Array<FromMarkdownExtension>>}
  const guard = (extension: FromMarkdownExtension): FromMarkdownExtension => {
    const transforms = extension.transforms
    if (!transforms?.some((transform) => transform.name === 'transformGfmAutolinkLiterals')) return extension
    return {
      ...extension,
      transforms: transforms.map((transform) =>
        transform.name === 'transformGfmAutolinkLiterals'
          ? (tree: Root) => (some<Nodes>(tree, (node) => node.type === 'text' && literalAutolink.test(node.value)) ? transform(tree) : undefined)
          : transform
      )
    }
  }

  data.fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map((extension) => (Array.isArray(extension) ? extension.map(guard) : guard(extension)))
}

/** Fields converted between scripts (DESIGN.md, conversion semantics). */
const convertedFields = ['title', 'description', 'category'] as const

export interface ParseOptions {
  /**
   * Accept Markdown without front matter or title (the `convert` command);
   * articles in source/ need both.
   */
  lenient?: boolean
  /** Source locale to use instead of front matter `lang` or detection. */
  sourceLocale?: Locale
  /** Source locale of a text with no script-specific character (the `defaultLocale` setting); default zh-Hans. */
  defaultLocale?: Locale
  /** Parse TeX math (`$…$`, `$$…$$`): the site renders it (see `SiteContext.math`). */
  math?: boolean
}

/**
 * Parse an article into a syntax tree and read its front matter.
 *
 * @param file The article; `file.data.frontmatter`, `sourceLocale`,
 *   `bodyOffset` and `fieldRanges` are set on it.
 * @param options Leniency and a forced source locale.
 * @returns The mdast tree, with positions.
 */
export function parseArticle(file: VFile, options: ParseOptions = {}): Root {
  checkNesting(file)
  const tree = (options.math ? mathProcessor : processor).parse(file)
  checkTreeDepth(tree, file)
  const first = tree.children[0]
  if (first?.type === 'toml') readTomlFrontmatter(file, first, options)
  else readFrontmatter(file, first?.type === 'yaml' ? first : undefined, options)
  return tree
}

/** A number as its author wrote it (`1.50`, not 1.5). */
function numberText(node: unknown, value: number): string {
  return isScalar(node) && typeof node.source === 'string' ? node.source : String(value)
}

/**
 * Parse Markdown that carries no diagnostics of interest (converted output).
 *
 * @param value Markdown text.
 * @param options `math`: as the source was parsed.
 * @returns The mdast tree.
 */
export function parseMarkdown(value: string, options: {math?: boolean} = {}): Root {
  return (options.math ? mathProcessor : processor).parse(value)
}

function readFrontmatter(file: VFile, node: Yaml | undefined, options: ParseOptions): void {
  const source = String(file.value)
  const where = location(file)
  const stem = fileSlug(file.stem ?? 'article')
  file.data.fieldRanges = []
  file.data.bodyOffset = node?.position?.end.offset ?? 0

  if (!node) {
    // Front matter is optional: the title comes from the first level-1 heading, else the file name.
    file.data.frontmatter = {title: '', slug: stem}
    file.data.sourceLocale = options.sourceLocale ?? detectLocale(file, source, '', options.defaultLocale)
    if (!options.lenient) checkSlug(file, stem, () => ({line: 1, column: 1}), true)
    return
  }

  const start = node.position!.start.offset!
  const yamlStart = source.indexOf('\n', start) + 1
  // logLevel 'error': warnings are collected and reported below, never printed by the library.
  const document = parseFrontmatter(node.value, {prettyErrors: false, uniqueKeys: true, logLevel: 'error'})
  const toPoint = (offset: number) => where.toPoint(yamlStart + offset)

  if (document.errors.length > 0) {
    const error = document.errors[0]!
    fail(file, 'broken-frontmatter', {problem: error.message.split('\n')[0]!}, {place: toPoint(error.pos[0])})
  }

  for (const warning of document.warnings) {
    report(file, 'frontmatter-warning', {problem: warning.message.split('\n')[0]!}, {place: toPoint(warning.pos[0])})
  }

  const contents = document.contents
  if (!isMap(contents)) {
    fail(file, 'broken-frontmatter', {problem: 'not a mapping of `key: value` lines'}, {place: where.toPoint(start)})
  }

  const unresolved = unresolvedAlias(document)
  if (unresolved) {
    fail(file, 'broken-frontmatter', {problem: `the alias \`*${unresolved.name}\` has no anchor \`&${unresolved.name}\` before it`}, {place: toPoint(unresolved.offset)})
  }

  const expansion = aliasExpansion(document)
  if (expansion) {
    fail(
      file,
      'broken-frontmatter',
      {problem: `its aliases expand to over ${maxFrontmatterExpansion} characters; write the values out`},
      {place: toPoint(expansion.offset)}
    )
  }

  const data: Record<string, unknown> = document.toJS({maxAliasCount: -1}) ?? {}
  for (const field of ['title', 'tags'] as const) {
    const value = data[field]
    const items = field === 'tags' && Array.isArray(value) ? value : [value]
    for (const [index, item] of items.entries()) {
      if (item === undefined || item === null || typeof item === 'string' || typeof item === 'number') continue
      const scalar = (field === 'tags' && Array.isArray(value) ? document.getIn([field, index], true) : document.get(field, true)) as YamlNode | undefined
      fail(file, 'broken-frontmatter', {problem: `\`${field}\` must be text${field === 'tags' ? ' or a list of texts' : ''}`}, {place: toPoint(scalar?.range?.[0] ?? 0)})
    }
  }

  // `title: 1984` is a title (as its author wrote it: `1.50`, not 1.5); without one, the first level-1 heading (or the file name) is.
  const title = typeof data.title === 'string' ? data.title : typeof data.title === 'number' ? numberText(document.get('title', true), data.title) : ''

  for (const field of textFields) {
    const value = data[field]
    if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
      const scalar = document.get(field, true) as YamlNode | undefined
      fail(file, 'broken-frontmatter', {problem: `\`${field}\` must be text`}, {place: toPoint(scalar?.range?.[0] ?? 0)})
    }
  }

  const frontmatter: Frontmatter = {slug: stem, ...frontmatterFields(data), title}
  readDates(file, frontmatter, (field) => toPoint((document.get(field, true) as YamlNode | undefined)?.range?.[0] ?? 0))

  readConversionSettings(file, document, data, toPoint)

  const slugNode = document.get('slug', true) as YamlNode | undefined
  if (slugNode?.range) file.data.slugPoint = toPoint(slugNode.range[0])
  if (!options.lenient) checkSlug(file, frontmatter.slug, () => file.data.slugPoint ?? where.toPoint(start), !file.data.slugPoint)

  file.data.sourceLocale = sourceLocaleOf(file, frontmatter, options, () => {
    const scalar = document.get('lang', true) as YamlNode | undefined
    return scalar?.range ? toPoint(scalar.range[0]) : where.toPoint(start)
  })

  for (const field of convertedFields) {
    const scalar = document.get(field, true)
    if (isScalar(scalar) && scalar.range) file.data.fieldRanges.push(fieldRange(field, scalar, node.value, yamlStart))
  }

  const lang = document.get('lang', true)
  if (isScalar(lang) && lang.range) file.data.langRange = {start: yamlStart + lang.range[0], end: yamlStart + lang.range[1]}

  const tags = document.get('tags', true)
  for (const item of isSeq(tags) ? tags.items : [tags]) {
    if (isScalar(item) && item.range) file.data.fieldRanges.push(fieldRange('tags', item, node.value, yamlStart))
  }

  // `categories` (Hexo, Hugo, Jekyll) are converted like `category`.
  const categories = document.get('categories', true)
  for (const item of isSeq(categories) ? categories.items : [categories]) {
    if (isScalar(item) && item.range && typeof item.value === 'string') file.data.fieldRanges.push(fieldRange('category', item, node.value, yamlStart))
  }

  file.data.frontmatter = frontmatter
}

/**
 * Read TOML front matter (`+++` fences, as Hugo and Zola write it): the
 * same fields and checks as YAML's. One-line strings of `title`,
 * `description`, `category` and `tags` are converted in place; a basic
 * string with an escape, and a multi-line string, are kept as written.
 */
function readTomlFrontmatter(file: VFile, node: Toml, options: ParseOptions): void {
  const source = String(file.value)
  const where = location(file)
  const stem = fileSlug(file.stem ?? 'article')
  file.data.fieldRanges = []
  file.data.frontmatterKind = 'toml'
  file.data.bodyOffset = node.position!.end.offset!
  const start = node.position!.start.offset!
  const tomlStart = source.indexOf('\n', start) + 1
  const toPoint = (offset: number) => where.toPoint(tomlStart + offset) ?? {line: 1, column: 1}
  const parsed = parseToml(node.value)
  if ('problem' in parsed) {
    fail(file, 'broken-frontmatter', {problem: parsed.problem}, {place: {line: node.position!.start.line + parsed.line, column: parsed.column}})
  }

  const {data} = parsed
  const at = (field: string) => toPoint(tomlValueRanges(node.value, field)?.start ?? 0)
  for (const field of ['title', 'tags'] as const) {
    const value = data[field]
    const items = field === 'tags' && Array.isArray(value) ? value : [value]
    if (items.some((item) => item !== undefined && typeof item !== 'string' && typeof item !== 'number')) {
      fail(file, 'broken-frontmatter', {problem: `\`${field}\` must be text${field === 'tags' ? ' or a list of texts' : ''}`}, {place: at(field)})
    }
  }

  for (const field of textFields) {
    const value = data[field]
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') fail(file, 'broken-frontmatter', {problem: `\`${field}\` must be text`}, {place: at(field)})
  }

  const title = typeof data.title === 'string' || typeof data.title === 'number' ? String(data.title) : ''
  const frontmatter: Frontmatter = {slug: stem, ...frontmatterFields(data), title}
  readDates(file, frontmatter, at)

  if (data.quotes !== undefined) {
    const setting = readQuoteSetting(data.quotes)
    if (typeof setting === 'object' && 'problem' in setting) fail(file, 'broken-frontmatter', {problem: setting.problem as string}, {place: at('quotes')})
    file.data.quotes = setting
  }

  if (data.glossary !== undefined) {
    // The glossary reader reads YAML nodes: the TOML table's data as a YAML document (JSON is YAML).
    const problems: Array<GlossaryProblem> = []
    file.data.glossary = glossaryFromYaml(parseFrontmatter(JSON.stringify(data.glossary)).contents, (problem) => problems.push(problem))
    for (const problem of problems) report(file, 'broken-glossary', {reason: problem.reason}, {place: at('glossary')})
    if (problems.length > 0) stopOnErrors(file)
  }

  if (data.slug !== undefined) file.data.slugPoint = at('slug')
  if (!options.lenient) checkSlug(file, frontmatter.slug, () => file.data.slugPoint ?? where.toPoint(start)!, !file.data.slugPoint)

  file.data.sourceLocale = sourceLocaleOf(file, frontmatter, options, () => at('lang'))

  for (const field of [...convertedFields, 'tags', 'categories'] as const) {
    for (const string of tomlValueRanges(node.value, field)?.strings ?? []) {
      // The whole string, quotes included, as YAML's ranges are: a `T` rule writes its title as a
      // double-quoted string (JSON's escapes are TOML's).
      if (!string.escaped) file.data.fieldRanges.push({field: field === 'categories' ? 'category' : field, start: tomlStart + string.start - 1, end: tomlStart + string.end + 1})
    }
  }

  const lang = tomlValueRanges(node.value, 'lang')?.strings[0]
  if (lang && !lang.escaped) file.data.langRange = {start: tomlStart + lang.start, end: tomlStart + lang.end}
  file.data.frontmatter = frontmatter
}

/** A place in the source, as `vfile-location` gives it. */
type SourcePoint = ReturnType<ReturnType<typeof location>['toPoint']>

/** Check `date` and `updated` and put them in their stored form; an invalid one stops the article at `place(field)`. */
function readDates(file: VFile, frontmatter: Frontmatter, place: (field: string) => SourcePoint): void {
  for (const field of ['date', 'updated'] as const) {
    const value = frontmatter[field]
    if (value === undefined) continue
    const date = parseArticleDate(value)
    if ('problem' in date) fail(file, 'invalid-date', {field, problem: date.problem}, {place: place(field)})
    frontmatter[field] = date.value
  }
}

/** The source locale: forced, else front matter `lang` (an unknown one stops the article at `langPlace()`), else detected from the title and body. */
function sourceLocaleOf(file: VFile, frontmatter: Frontmatter, options: ParseOptions, langPlace: () => SourcePoint): Locale {
  if (options.sourceLocale) return options.sourceLocale
  if (frontmatter.lang === undefined) return detectLocale(file, String(file.value).slice(file.data.bodyOffset), frontmatter.title, options.defaultLocale)
  const locale = resolveLocale(frontmatter.lang)
  if (!locale) fail(file, 'unknown-locale', {lang: frontmatter.lang}, {place: langPlace()})
  return locale
}

/** The source range of a converted scalar, with its value when escapes hide it. */
function fieldRange(field: FieldRange['field'], scalar: Scalar, yaml: string, yamlStart: number): FieldRange {
  const [start, end] = scalar.range!
  const range: FieldRange = {field, start: yamlStart + start, end: yamlStart + end}
  if (scalar.type === 'QUOTE_DOUBLE' && typeof scalar.value === 'string' && yaml.slice(start, end).includes('\\')) range.value = scalar.value
  return range
}

/**
 * Front matter `glossary:` (per-article terms) and `quotes:` (quote style);
 * neither is converted.
 */
function readConversionSettings(
  file: VFile,
  document: ReturnType<typeof parseFrontmatter>,
  data: Record<string, unknown>,
  toPoint: (offset: number) => ReturnType<ReturnType<typeof location>['toPoint']>
): void {
  const glossary = document.get('glossary', true)
  if (glossary !== undefined) {
    const problems: Array<GlossaryProblem> = []
    file.data.glossary = glossaryFromYaml(glossary, (problem) => problems.push(problem))
    for (const problem of problems) report(file, 'broken-glossary', {reason: problem.reason}, {place: toPoint(problem.offset)})
    if (problems.length > 0) stopOnErrors(file)
  }

  if (data.quotes !== undefined && data.quotes !== null) {
    const setting = readQuoteSetting(data.quotes)
    if (typeof setting === 'object' && 'problem' in setting) {
      const node = document.get('quotes', true) as YamlNode | undefined
      fail(file, 'broken-frontmatter', {problem: setting.problem as string}, {place: toPoint(node?.range?.[0] ?? 0)})
    }

    file.data.quotes = setting
  }
}

function detectLocale(file: VFile, body: string, title: string, defaultLocale: Locale = 'zh-Hans'): Locale {
  const detected = detectSourceLocale(title + body, defaultLocale)
  report(
    file,
    'detected-locale',
    {locale: detected.locale, evidence: detected.evidence, fix: `add \`lang: ${detected.locale}\` to be sure`},
    {place: {line: 1, column: 1}}
  )
  return detected.locale
}

// Windows reserves these names with any extension too (`nul.tar.gz` is NUL),
// and every output adds one.
const reservedWindowsNames = /^(?:con|prn|aux|nul|com[\d¹²³]|lpt[\d¹²³])(?:\..*)?$/i
const safeSlug = /^[\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u

/**
 * Whether a slug is safe as a file name: letters, digits, `-`, `_` and `.`,
 * not a path, not a reserved Windows name.
 */
export function isSafeSlug(slug: string): boolean {
  return safeSlug.test(slug) && !slug.includes('..') && !reservedWindowsNames.test(slug)
}

function checkSlug(file: VFile, slug: string, place: () => ReturnType<ReturnType<typeof location>['toPoint']>, fromFileName = false): void {
  // `slug: /` (Docusaurus) makes the article the home page: `index`.
  if (!fromFileName && slug === '/') return
  if (fromFileName ? !isSafeSegment(slug) : !isSafeSlug(slug)) {
    fail(
      file,
      'unsafe-slug',
      {slug, fix: fromFileName ? 'the file name cannot be an output path: add `slug:` with a safe name to the front matter' : 'set another with `slug:` in the front matter'},
      {place: place()}
    )
  }
}

/**
 * Most nested block quotes and lists an article may have. The tree stages
 * (remark-gfm's transforms, mdast-util-to-hast, rehype-raw, the sanitizer,
 * the serializer) recurse once per level and overflow the stack between 500
 * and 2,000 levels; markdown-it stops at 100 too.
 */
export const maxNesting = 100

/**
 * Refuse block nesting deeper than {@link maxNesting} before parsing.
 *
 * Looks only at the start of each line: every `>` or list marker opens a
 * level, and every two columns of indentation may continue one (a list item's
 * content is indented by at least two). That bounds the real depth from
 * above, in one pass and without recursion.
 *
 * @param file The article; a `too-deep` error is thrown on it.
 */
export function checkNesting(file: VFile): void {
  const source = String(file.value)
  let line = 1
  let start = 0
  while (start < source.length) {
    let end = source.indexOf('\n', start)
    if (end === -1) end = source.length
    let index = start
    let depth = 0
    while (index < end) {
      let width = 0
      while (source[index] === ' ' || source[index] === '\t') {
        width += source[index] === '\t' ? 4 - ((index - start) % 4) : 1
        index++
      }

      depth += Math.floor(width / 2)
      const marker = /^(?:>|[-+*](?=[ \t\r\n]|$)|\d{1,9}[.)](?=[ \t\r\n]|$))/.exec(source.slice(index, index + 11))
      if (!marker) break
      depth++
      if (depth > maxNesting) {
        fail(file, 'too-deep', {found: `more than ${maxNesting} nested block quotes or lists`}, {place: {line, column: index - start + 1}})
      }

      index += marker[0].length
    }

    start = end + 1
    line++
  }
}

/**
 * Deepest an article's elements may nest, Markdown and raw HTML together.
 * Parsing is iterative, the later tree stages recurse; on the smallest stack
 * zhpress runs on (the main thread's, with `--jobs 1`) they overflow between
 * 800 and 1,500 levels, so the same limit holds whatever `--jobs` says.
 */
export const maxTreeDepth = 300

/** Elements without content (never opening a level). */
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/**
 * Elements whose start tag closes an open one of their kind (`<p><p>`,
 * `<li><li>`): not counted, or lists of them would count as nesting. What
 * holds them (`ul`, `table`) still counts.
 */
const selfClosingElements = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'rp', 'rt', 'colgroup', 'caption'])

/**
 * Refuse trees deeper than {@link maxTreeDepth} right after parsing, before
 * any recursive stage, so the result never depends on the thread's stack.
 *
 * Walks the mdast tree without recursion, in document order; raw HTML adds
 * a running count of open elements (start tags minus end tags, over every
 * `html` node, since raw HTML opened in one node closes in a later one).
 * The count bounds the depth parse5 builds from above.
 *
 * @param tree The parsed article.
 * @param file The article; a `too-deep` error is thrown on it, at the
 *   first node or tag past the limit.
 */
export function checkTreeDepth(tree: Root, file: VFile): void {
  const stack: Array<{node: Nodes; depth: number}> = [{node: tree, depth: 0}]
  let open = 0
  const tooDeep = (offset: number | undefined, what: string) =>
    fail(file, 'too-deep', {found: `${what} nested more than ${maxTreeDepth} deep`}, {place: location(file).toPoint(offset ?? 0) ?? {line: 1, column: 1}})
  while (stack.length > 0) {
    const {node, depth} = stack.pop()!
    if (depth > maxTreeDepth) tooDeep(node.position?.start.offset, 'Markdown elements (inline formatting, links, lists)')
    if (node.type === 'html') {
      const start = node.position?.start.offset ?? 0
      // Comments hold no elements; blank them out, keeping offsets.
      const value = node.value.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => ' '.repeat(comment.length))
      for (const tag of value.matchAll(/<(\/?)([A-Za-z][^\s/>]*)/g)) {
        const name = tag[2]!.toLowerCase()
        if (voidElements.has(name) || selfClosingElements.has(name)) continue
        open = tag[1] ? Math.max(0, open - 1) : open + 1
        if (depth + open > maxTreeDepth) tooDeep(start + tag.index, 'raw HTML elements')
      }
    }

    if ('children' in node) {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push({node: node.children[index]!, depth: depth + 1})
    }
  }
}

/**
 * Whether an error is a JavaScript stack overflow.
 *
 * {@link checkNesting} and {@link checkTreeDepth} stop deep trees before
 * any recursive stage; should one still overflow (a bug), the commands turn
 * that into a `too-deep` error on the article rather than a crash.
 *
 * @param error Anything thrown.
 * @returns Whether it is V8's "Maximum call stack size exceeded".
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message)
}

/**
 * Report a stack overflow while building an article as a `too-deep` error.
 *
 * @param file The article.
 */
export function reportStackOverflow(file: VFile): void {
  report(file, 'too-deep', {found: 'nesting too deep to build (raw HTML elements or inline formatting nested thousands deep)'}, {place: {line: 1, column: 1}})
}
