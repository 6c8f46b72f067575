/**
 * `build`: source/ → dist/. Wires the stages; holds no conversion logic.
 */
import path from 'node:path'
import type {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import {buildArticle, type BuiltArticle} from '../article.ts'
import {uiStrings} from '../i18n.ts'
import {parseGlossary, type Glossary} from '../convert/glossary.ts'
import {listArticles, readArticle, readGlossaryFile} from '../ingest.ts'
import {isStackOverflow, reportStackOverflow} from '../parse.ts'
import {renderLocaleIndex, renderRootIndex} from '../render-html.ts'
import {articleSchema, articleTypes, formatJson, renderResources, type ArticleDocument} from '../render-json.ts'
import {renderSitemap, type SitemapPage} from '../render-sitemap.ts'
import type {Locale} from '../locales.ts'
import {exitCode, formatReport, reportEntries} from '../report.ts'
import type {Io, OutputFile} from '../types.ts'
import {publish, recover} from '../write.ts'
import {UsageError, type BuildOptions} from './args.ts'

export interface LoadedArticle {
  file: VFile
  built?: BuiltArticle
  /** Set on the entry of `glossary.yaml`, which is not an article. */
  glossary?: true
}

/**
 * Read and build every article of a source folder, collecting diagnostics.
 * One broken article does not stop the others from being checked.
 *
 * @param options Source folder, locales and formats.
 * @param io Working folder.
 * @returns Each article's file (with messages) and, when it built, its outputs.
 */
export async function loadArticles(
  options: Pick<BuildOptions, 'source' | 'locales' | 'formats'> & {baseUrl?: string},
  io: Io
): Promise<Array<LoadedArticle>> {
  const paths = await listArticles(options.source, io.cwd)
  const loaded: Array<LoadedArticle> = []
  const slugs = new Map<string, {path: string; slug: string}>()
  const glossaryFile = await readGlossaryFile(path.join(options.source, 'glossary.yaml'), io.cwd)
  let glossary: Glossary | undefined
  if (glossaryFile) {
    loaded.push({file: glossaryFile, glossary: true})
    if (!glossaryFile.messages.some((message) => message.fatal)) glossary = parseGlossary(glossaryFile)
  }

  for (const name of paths) {
    const file = await readArticle(name, io.cwd)
    const article: LoadedArticle = {file}
    loaded.push(article)
    if (file.messages.some((message) => message.fatal)) continue

    try {
      article.built = buildArticle(file, {
        locales: options.locales,
        formats: options.formats,
        baseUrl: options.baseUrl,
        ...(glossary ? {glossary} : {})
      })
    } catch (error) {
      if (isStackOverflow(error)) reportStackOverflow(file)
      else if (!(error instanceof VFileMessage)) throw error
      continue
    }

    // Case- and normalization-insensitive: on Windows and macOS `A.html`
    // and `a.html` are one file, and one would overwrite the other.
    const key = article.built.slug.normalize('NFC').toLowerCase()
    const other = slugs.get(key)
    if (other) {
      const same = other.slug === article.built.slug ? 'has it too' : `has \`${other.slug}\`, the same file name on Windows and macOS`
      const message = file.message(`duplicate slug \`${article.built.slug}\`: ${other.path} ${same}; give one of them another \`slug\``, {
        place: file.data.slugPoint ?? {line: 1, column: 1},
        ruleId: 'duplicate-slug',
        source: 'zhpress'
      })
      message.fatal = true
      delete article.built
    } else {
      slugs.set(key, {path: file.path, slug: article.built.slug})
    }
  }

  if (paths.length === 0) {
    const {VFile} = await import('vfile')
    const file = new VFile({path: options.source, cwd: io.cwd})
    const message = file.message('no articles: the source folder has no `*.md` file', {ruleId: 'no-articles', source: 'zhpress'})
    message.fatal = true
    loaded.push({file})
  }

  return loaded
}

/**
 * Run a build.
 *
 * @param options Parsed `build` options.
 * @param io Where to print.
 * @returns Exit code.
 */
export async function build(options: BuildOptions, io: Io): Promise<number> {
  const started = performance.now()
  const out = path.resolve(io.cwd, options.out)
  const source = path.resolve(io.cwd, options.source)
  if (within(out, source) || within(source, out)) {
    // Publishing replaces the output folder as a whole: it would take the sources with it.
    throw new UsageError(`--out \`${options.out}\` overlaps --source \`${options.source}\`; the output folder is replaced as a whole, so put it outside the sources`)
  }

  // First, so that even a failing build puts back a dist/ that a build
  // killed between its two renames left aside.
  await recover(out)
  const articles = await loadArticles(options, io)
  const files = articles.map((article) => article.file)
  const lines = formatReport(files)
  for (const line of lines) io.stderr(line + '\n')

  const code = exitCode(files, options.strict)
  if (code !== 0) {
    io.stderr(`build failed: ${options.out}/ was left as it was\n`)
    return code
  }

  const built = articles.flatMap((article) => (article.built ? [article.built] : []))
  const outputs = collectOutputs(built, options, files)
  await publish(out, outputs)

  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  io.stderr(
    `built ${built.length} article${built.length === 1 ? '' : 's'} × ${options.locales.length} locales: ${outputs.length + 1} files in ${options.out}/ (${seconds}s)\n`
  )
  return 0
}

/** Whether `folder` is `parent` or inside it. */
function within(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder)
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative))
}

function collectOutputs(built: ReadonlyArray<BuiltArticle>, options: BuildOptions, files: ReadonlyArray<VFile>): Array<OutputFile> {
  const outputs: Array<OutputFile> = []
  const documents: Array<ArticleDocument> = []

  for (const article of built) {
    for (const output of article.outputs) {
      const {locale, document} = output
      documents.push(document)
      const base = {article: article.slug, locale}
      if (options.formats.includes('md')) {
        outputs.push({...base, format: 'md', path: document.alternates[locale]!.markdown, content: output.markdown})
      }

      if (options.formats.includes('json')) {
        outputs.push({...base, format: 'json', path: document.alternates[locale]!.json, content: formatJson(document)})
      }

      if (output.html !== undefined) {
        outputs.push({...base, format: 'html', path: document.alternates[locale]!.html, content: output.html})
      }
    }
  }

  if (options.formats.includes('json')) {
    const resources = renderResources(documents, uiStrings, options.locales)
    outputs.push({path: 'json/resources.json', format: 'resources', content: formatJson(resources)})
    outputs.push({path: 'json/article.schema.json', format: 'schema', content: formatJson(articleSchema)})
    outputs.push({path: 'json/article.d.ts', format: 'schema', content: articleTypes()})
  }

  if (options.formats.includes('html')) {
    const site = {baseUrl: options.baseUrl}
    outputs.push({path: 'html/index.html', format: 'index', content: renderRootIndex(options.locales, site)})
    for (const locale of options.locales) {
      const entries = documents
        .filter((document) => document.locale === locale)
        .map((document) => ({
          slug: document.slug,
          title: document.title,
          description: document.description ?? undefined,
          date: document.date ?? undefined
        }))
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (a.slug < b.slug ? -1 : 1))
      outputs.push({path: `html/${locale}/index.html`, locale, format: 'index', content: renderLocaleIndex(locale, entries, options.locales, site)})
    }

    const pages: Array<SitemapPage> = [
      {path: (locale) => `${locale}/index.html`, fallback: 'index.html'},
      ...built.map((article) => ({
        path: (locale: Locale) => `${locale}/${article.slug}.html`,
        fallback: 'index.html',
        date: article.outputs[0]?.document.date ?? undefined
      }))
    ]
    outputs.push({path: 'html/sitemap.xml', format: 'sitemap', content: renderSitemap(pages, options.locales, options.baseUrl)})
  }

  outputs.push({path: 'report.json', content: formatJson({schemaVersion: 1, messages: reportEntries(files)})})
  return outputs
}
