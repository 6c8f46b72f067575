/**
 * Where each article of a source tree is published: its page path, the
 * output path without locale folder and extension (`guide/intro.md` →
 * `guide/intro`; `guide/index.md` and `guide/README.md` → `guide/index`;
 * front matter `slug` renames the last segment only).
 */
import {frontmatterBlock, readFrontmatterValues} from './frontmatter.ts'

/** What every article of a build knows about the others. */
export interface SiteContext {
  /** Source-relative path of every article (`/`-separated) → its page path. */
  pages: Record<string, string>
  /** Every other file of the source tree an article may show or link to, source-relative. */
  files: Array<string>
  /**
   * Files of the asset folders served at the site root (VitePress `public/`,
   * Docusaurus `static/`, the `assets` setting): path under the site root
   * (`img/logo.png`) → path relative to the source folder (`public/img/logo.png`,
   * `../../static/img/logo.png`). A root-absolute URL (`/img/logo.png`) finds them.
   */
  served?: Record<string, string>
  /**
   * `vitepress` when the source is a VitePress site (a `.vitepress/` folder in
   * the source folder or above it): headings also carry VitePress's ids.
   */
  headingIds?: 'vitepress'
  /**
   * The source's site renders TeX math (`$…$`, `$$…$$`): its generator's
   * settings turn a math extension on, or the `math` setting does. Math is
   * then parsed as such (never converted, no inline rules inside).
   */
  math?: boolean
  /**
   * The path the source's own site is published under (`/blog/`), from its
   * generator's settings (Hexo `root`, Jekyll `baseurl`, VitePress `base`,
   * Docusaurus `baseUrl`, mdBook `site-url`): a root-absolute URL that starts
   * with it and finds nothing as written is resolved without it.
   */
  basePath?: string
  /** Page path of the generated list of articles (`index`, or `articles` when the source has its own `index.md`). */
  listPage: string
}

const indexNames = new Set(['index.md', 'readme.md'])

/**
 * The page path of an article.
 *
 * @param sourcePath Path relative to the source folder, `/`-separated.
 * @param slug Front matter `slug`, when there is one.
 * @param articles Every article of the tree: a `README.md` beside an
 *   `index.md` is not the folder's index (the repository's read-me beside
 *   the site's page, as d2l and many VitePress repositories have) but a page
 *   of its own name.
 * @returns The page path.
 */
export function pagePath(sourcePath: string, slug?: string, articles?: ReadonlyArray<string>): string {
  // Docusaurus writes `slug: /` for the home page of the docs.
  if (slug === '/') return 'index'
  const slash = sourcePath.lastIndexOf('/')
  const folder = slash === -1 ? '' : sourcePath.slice(0, slash + 1)
  const name = sourcePath.slice(slash + 1)
  const besideIndex = name.toLowerCase() === 'readme.md' && articles?.some((other) => other.toLowerCase() === `${folder}index.md`.toLowerCase())
  const last = slug ?? (indexNames.has(name.toLowerCase()) && !besideIndex ? 'index' : fileSlug(name.replace(/\.md$/, '')))
  return folder + last
}

/**
 * The page name of a file name: each run of characters an output path
 * cannot hold (spaces, `&`, `?`, `#`, `%`…, see {@link isSafeSegment}) becomes
 * one `-`, as blog generators name their pages (`Spring Boot 入门` →
 * `Spring-Boot-入门`). A name left unsafe (a reserved name, control or
 * format characters) stays as it is, for the build to refuse.
 *
 * @param stem File name without `.md`.
 */
export function fileSlug(stem: string): string {
  // Control and format characters (a terminal escape, a right-to-left override) are no naming
  // habit: such a name stays as it is, and the build refuses it (`unsafe-slug`).
  if (isSafeSegment(stem) || /\p{C}/u.test(stem)) return stem
  const renamed = stem.replace(/[^\p{L}\p{M}\p{N}._~@(),'!=+-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '')
  return renamed !== '' && isSafeSegment(renamed) ? renamed : stem
}

/**
 * The front matter `slug` of an article, read without parsing the rest:
 * the site's page paths are known before any article is built.
 *
 * @param text The article.
 * @returns The slug, or `undefined` when there is none (or the front matter does not parse: the build reports it).
 */
export function scanSlug(text: string): string | undefined {
  const front = frontmatterBlock(text)
  // A key `slug` is written with these letters, or with an escape of a double-quoted key (a backslash),
  // or brought by an alias or a merge (`<<`) of an anchor that writes them: front matter with none of
  // these (most) has no slug, and is not parsed.
  if (front === undefined || !/slug|\\|<</.test(front.value)) return undefined
  const slug = readFrontmatterValues(front.value, front.kind).slug
  // A copy of its own: a slice of the text would keep the whole article in memory (V8 slices share
  // their parent), and the site's page map holds a slug for every article of the site.
  return slug === undefined ? undefined : (JSON.parse(JSON.stringify(slug)) as string)
}

/**
 * The page path of the generated list of articles: `index` unless the
 * source root has its own index article, which is then the home page.
 *
 * @param pages Page paths of the articles.
 * @returns `index` or `articles`.
 */
export function listPagePath(pages: Record<string, string>): string {
  return Object.values(pages).includes('index') ? 'articles' : 'index'
}

// Windows reserves these names with any extension too (`nul.tar.gz` is NUL).
const reservedWindowsNames = /^(?:con|prn|aux|nul|com[\d¹²³]|lpt[\d¹²³])(?:\..*)?$/i

/**
 * Whether a folder or file name from the source tree can be a segment of an
 * output path: letters, digits and `-_.+~@(),'!=`, no spaces, nothing a URL
 * or Windows gives a meaning to, not a reserved name, not starting with `.`.
 *
 * @param segment One folder or file name (without `.md`).
 */
export function isSafeSegment(segment: string): boolean {
  return /^[\p{L}\p{M}\p{N}_~@(),'!=+-][\p{L}\p{M}\p{N}._~@(),'!=+-]*$/u.test(segment) && !segment.endsWith('.') && !reservedWindowsNames.test(segment)
}

/**
 * Relative URL from one page to another path of the same output tree.
 *
 * @param fromPage Page path of the linking page (`guide/intro`).
 * @param to Target path with extension (`api/index.html`).
 * @returns `../api/index.html`, `intro.html`…
 */
export function relativeUrl(fromPage: string, to: string): string {
  const from = fromPage.split('/').slice(0, -1)
  const target = to.split('/')
  let common = 0
  while (common < from.length && common < target.length - 1 && from[common] === target[common]) common++
  return '../'.repeat(from.length - common) + target.slice(common).join('/')
}
