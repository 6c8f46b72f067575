/**
 * The source tree as a site: every article's page path before any is built,
 * the checks that need every article (output collisions, links into other
 * articles' headings), and the assets copied beside the pages. Shared by
 * `build` and `check`, so both report the same.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {report} from '../diagnostics.ts'
import {byPath, listSourceTree, type SkippedLink} from '../ingest.ts'
import type {PageScan} from '../site-links.ts'
import type {AnchorLink} from '../links.ts'
import type {Locale} from '../locales.ts'
import {listPagePath, pagePath, scanSlug, type SiteContext} from '../pages.ts'
import type {Settings} from '../settings.ts'
import type {Format} from '../types.ts'
import {fileNameKey, stageCopy, type ManifestEntry} from '../write.ts'

/** A site's context, with the source folder as given (articles are named `<root>/<path>`). */
export type Site = SiteContext & {root: string}

/**
 * Read a source tree: its articles (paths joined to the source folder) and
 * the page path of each (front matter `slug` is read here, ahead of the build).
 *
 * @param source Source folder, as given.
 * @param cwd Working folder.
 * @param settings Project settings (`ignore`).
 * @param slugs The slugs an earlier scan found, by sha256 of the article's
 *   text (see the result's `slugs`): an article with one is not scanned again.
 * @param digests Digests known without reading (an unchanged article with a known slug is not read at all).
 * @returns The article paths, sorted, the site, notes about the tree
 *   (skipped dynamic routes, symbolic links not followed), and the slugs found.
 */
export async function scanSite(
  source: string,
  cwd: string,
  settings: Settings,
  slugs?: Record<string, string | null>,
  digests?: SourceDigests
): Promise<{names: Array<string>; site: Site; notes: Array<VFile>; slugs: Record<string, string | null>}> {
  const tree = await listSourceTree(source, cwd, settings.ignore)
  const notes: Array<VFile> = []
  if (tree.dynamic.length > 0) {
    // One line for all of them: a tree of generated pages would otherwise drown the report.
    const note = new VFile({path: path.join(source, tree.dynamic[0]!), cwd})
    const names = tree.dynamic.slice(0, 3).join(', ') + (tree.dynamic.length > 3 ? ', …' : '')
    report(note, 'dynamic-route', {count: tree.dynamic.length, names}, {place: {line: 1, column: 1}})
    notes.push(note)
  }

  for (const link of tree.links) {
    const note = new VFile({path: path.join(source, link.name), cwd})
    report(note, 'skipped-link', {reason: skippedLinkReason(link)}, {place: {line: 1, column: 1}})
    notes.push(note)
  }

  const pages: Record<string, string> = {}
  const found: Record<string, string | null> = {}
  // A few articles read at a time, not every one at once: each read holds the article's text until its slug is found.
  let next = 0
  const scan = async (name: string) => {
    let slug: string | undefined
    try {
      // An article the source memo proves unchanged, with a slug known for its text, is not read.
      const memo = slugs ? digests?.known(path.join(source, name)) : undefined
      const remembered = memo !== undefined && Object.hasOwn(slugs!, memo) ? slugs![memo] : undefined
      if (memo !== undefined && remembered !== undefined) {
        slug = remembered ?? undefined
        found[memo] = remembered
        pages[name] = pagePath(name, slug, tree.articles)
        return
      }

      const text = await fs.readFile(path.resolve(cwd, source, name), 'utf8')
      if (slugs) {
        const digest = createHash('sha256').update(text).digest('hex')
        digests?.found(path.join(source, name), digest)
        const known = Object.hasOwn(slugs, digest) ? slugs[digest] : undefined
        slug = known === undefined ? scanSlug(text) : (known ?? undefined)
        found[digest] = slug ?? null
      } else {
        slug = scanSlug(text)
      }
    } catch {}

    pages[name] = pagePath(name, slug, tree.articles)
  }

  await Promise.all(
    Array.from({length: 16}, async () => {
      while (next < tree.articles.length) await scan(tree.articles[next++]!)
    })
  )
  const ordered: Record<string, string> = {}
  for (const name of tree.articles) ordered[name] = pages[name]!
  const generators = await siteGenerators(path.resolve(cwd, source))
  const served = await servedFiles(path.resolve(cwd, source), settings.assets, generators)
  const basePath = await siteBasePath(generators)
  const math = settings.math ?? (await siteMath(generators))
  return {
    names: tree.articles.map((name) => path.join(source, name)),
    site: {
      root: source,
      pages: ordered,
      files: tree.files,
      ...(Object.keys(served).length > 0 ? {served} : {}),
      // VuePress (1 and 2) slugs headings as VitePress does (VitePress took the rule from it).
      ...(generators.vitepress || generators.vuepress ? {headingIds: 'vitepress' as const} : {}),
      ...(basePath === undefined ? {} : {basePath}),
      ...(math ? {math: true} : {}),
      listPage: listPagePath(ordered)
    },
    notes,
    slugs: found
  }
}

/**
 * The digests of articles known without reading them (see
 * `source-memo.ts`), by path relative to `cwd` (the source folder joined
 * with the path in it).
 */
export interface SourceDigests {
  /** The digest of an unchanged article's text, or `undefined` (it is read). */
  known: (name: string) => string | undefined
  /** Called with the digest of each article read. */
  found: (name: string, digest: string) => void
}

/** Why a symbolic link of the source tree was not followed, and what to do. */
function skippedLinkReason(link: SkippedLink): string {
  const target = link.target === undefined ? '' : ` (${link.target})`
  switch (link.problem) {
    case 'outside':
      return `it leads outside the source folder${target}; zhpress reads only the source folder: copy or move what it points to into it`
    case 'missing':
      return `it leads to nothing${target}; remove the link or restore its target`
    case 'loop':
      return `it leads back to itself or to a folder that holds it${target}, a loop; remove the link`
    case 'special':
      return `it leads to something that is neither a file nor a folder${target}; remove the link`
  }
}

/** How far up from the source folder a site generator's settings are looked for (Docusaurus's `i18n/zh-Hans/docusaurus-plugin-content-docs/current` is four). */
const siteDepth = 6

/**
 * The folders served at the site root: the `assets` setting, else
 * `public/` (VitePress) and `static/` of the source folder, VuePress's
 * `.vuepress/public/`, the `static/` beside the `docusaurus.config.*` of an enclosing Docusaurus
 * site (the source folder being its `docs/` or a translation of them), and
 * the `public/` beside the `next.config.*` of an enclosing Next.js site.
 *
 * @param root Source folder (absolute).
 * @param setting The `assets` setting.
 * @param generators The site generators enclosing the source folder (see {@link siteGenerators}).
 * @returns Absolute folders, in order of precedence.
 */
export function servedFolders(root: string, setting: ReadonlyArray<string> | undefined, generators: SiteGenerators): Array<string> {
  if (setting) return setting.map((folder) => path.resolve(root, folder))
  const folders = [path.join(root, 'public'), path.join(root, 'static')]
  if (generators.vuepress) folders.push(path.join(generators.vuepress, '.vuepress', 'public'))
  if (generators.docusaurus) folders.push(path.join(generators.docusaurus, 'static'))
  // Next.js serves `public/` beside its `next.config.*` (react.dev keeps its docs in `src/content/`).
  if (generators.next) folders.push(path.join(generators.next, 'public'))
  return [...new Set(folders)]
}

/** Where each site generator keeps its settings, the nearest folder from the source folder up. */
interface SiteGenerators {
  /** Holds `.vitepress/`. */
  vitepress?: string
  /** Holds `.vuepress/`. */
  vuepress?: string
  /** Holds `docusaurus.config.*`. */
  docusaurus?: string
  /** Holds `next.config.*`. */
  next?: string
  /** Holds `_config.yml` (Hexo, Jekyll). */
  yaml?: string
  /** Holds `book.toml` (mdBook). */
  mdbook?: string
  /** Holds `mkdocs.yml` (MkDocs). */
  mkdocs?: string
}

const generatorMarks: ReadonlyArray<[keyof SiteGenerators, (name: string) => boolean]> = [
  ['vitepress', (name) => name === '.vitepress'],
  ['vuepress', (name) => name === '.vuepress'],
  ['docusaurus', (name) => /^docusaurus\.config\.[cm]?[jt]s$/.test(name)],
  ['next', (name) => /^next\.config\.[cm]?[jt]s$/.test(name)],
  ['yaml', (name) => name === '_config.yml'],
  ['mdbook', (name) => name === 'book.toml'],
  ['mkdocs', (name) => name === 'mkdocs.yml' || name === 'mkdocs.yaml']
]

/**
 * The site generators enclosing the source folder: one walk from it up
 * (at most {@link siteDepth} levels), each generator's nearest folder.
 *
 * @param root Source folder (absolute).
 */
async function siteGenerators(root: string): Promise<SiteGenerators> {
  const found: SiteGenerators = {}
  let folder = root
  for (let depth = 0; depth <= siteDepth; depth++) {
    const names = await fs.readdir(folder).catch(() => [] as Array<string>)
    for (const [kind, test] of generatorMarks) if (found[kind] === undefined && names.some(test)) found[kind] = folder
    const parent = path.dirname(folder)
    if (parent === folder) break
    folder = parent
  }

  return found
}

/**
 * The text of a generator's settings file: the first of `names` that
 * exists in `folder`, or `''` when none does (or there is no folder).
 * Settings are read as text, never run.
 */
async function readSettings(folder: string | undefined, names: ReadonlyArray<string>): Promise<string> {
  if (folder === undefined) return ''
  for (const name of names) {
    const text = await fs.readFile(path.join(folder, name), 'utf8').catch(() => undefined)
    if (text !== undefined) return text
  }

  return ''
}

/** A settings file written in code, under each extension its generator accepts. */
const configScripts = (stem: string) => ['ts', 'mts', 'js', 'mjs', 'cjs', 'cts'].map((extension) => `${stem}.${extension}`)

/**
 * Whether the nearest site generators render TeX math: MkDocs with
 * `pymdownx.arithmatex` (or KaTeX, MathJax), VitePress with `math: true`,
 * VuePress and Docusaurus with a KaTeX or MathJax plugin (`remark-math`),
 * mdBook with `mathjax-support = true`, Hexo and Jekyll with `mathjax` or
 * `katex` in `_config.yml`. Settings are read as text, never run.
 *
 * @param generators The site generators enclosing the source folder.
 */
async function siteMath(generators: SiteGenerators): Promise<boolean> {
  const checks: Array<[Promise<string>, RegExp]> = [
    [readSettings(generators.mkdocs, ['mkdocs.yml', 'mkdocs.yaml']), /arithmatex|katex|mathjax/i],
    [readSettings(generators.vitepress && path.join(generators.vitepress, '.vitepress'), configScripts('config')), /\bmath\s*:\s*true/],
    [readSettings(generators.vuepress && path.join(generators.vuepress, '.vuepress'), configScripts('config')), /katex|mathjax|markdown-it-math/i],
    [readSettings(generators.docusaurus, configScripts('docusaurus.config')), /remark-math|rehype-katex|rehype-mathjax/],
    [readSettings(generators.mdbook, ['book.toml']), /^\s*mathjax-support\s*=\s*true/m],
    [readSettings(generators.yaml, ['_config.yml']), /^\s*(?:mathjax|katex|math)\s*:/im]
  ]
  for (const [text, pattern] of checks) if (pattern.test(await text)) return true
  return false
}

/**
 * The sub-path the source's own site is published under, from the nearest
 * generator's settings: VitePress `base`, Docusaurus `baseUrl`, Hexo `root`
 * or Jekyll `baseurl` in `_config.yml`, mdBook `site-url`. Settings written
 * in code (VitePress, Docusaurus) are read only as a quoted literal.
 *
 * @param generators The site generators enclosing the source folder.
 * @returns `/blog/` (with both slashes), or `undefined` for the root or when none is set.
 */
async function siteBasePath(generators: SiteGenerators): Promise<string | undefined> {
  const candidates: Array<[string | undefined, () => Promise<string | undefined>]> = [
    [generators.vitepress, async () => literal(await readSettings(path.join(generators.vitepress!, '.vitepress'), configScripts('config')), 'base')],
    [generators.vuepress, async () => literal(await readSettings(path.join(generators.vuepress!, '.vuepress'), configScripts('config')), 'base')],
    [generators.docusaurus, async () => literal(await readSettings(generators.docusaurus!, configScripts('docusaurus.config')), 'baseUrl')],
    [
      generators.yaml,
      async () => {
        const found = /^(?:root|baseurl)[ \t]*:[ \t]*["']?(\/[^\s"'#]*)/m.exec(await readSettings(generators.yaml!, ['_config.yml']))
        return found?.[1]
      }
    ],
    [
      generators.mdbook,
      async () => {
        const found = /^site-url[ \t]*=[ \t]*["'](\/[^"']*)["']/m.exec(await readSettings(generators.mdbook!, ['book.toml']))
        return found?.[1]
      }
    ]
  ]
  // The nearest generator's folder is the deepest path.
  candidates.sort((a, b) => (b[0]?.length ?? -1) - (a[0]?.length ?? -1))
  for (const [folder, value] of candidates) {
    if (folder === undefined) continue
    const found = await value()
    if (found === undefined) continue
    const trimmed = found.replace(/\/+$/, '')
    return trimmed === '' || /[?#\\]/.test(trimmed) ? undefined : `${trimmed}/`
  }
}

/** The first string literal given to `key` in a settings script (`base: '/docs/'`). */
function literal(text: string, key: string): string | undefined {
  return new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*(["'\`])(\\/[^"'\`$]*)\\1`, 'm').exec(text)?.[2]
}

/**
 * Every file of the served folders, by its path under the site root; the
 * first folder holding a path wins. Hidden files and folders are left out.
 *
 * @param root Source folder (absolute).
 * @param setting The `assets` setting.
 * @param generators The site generators enclosing the source folder.
 * @returns Path under the site root → path relative to the source folder (`/`-separated).
 */
async function servedFiles(root: string, setting: ReadonlyArray<string> | undefined, generators: SiteGenerators): Promise<Record<string, string>> {
  const served: Record<string, string> = {}
  for (const folder of servedFolders(root, setting, generators)) {
    const entries = await fs.readdir(folder, {recursive: true, withFileTypes: true}).catch(() => [])
    const names = entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .filter((name) => !name.split('/').some((part) => part.startsWith('.') || part === 'node_modules'))
      .sort(byPath)
    const prefix = path.relative(root, folder).split(path.sep).join('/')
    for (const name of names) if (!Object.hasOwn(served, name)) served[name] = `${prefix}/${name}`
  }

  return served
}

/** Whether a file of the source is an HTML page (`.html`, `.htm`). */
function isPageFile(name: string): boolean {
  return /\.html?$/i.test(name)
}

/**
 * The files the articles show or link to, without the HTML files of the
 * source an article's page stands on (see `shadowed-file`).
 *
 * @param assets Source-relative paths the articles use.
 * @param slugs The published articles' output paths.
 * @returns The assets to copy.
 */
export function publishedAssets(assets: ReadonlyArray<string>, slugs: Iterable<string>): Array<string> {
  const pages = new Set<string>()
  for (const slug of slugs) pages.add(fileNameKey(slug))
  return assets.filter((asset) => !isPageFile(asset) || !pages.has(fileNameKey(asset.replace(/\.html?$/i, ''))))
}

/** What the site-wide checks need of one article. */
export interface SiteEntry {
  file: VFile
  /** Present when the article built. */
  built?: {slug: string; ids: ReadonlyArray<string>; anchors: ReadonlyArray<AnchorLink>; assets?: ReadonlyArray<string>; slugPoint?: {line: number; column: number} | undefined}
}

/**
 * Site-wide checks, in place: two articles with one output path
 * (`duplicate-slug`), an article on a path the site uses (`reserved-path`:
 * the list of articles, the `ui` and `titles` i18next namespaces), an
 * article on the path of an HTML file of the source (`shadowed-file`),
 * and links to headings of other articles that do not exist (`broken-link`).
 *
 * @param entries Every article, in build order.
 * @param site The site.
 * @param formats Formats built.
 * @returns For each entry, whether it cannot be published.
 */
export function checkSite(entries: ReadonlyArray<SiteEntry>, site: Site, formats: ReadonlyArray<Format>): Array<boolean> {
  const failed = entries.map(() => false)
  const seen = new Map<string, {path: string; slug: string}>()
  const reserved = new Map<string, string>([
    [fileNameKey(site.listPage), `the list of articles (\`${site.listPage}.html\`)`],
    [fileNameKey('404'), 'the page for missing addresses (`404.html`)']
  ])
  if (formats.includes('json')) {
    reserved.set(fileNameKey('ui'), 'the interface strings (`json/resources/<locale>/ui.json`, namespace `ui`)')
    reserved.set(fileNameKey('titles'), 'the titles of the articles (`json/resources/<locale>/titles.json`, namespace `titles`)')
  }
  // An HTML file of the source on an article's path is a generator's shell
  // or template (Docsify's index.html beside README.md, a theme's fragment
  // beside index.md): the article's page is published, the file is not.
  const htmlFiles = new Map<string, string>()
  for (const asset of site.files) if (isPageFile(asset)) htmlFiles.set(fileNameKey(asset.replace(/\.html?$/i, '')), path.join(site.root, asset))

  for (const [index, {file, built}] of entries.entries()) {
    if (!built) continue
    const key = fileNameKey(built.slug)
    const place = built.slugPoint ?? {line: 1, column: 1}
    const taken = reserved.get(key)
    if (taken) {
      report(file, 'reserved-path', {slug: built.slug, taken}, {place})
      failed[index] = true
      continue
    }

    const shadowed = htmlFiles.get(key)
    if (shadowed) report(file, 'shadowed-file', {file: shadowed, slug: built.slug}, {place})

    const other = seen.get(key)
    if (!other) {
      seen.set(key, {path: file.path, slug: built.slug})
      continue
    }

    report(file, 'duplicate-slug', {slug: built.slug, other: other.path, otherSlug: other.slug}, {place})
    failed[index] = true
  }

  const ids = new Map<string, Set<string>>()
  for (const {built} of entries) if (built) ids.set(built.slug, new Set(built.ids))
  for (const {file, built} of entries) {
    for (const anchor of built?.anchors ?? []) {
      const target = ids.get(anchor.page)
      if (!target || target.has(anchor.fragment)) continue
      report(
        file,
        'broken-link',
        {url: anchor.url, problem: `the article \`${anchor.page}\` has no heading with the id \`${anchor.fragment}\`; ids come from the source heading text or a \`{#id}\``},
        {place: {line: anchor.line, column: anchor.column}, actual: anchor.href}
      )
    }
  }

  return failed
}

/**
 * Check the links of the article pages about to be published (see
 * {@link findBrokenLinks}): a link that finds nothing although its source
 * link resolved is an `output-broken-link` warning on the article, once per
 * URL; the source's own broken links (`broken-link`, `missing-image`, whose
 * `actual` is the URL as the pages write it) are not repeated.
 *
 * @param staging Staging folder holding the pages.
 * @param entries Manifest entries of everything staged so far.
 * @param owners Article slug → its file (messages go there).
 * @param sitePages Pages the site adds after the articles (lists, entry page), relative to `html/`.
 * @param scans Output path (`html/…`) → the page's links and ids, for the
 *   pages scanned where they were rendered (a map, or a walk over them that
 *   may be taken twice: they need not all be in memory); any other page is
 *   read from `staging`.
 * @param sourceBroken The URLs (`actual`) of an article's source broken
 *   links and images not among its file's messages (a build keeps its
 *   articles' messages on disk).
 * @param kept The output folder, when the build updates it in place: pages
 *   of unchanged articles are there, not in `staging`.
 * @param since What the last build's check found (see {@link LinkCheckSince}).
 * @returns How many links zhpress broke.
 */
export async function checkPublishedLinks(
  staging: string,
  entries: Iterable<ManifestEntry>,
  owners: ReadonlyMap<string, VFile>,
  sitePages: ReadonlyArray<string>,
  scans: PageScans = new Map(),
  sourceBroken: (file: VFile) => Iterable<string> = () => [],
  kept?: string,
  since: LinkCheckSince = {}
): Promise<number> {
  // A page not staged is one the build left in place in the output folder (`kept`).
  const readPage = async (name: string) => {
    try {
      return await fs.readFile(path.join(staging, 'html', name), 'utf8')
    } catch (error) {
      if (kept === undefined || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return fs.readFile(path.join(kept, 'html', name), 'utf8')
    }
  }

  const files = new Set(sitePages)
  const ownerOf = new Map<string, VFile>()
  for (const entry of entries) {
    if (!entry.path.startsWith('html/')) continue
    const name = entry.path.slice('html/'.length)
    files.add(name)
    if (entry.format !== 'html' || entry.article === null) continue
    const owner = owners.get(entry.article)
    if (owner) ownerOf.set(name, owner)
  }

  const digest = filesDigest(files)
  since.checked?.(digest)
  // Pages whose links need no look: as the last build published them, their targets the same (see LinkCheckSince).
  const settled = since.last && since.settled && since.last.broken === 0 && since.last.files === digest ? since.settled : undefined
  const looked = (name: string) => !settled?.has(ownerOf.get(name)!)
  const {linkCheck, scanPage} = await import('../site-links.ts')
  const walk = typeof scans === 'function' ? scans : async (visit: (file: string, scan: PageScan) => void) => scans.forEach((scan, file) => visit(file, scan))
  const check = linkCheck(new Set(ownerOf.keys()), files)
  const visited = new Set<string>()
  await walk(
    (file, scan) => {
      const name = file.slice('html/'.length)
      if (!file.startsWith('html/') || !ownerOf.has(name) || visited.has(name) || !looked(name)) return
      visited.add(name)
      check.visit(name, scan)
    },
    settled ? new Set([...ownerOf.keys()].filter(looked)) : undefined
  )
  // Pages without a scan (an entry of the cache from before scans were kept): read back.
  const read = new Map<string, PageScan>()
  for (const name of ownerOf.keys()) {
    if (visited.has(name) || !looked(name)) continue
    const scan = scanPage(await readPage(name))
    read.set(name, scan)
    check.visit(name, scan)
  }

  const wanted = new Set(check.wanted())
  for (const name of wanted) {
    const scan = read.get(name)
    if (scan) check.give(name, scan.ids)
  }

  if (wanted.size > read.size) {
    await walk((file, scan) => {
      const name = file.slice('html/'.length)
      if (file.startsWith('html/') && wanted.has(name) && !read.has(name)) check.give(name, scan.ids)
    }, wanted)
  }

  const known = new Map<VFile, Set<string>>()
  const brokenInSource = (file: VFile) => {
    let urls = known.get(file)
    if (!urls) {
      urls = new Set(file.messages.filter((message) => (message.ruleId === 'broken-link' || message.ruleId === 'missing-image') && message.actual).map((message) => urlKey(message.actual!)))
      for (const url of sourceBroken(file)) urls.add(urlKey(url))
      known.set(file, urls)
    }

    return urls
  }

  const seen = new Set<string>()
  let count = 0
  for (const link of check.broken()) {
    const file = ownerOf.get(link.page)!
    if (brokenInSource(file).has(urlKey(link.href))) continue
    count++
    // One message per link, not per locale.
    const key = `${file.path}\0${link.href}`
    if (seen.has(key)) continue
    seen.add(key)
    report(file, 'output-broken-link', {href: link.href, page: link.page, problem: link.problem}, {place: {line: 1, column: 1}})
  }

  return count
}

/**
 * The scans of the pages {@link checkPublishedLinks} checks: output path
 * (`html/…`) → links and ids, or a walk that calls `visit` for each (or at
 * least for each of `pages`, relative to `html/`, when it is given).
 */
export type PageScans = ReadonlyMap<string, PageScan> | ((visit: (file: string, scan: PageScan) => void, pages?: ReadonlySet<string>) => Promise<void>)

/**
 * What a rebuild knows of the last build's link check (`BuildStamp.linkCheck`).
 * When that check found no link broken by zhpress among the same files (the
 * files of `html/` the links could name, by digest), the pages of the
 * `settled` articles — published as they were, while every article built
 * again has the pages and ids it had — cannot have a broken link now: only
 * the other pages' links are checked (a one-article rebuild of a large site
 * reads four pages' scans instead of every page's).
 */
export interface LinkCheckSince {
  /** The last check: the digest of its files and how many links it found broken by zhpress. */
  last?: {files: string; broken: number} | undefined
  /** Articles (their files, as `owners` holds them) whose pages need no look when `last` allows it. */
  settled?: ReadonlySet<VFile> | undefined
  /** Told this check's digest of the files (for the next build's `last`). */
  checked?: (files: string) => void
}

/** The digest of a set of file names, whatever their order. */
function filesDigest(files: ReadonlySet<string>): string {
  const hash = createHash('sha256')
  for (const name of [...files].sort()) hash.update(name + '\n')
  return hash.digest('hex')
}

/** A URL with percent-encoding undone, so a written and an encoded form compare equal. */
function urlKey(value: string): string {
  try {
    return decodeURI(value)
  } catch {
    return value
  }
}

/**
 * The file an asset of the pages is copied from: the source file at that
 * path, else a file of a served folder (`/img/logo.png` from
 * `static/img/logo.png`).
 *
 * @param source Source folder (absolute).
 * @param asset Source-relative path.
 * @param site The site's files and served files.
 * @returns Absolute path.
 */
export function assetSource(source: string, asset: string, site?: Pick<SiteContext, 'files' | 'served'>): string {
  const own = site?.files.includes(asset) ?? false
  return path.join(source, !own && site?.served && Object.hasOwn(site.served, asset) ? site.served[asset]! : asset)
}

/**
 * Copy the files the articles show or link to into every locale's folder of
 * `html/`, at their source-relative paths, so the pages' relative links find them.
 *
 * @param staging Staging folder.
 * @param source Source folder (absolute).
 * @param assets Source-relative paths.
 * @param locales Locales built.
 * @param site The site's files and served files (where a root-served asset comes from).
 * @returns Manifest entries.
 */
export async function stageAssets(
  staging: string,
  source: string,
  assets: ReadonlyArray<string>,
  locales: ReadonlyArray<Locale>,
  site?: Pick<SiteContext, 'files' | 'served'>
): Promise<Array<ManifestEntry>> {
  const entries: Array<ManifestEntry> = []
  for (const asset of [...new Set(assets)].sort()) {
    const from = assetSource(source, asset, site)
    const bytes = await fs.readFile(from)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    for (const locale of locales) {
      const target = `html/${locale}/${asset}`
      await stageCopy(staging, target, from)
      entries.push({path: target, article: null, locale, format: 'asset', bytes: bytes.length, sha256})
    }
  }

  return entries
}
