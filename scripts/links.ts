/**
 * Links between the articles of a site, and heading ids.
 *
 * Heading ids come from the source text (or a `{#custom-id}`), so they are
 * the same in every locale. Links are resolved once, on the source tree:
 * relative (`../guide/intro.md`, `intro.md#安装`) and root-absolute
 * (`/guide/intro`, `/guide/intro.html`, resolved against the source folder)
 * links to articles become relative links to the same article in the same
 * locale (`.html` in pages, `.md` in Markdown outputs); links to other
 * files of the source tree are assets, copied beside the pages.
 */
import {slugify as vitepressSlug} from '@mdit-vue/shared'
import GithubSlugger from 'github-slugger'
import type {Element, Nodes as HastNodes, Root as HastRoot} from 'hast'
import type {Definition, Heading, Image, Link, Nodes, Root, Text} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {walk} from './walk.ts'
import {report} from './diagnostics.ts'
import {relativeUrl, type SiteContext} from './pages.ts'
import {walkHtml} from './raw-html.ts'
import type {Edit} from './types.ts'

/** `## 标题 {#custom-id}` as VitePress, Docusaurus and Pandoc write it; `{/* custom-id *\/}` (spaced: no emphasis) as react.dev does. */
const customIdPattern = /[ \t]*(?:\{#([^\s{}]+)\}|\{\/\*[ \t]*([^\s{}*]+)[ \t]*\*\/\})[ \t]*$/

/**
 * A heading's custom id, and how to take it out of the heading's text:
 * `## 标题 {#custom-id}` (VitePress, Docusaurus, Pandoc), or
 * `## 标题 {/*custom-id*\/}` as react.dev and its translations write it (an
 * MDX comment their own plugin reads), which CommonMark parses as the text
 * `{/`, the emphasis `custom-id` and the text `/}`.
 *
 * @param heading A heading of a tree.
 * @returns The id and a function that removes it from the heading, or `undefined`.
 */
function customId(heading: Heading): {id: string; strip: () => void} | undefined {
  const children = heading.children
  const last = children.at(-1)
  if (last?.type !== 'text') return undefined
  const braces = customIdPattern.exec(last.value)
  if (braces) {
    return {
      id: braces[1] ?? braces[2]!,
      strip() {
        last.value = last.value.replace(customIdPattern, '')
        if (last.value === '') children.pop()
      }
    }
  }

  const emphasis = children.at(-2)
  const before = children.at(-3)
  if (!/^\/\}[ \t]*$/.test(last.value) || emphasis?.type !== 'emphasis' || before?.type !== 'text' || !/\{\/$/.test(before.value)) return undefined
  const inner = emphasis.children.length === 1 && emphasis.children[0]!.type === 'text' ? /^[ \t]*([^\s{}*]+)[ \t]*$/.exec(emphasis.children[0].value) : null
  if (!inner) return undefined
  return {
    id: inner[1]!,
    strip() {
      children.splice(-2, 2)
      before.value = before.value.replace(/[ \t]*\{\/$/, '')
      if (before.value === '') children.pop()
    }
  }
}

/**
 * The id of every heading, in document order, from the source text: a
 * `{#custom-id}` when written, else GitHub's slug of the text (as
 * rehype-slug makes it, duplicates numbered).
 *
 * @param tree Source tree.
 * @param textOf The text of a heading to slug (default: as written; see {@link fixedHeadingText}).
 * @returns One id per heading.
 */
export function headingIds(tree: Root, textOf: (heading: Heading) => string = headingText): Array<string> {
  const slugger = new GithubSlugger()
  const ids: Array<string> = []
  walk<Nodes>(tree, (node) => {
    if (node.type !== 'heading') return
    const custom = customId(node)
    if (custom) {
      ids.push(custom.id)
      slugger.slug(custom.id)
    } else {
      ids.push(slugger.slug(textOf(node)))
    }
  })
  return ids
}

/** Every heading of a tree, in document order. */
export function headingsOf(tree: Root): Array<Heading> {
  const headings: Array<Heading> = []
  walk<Nodes>(tree, (node) => void (node.type === 'heading' && headings.push(node)))
  return headings
}

/**
 * Heading ids made of the source text → the ids the pages give them, where
 * they differ (see {@link fixedHeadingText}).
 *
 * @param written Ids from the text as written.
 * @param ids Ids the pages give the same headings.
 */
export function renamedIds(written: ReadonlyArray<string>, ids: ReadonlyArray<string>): Map<string, string> {
  const renamed = new Map<string, string>()
  for (const [index, id] of written.entries()) if (id !== ids[index] && !renamed.has(id)) renamed.set(id, ids[index]!)
  return renamed
}

/** The text a reader sees: raw HTML in the heading (`<a name="x"></a>`) is no part of it, as on GitHub. */
function headingText(heading: Heading): string {
  return toString(heading, {includeHtml: false})
}

/**
 * The text of headings with fixes made to the source (a Traditional
 * source's standard forms, which every output carries): ids from it match
 * the headings as the pages show them.
 *
 * @param source The article's source text.
 * @param fixes Replacements at source offsets, in order, none overlapping.
 * @returns A heading's text with the fixes inside its text nodes made.
 */
export function fixedHeadingText(source: string, fixes: ReadonlyArray<{start: number; end: number; fix: string}>): (heading: Heading) => string {
  return (heading) => {
    const start = heading.position?.start.offset
    const end = heading.position?.end.offset
    if (start === undefined || end === undefined || !fixes.some((fix) => fix.start >= start && fix.end <= end)) return headingText(heading)
    const copy = structuredClone(heading)
    walk<Nodes>(copy, (node) => {
      if (node.type !== 'text') return
      const from = node.position?.start.offset
      const to = node.position?.end.offset
      // Only text written as it reads (no escapes, no entities) has its fixes at known places.
      if (from === undefined || to === undefined || source.slice(from, to) !== node.value) return
      let text = ''
      let cursor = from
      for (const fix of fixes) {
        if (fix.start < cursor || fix.end > to) continue
        text += source.slice(cursor, fix.start) + fix.fix
        cursor = fix.end
      }

      node.value = text + source.slice(cursor, to)
    })
    return headingText(copy)
  }
}

/**
 * The id VitePress gives each heading, where it differs from the heading's
 * own id (see {@link headingIds}): VitePress slugs with its own rule
 * (`@mdit-vue/shared`'s `slugify`: `## vi.fn` is `vi-fn`, GitHub's slug is
 * `vifn`; full-width punctuation becomes `-`), so links written for a
 * VitePress site name headings by it. The pages give such a heading both
 * ids. Duplicates are numbered as VitePress numbers them (`-1`, `-2`); an id
 * that another heading already has is left out.
 *
 * @param tree Source tree.
 * @param ids The headings' own ids, from {@link headingIds}.
 * @param textOf The text of a heading to slug, as for {@link headingIds}.
 * @returns One entry per heading: VitePress's id, or `undefined` where it is the same, or the heading has a `{#custom-id}`.
 */
export function vitepressHeadingIds(tree: Root, ids: ReadonlyArray<string>, textOf: (heading: Heading) => string = headingText): Array<string | undefined> {
  const own = new Set(ids)
  const seen = new Set<string>()
  const result: Array<string | undefined> = []
  walk<Nodes>(tree, (node) => {
    if (node.type !== 'heading') return
    const custom = customId(node)
    if (custom) {
      seen.add(custom.id)
      result.push(undefined)
      return
    }

    const slug = vitepressSlug(textOf(node))
    let id = slug
    for (let count = 1; seen.has(id); count++) id = `${slug}-${count}`
    seen.add(id)
    const index = result.length
    result.push(id === '' || id === ids[index] || own.has(id) ? undefined : id)
  })
  return result
}

/**
 * The ids of empty anchors an author put in headings in raw HTML
 * (`## <a name="setup"></a>安裝`, as translated Microsoft docs and many
 * READMEs write), where they differ from the headings' own ids: links from
 * other articles name the heading by them. The sanitizer prefixes raw ids
 * (`user-content-setup`), so the pages give such a heading the id as an
 * empty anchor of their own as well. Only ids of letters, digits, `-`, `_`,
 * `.` and `:` are taken; an id taken by an earlier heading is left out.
 *
 * @param tree Source tree.
 * @param ids The headings' own ids, from {@link headingIds}.
 * @returns One list per heading (empty: none).
 */
export function rawHeadingAnchors(tree: Root, ids: ReadonlyArray<string>): Array<Array<string>> {
  const seen = new Set(ids)
  const result: Array<Array<string>> = []
  walk<Nodes>(tree, (node) => {
    if (node.type !== 'heading') return
    const found: Array<string> = []
    for (const child of node.children) {
      if (child.type !== 'html') continue
      walkHtml(child.value, 0, {
        element(tagName, attributes) {
          for (const {name, value} of attributes) {
            if (!(name === 'id' || (name === 'name' && tagName === 'a'))) continue
            if (!/^[\p{L}\p{N}][\p{L}\p{N}_.:-]*$/u.test(value) || value.startsWith(clobberPrefix) || seen.has(value)) continue
            seen.add(value)
            found.push(value)
          }
        }
      })
    }

    result.push(found)
  })
  return result
}

/** The sanitizer's prefix for ids of raw HTML (GitHub's). */
const clobberPrefix = 'user-content-'

/**
 * Prepare a (converted) body tree for HTML: mark each heading with its index
 * (the ids are put on after sanitizing, see {@link rehypeHeadingIds}) and
 * take `{#custom-id}` out of its text.
 *
 * @param tree Body tree, changed in place.
 */
export function markHeadings(tree: Root): void {
  let index = 0
  walk<Nodes>(tree, (node) => {
    if (node.type !== 'heading') return
    node.data = {...node.data, hProperties: {...node.data?.hProperties, id: `${headingMarker}${index++}`}}
  })
  stripCustomIds(tree)
}

/**
 * Take `{#custom-id}` (or `{/*custom-id*\/}`) out of the text of every heading.
 *
 * @param tree Body tree, changed in place.
 */
export function stripCustomIds(tree: Root): void {
  walk<Nodes>(tree, (node) => {
    if (node.type === 'heading') customId(node)?.strip()
  })
}

const headingMarker = 'zhpress-heading-'

/**
 * After sanitizing: replace a heading marker of {@link markHeadings}
 * (prefixed by the sanitizer) with the source id in `ids`
 * (`file.data.headingIds`). A step of the body's pass after sanitizing.
 *
 * @param node An element, changed in place.
 * @param ids Source ids of the headings, in document order.
 */
export function applyHeadingId(node: Element, ids: ReadonlyArray<string>, alternates?: ReadonlyArray<ReadonlyArray<string>>): void {
  const id = node.properties.id
  if (typeof id !== 'string') return
  const at = id.indexOf(headingMarker)
  if (at === -1) return
  const index = Number(id.slice(at + headingMarker.length))
  if (ids[index] === undefined) delete node.properties.id
  else node.properties.id = ids[index]
  // The site generator's id and the author's raw anchors as well (see `vitepressHeadingIds`,
  // `rawHeadingAnchors`): empty anchors a link can land on.
  if (ids[index] === undefined) return
  const more = alternates?.[index] ?? []
  for (let at = more.length - 1; at >= 0; at--) node.children.unshift({type: 'element', tagName: 'a', properties: {id: more[at]!}, children: []})
}

/**
 * rehype plugin, before sanitizing: rewrite link and image URLs through
 * `file.data.urls` (from {@link resolveLinks}).
 */
export function rehypeRewriteUrls() {
  return (tree: HastRoot, file: VFile) => {
    const urls = file.data.urls
    if (!urls) return
    walk<HastNodes>(tree, (node) => {
      if (node.type !== 'element') return
      for (const key of ['href', 'src'] as const) {
        const value = node.properties[key]
        const written = typeof value === 'string' ? urlKey(value) : undefined
        if (written !== undefined && Object.hasOwn(urls, written)) node.properties[key] = urls[written]!
      }
    })
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Ids of the headings, in document order (see {@link headingIds}). */
    headingIds?: Array<string>
    /** More ids of each heading: the site generator's and the author's raw anchors (see {@link vitepressHeadingIds}, {@link rawHeadingAnchors}). */
    alternateHeadingIds?: Array<ReadonlyArray<string>>
    /** URL as written → URL in the HTML pages. */
    urls?: Record<string, string>
  }
}

/** A link into another article with a fragment, checked once every article is built. */
export interface AnchorLink {
  /** The URL as written. */
  url: string
  /** Page path of the target. */
  page: string
  /** The fragment, decoded. */
  fragment: string
  /** The URL as the pages write it. */
  href: string
  line: number
  column: number
}

/** What an article's links need from the build. */
export interface ArticleLinks {
  /** URL as written (as the HTML tree holds it) → URL to write in the HTML pages. */
  urls: Record<string, string>
  /** Replacements of link destinations in the Markdown outputs. */
  edits: Array<Edit>
  /** Links into other articles with a fragment. */
  anchors: Array<AnchorLink>
  /** Source-relative paths of the files the article shows or links to (copied beside the pages). */
  assets: Array<string>
  /** For each of the `images` given besides the tree (front matter `image`): its URL in the pages, `undefined` when missing. */
  images?: Array<string | undefined>
}

type Target = {kind: 'page'; page: string} | {kind: 'file'; path: string} | {kind: 'missing'; path: string}

/**
 * A site's page paths and files as sets, made once per site: every article
 * of a build shares one site object (a worker gets it once), and making
 * them for each article took time quadratic in the size of the site.
 * A memo, like the converters of `convert/engine.ts`; weak, so that a
 * site's sets go with it.
 */
const sitesSets = new WeakMap<SiteContext, {pages: Set<string>; files: Set<string>}>()

function siteSets(site: SiteContext): {pages: Set<string>; files: Set<string>} {
  let sets = sitesSets.get(site)
  if (!sets) {
    sets = {pages: new Set(Object.values(site.pages)), files: new Set(site.files)}
    sitesSets.set(site, sets)
  }

  return sets
}

/**
 * One question an article asked of the site while it was built, and the
 * answer: `page` is the page path of a source path (`null`: no such
 * article), `isPage` whether a page path is an article's, `file` whether a
 * file of the source tree exists, `served` whether a file of the folders
 * served at the site root does. An article's outputs depend on the rest of
 * the site through these answers only, so while every answer is the same
 * its cached outputs hold, whatever else was added, removed or renamed.
 */
export type SiteLookup = ['page', string, string | null] | ['isPage' | 'file' | 'served', string, boolean]

/** Ask the site, and record the question and its answer (see {@link SiteLookup}). */
export interface SiteAsker {
  page(sourcePath: string): string | undefined
  isPage(page: string): boolean
  file(path: string): boolean
  served(path: string): boolean
  /** Every question asked so far with its answer, each once, in the order first asked. */
  lookups: Array<SiteLookup>
}

function answer(site: SiteContext, kind: SiteLookup[0], key: string): string | null | boolean {
  if (kind === 'page') return Object.hasOwn(site.pages, key) ? site.pages[key]! : null
  if (kind === 'isPage') return siteSets(site).pages.has(key)
  if (kind === 'file') return siteSets(site).files.has(key)
  return site.served !== undefined && Object.hasOwn(site.served, key)
}

/**
 * An asker of a site that records what it is asked.
 *
 * @param site The site.
 * @returns The asker; its `lookups` go with the article's summary.
 */
export function siteAsker(site: SiteContext): SiteAsker {
  const lookups: Array<SiteLookup> = []
  const asked = new Map<string, string | null | boolean>()
  const ask = (kind: SiteLookup[0], key: string) => {
    const id = kind + '\0' + key
    if (asked.has(id)) return asked.get(id)!
    const value = answer(site, kind, key)
    asked.set(id, value)
    lookups.push([kind, key, value] as SiteLookup)
    return value
  }

  return {
    page: (sourcePath) => (ask('page', sourcePath) as string | null) ?? undefined,
    isPage: (page) => ask('isPage', page) as boolean,
    file: (name) => ask('file', name) as boolean,
    served: (name) => ask('served', name) as boolean,
    lookups
  }
}

/**
 * Whether a site gives every recorded question the recorded answer: an
 * article built with those answers would be built the same in this site.
 *
 * @param lookups From {@link SiteAsker.lookups}.
 * @param site The site now.
 */
export function siteLookupsHold(lookups: ReadonlyArray<SiteLookup>, site: SiteContext): boolean {
  for (const [kind, key, value] of lookups) if (answer(site, kind, key) !== value) return false
  return true
}

/**
 * Resolve every link and image of an article, report the broken ones
 * (`broken-link`, `missing-image` warnings with their position), and work
 * out what the outputs write instead.
 *
 * @param tree Source tree.
 * @param file The article.
 * @param sourcePath Its path relative to the source folder.
 * @param page Its page path.
 * @param site Every article's page path and the other files.
 * @param ids Its heading ids (from {@link headingIds}), and the site generator's where they differ.
 * @param images Images named outside the tree (front matter `image`), with their source offsets.
 * @param asker Asks `site`, recording what the article's outputs depend on (see {@link siteAsker}).
 * @param renamed Where heading ids differ from the source's text (a
 *   Traditional source's standard forms, see {@link fixedHeadingText}): a
 *   fragment as written → the id the pages give it; `standard` maps a
 *   fragment into another article the same way.
 * @returns URLs for the pages, edits for the Markdown, links to check, assets.
 */
export function resolveLinks(
  tree: Root,
  file: VFile,
  sourcePath: string,
  page: string,
  site: SiteContext,
  ids: ReadonlyArray<string>,
  images: ReadonlyArray<{url: string; offset: number}> = [],
  asker: SiteAsker = siteAsker(site),
  renamed?: {ids: ReadonlyMap<string, string>; standard: (fragment: string) => string}
): ArticleLinks {
  const source = String(file.value)
  const where = location(file)
  const result: ArticleLinks = {urls: {}, edits: [], anchors: [], assets: []}
  const own = new Set(ids)
  const rawIds = new Set<string>()
  walk<Nodes>(tree, (node) => {
    if (node.type !== 'html' || node.position?.start.offset === undefined) return
    walkHtml(node.value, node.position.start.offset, {
      element(_, attributes) {
        for (const attribute of attributes) if (attribute.name === 'id' || attribute.name === 'name') rawIds.add(attribute.value)
      }
    })
  })

  const place = (offset: number | undefined) => where.toPoint(offset ?? 0) ?? {line: 1, column: 1}
  // A heading's id in standard forms, named by its source form.
  const ownRenamed = (fragment: string): string | undefined => {
    if (!renamed) return
    const id = renamed.ids.get(fragment) ?? renamed.standard(fragment)
    return id !== fragment && own.has(id) ? id : undefined
  }
  // `actual`: the URL as the pages write it (a broken link is left as written), so the
  // check of the published pages can tell the source's broken links from any zhpress made.
  const noHeading = (url: string, fragment: string, offset: number | undefined, href = url) =>
    report(
      file,
      'broken-link',
      {url, problem: `no heading with the id \`${fragment}\` in this article; ids come from the source heading text or a \`{#id}\``},
      {place: place(offset), actual: href}
    )

  const handle = (url: string, offset: number | undefined, kind: 'link' | 'image', raw?: {start: number; end: number}): string | undefined => {
    if (url === '' || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return
    const hash = url.indexOf('#')
    const pathAndQuery = hash === -1 ? url : url.slice(0, hash)
    const fragment = hash === -1 ? undefined : decode(url.slice(hash + 1))
    const question = pathAndQuery.indexOf('?')
    const pathPart = question === -1 ? pathAndQuery : pathAndQuery.slice(0, question)
    const suffix = url.slice(pathPart.length)

    if (pathPart === '') {
      if (fragment === undefined || fragment === '') return
      if (own.has(fragment)) return
      const renamedId = ownRenamed(fragment)
      if (renamedId !== undefined) {
        result.urls[urlKey(url)] = `#${encodeURIComponent(renamedId)}`
        return
      }

      if (rawIds.has(fragment)) {
        // The sanitizer prefixes ids of raw HTML: follow it.
        result.urls[urlKey(url)] = `#user-content-${url.slice(hash + 1)}`
        return
      }

      // A hash router's route (ditto's `#docs/let`, Docsify's
      // `#/guide/install?id=下载`) that names an article of the source.
      const route = hashRoute(fragment)
      const routed = route && resolveTarget(`/${route.path}`, sourcePath, site, asker)
      if (route && routed?.kind === 'page') {
        const id = route.id === undefined ? '' : `#${encodeURIComponent(route.id)}`
        const html = handle(`/${encodePath(route.path)}${id}`, offset, kind)!
        result.urls[urlKey(url)] = html
        if (raw) {
          const markdown = relativeUrl(page, routed.page + '.md') + id
          result.edits.push({start: raw.start, end: raw.end, text: /[\s()<>]/.test(markdown) ? `<${markdown}>` : markdown})
          result.urls[urlKey(markdown)] = html
        }

        return html
      }

      noHeading(url, fragment, offset)
      return
    }

    const target = resolveTarget(decode(pathPart), sourcePath, site, asker)
    if (!target) return
    if (target.kind === 'missing') {
      if (kind === 'image') report(file, 'missing-image', {url, path: target.path}, {place: place(offset), actual: url})
      else report(file, 'broken-link', {url, problem: `no article or file \`${target.path}\` in the source folder`}, {place: place(offset), actual: url})
      return
    }

    if (target.kind === 'file') {
      if (!result.assets.includes(target.path)) result.assets.push(target.path)
      const html = relativeUrl(page, encodePath(target.path)) + suffix
      if (html !== url) result.urls[urlKey(url)] = html
      return html
    }

    let html = relativeUrl(page, encodePath(target.page) + '.html') + suffix
    const withFragment = (id: string) => html.slice(0, html.length - (url.length - hash - 1)) + id
    // A link to this article by its path (`./hld.md#x`) follows a raw HTML id's prefix as an in-page one does.
    const renamedId = fragment && target.page === page && !own.has(fragment) ? ownRenamed(fragment) : undefined
    if (renamedId !== undefined) html = withFragment(encodeURIComponent(renamedId))
    else if (fragment && target.page === page && !own.has(fragment) && rawIds.has(fragment)) html = withFragment(`user-content-${url.slice(hash + 1)}`)
    // Into another article: the fragment in the standard forms that article's ids are made of.
    const otherFragment = fragment && target.page !== page && renamed ? renamed.standard(fragment) : fragment
    if (otherFragment !== fragment) html = withFragment(encodeURIComponent(otherFragment!))
    if (html !== url) result.urls[urlKey(url)] = html
    if (fragment) {
      const point = place(offset)
      if (target.page === page) {
        if (!own.has(fragment) && renamedId === undefined && !rawIds.has(fragment)) noHeading(url, fragment, offset, html)
      } else {
        result.anchors.push({url, page: target.page, fragment: otherFragment!, href: html, line: point.line, column: point.column})
      }
    }

    if (raw) {
      const written = source.slice(raw.start, raw.end)
      const writtenSuffix = /[?#]/.exec(written)
      const markdown = relativeUrl(page, target.page + '.md') + (writtenSuffix ? written.slice(writtenSuffix.index) : '')
      if (markdown !== written) {
        result.edits.push({start: raw.start, end: raw.end, text: /[\s()<>]/.test(markdown) ? `<${markdown}>` : markdown})
        // The pages are rendered from the converted Markdown, which holds the rewritten link.
        result.urls[urlKey(markdown)] = html
      }
    }

    return html
  }

  walk<Nodes>(tree, (node) => {
    const offset = node.position?.start.offset
    if (node.type === 'link' || node.type === 'definition') {
      handle((node as Link | Definition).url, offset, 'link', destinationRange(source, node as Link | Definition))
    } else if (node.type === 'image') {
      handle((node as Image).url, offset, 'image')
    } else if (node.type === 'html' && offset !== undefined) {
      walkHtml(node.value, offset, {
        element(tagName, attributes, inert) {
          if (inert) return
          for (const attribute of attributes) {
            if ((attribute.name === 'href' && tagName === 'a') || (attribute.name === 'src' && ['img', 'source', 'video', 'audio'].includes(tagName))) {
              handle(attribute.value, attribute.start, tagName === 'a' ? 'link' : 'image')
            }
          }
        }
      })
    }
  })

  if (images.length > 0) result.images = images.map((image) => handle(image.url, image.offset, 'image'))
  result.edits.sort((a, b) => a.start - b.start)
  result.assets.sort()
  return result
}

/**
 * The route of a hash router in a fragment (`docs/let` of `#docs/let`,
 * `guide/install` and the heading `下载` of Docsify's
 * `#/guide/install?id=下载`): a fragment with a `/` in its path part.
 *
 * @param fragment The fragment, decoded.
 * @returns The path (no leading `/`) and the heading id, or `undefined`.
 */
function hashRoute(fragment: string): {path: string; id?: string} | undefined {
  const question = fragment.indexOf('?')
  const route = question === -1 ? fragment : fragment.slice(0, question)
  const path = route.replace(/^\/+/, '')
  if (!route.includes('/') || path === '' || /\s/.test(path)) return undefined
  const id = question === -1 ? null : new URLSearchParams(fragment.slice(question + 1)).get('id')
  return id ? {path, id} : {path}
}

/** A URL as a key of `urls`: percent-decoding undone, so Markdown's encoded form and HTML's written form meet. */
function urlKey(value: string): string {
  try {
    return decodeURI(value)
  } catch {
    return value
  }
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** Percent-encode what a URL cannot hold as written (spaces, `#`, `?`, `%`); keep Han characters readable. */
function encodePath(value: string): string {
  return value.replace(/[\s#?%"<>\\^`{|}]/g, (character) => encodeURIComponent(character))
}

/**
 * Where a link points, relative to the source folder.
 *
 * @param basePath The site's sub-path still to try taking off a root-absolute URL (see `SiteContext.basePath`).
 * @returns A page, a file, a missing path, or `undefined` when the link leaves the source folder.
 */
function resolveTarget(
  pathPart: string,
  sourcePath: string,
  site: SiteContext,
  asker: SiteAsker,
  basePath = site.basePath
): Target | undefined {
  const absolute = pathPart.startsWith('/')
  const folder = sourcePath.includes('/') ? sourcePath.slice(0, sourcePath.lastIndexOf('/')) : ''
  const joined = normalizePath(absolute ? pathPart.slice(1) : folder ? `${folder}/${pathPart}` : pathPart)
  if (joined === undefined) return undefined
  const folderLink = pathPart.endsWith('/') || joined === ''
  const base = joined.replace(/\/$/, '')
  // Docusaurus makes a doc named as its folder (`linux/linux.md`) the folder's page, and
  // serves a doc with or without a trailing slash (`/linux/install/`).
  const named = base ? [`${base}/${base.slice(base.lastIndexOf('/') + 1)}.md`] : []
  const candidates = folderLink
    ? [`${base ? base + '/' : ''}index.md`, `${base ? base + '/' : ''}README.md`, `${base ? base + '/' : ''}readme.md`, ...named, ...(base ? [`${base}.md`] : [])]
    : /\.md$/i.test(base)
      ? [base]
      : /\.html?$/i.test(base)
        ? [base.replace(/\.html?$/i, '.md'), base.replace(/\.html?$/i, '/index.md')]
        : [`${base}.md`, `${base}/index.md`, `${base}/README.md`, `${base}/readme.md`, ...named]
  for (const candidate of candidates) {
    const page = asker.page(candidate)
    if (page !== undefined) return {kind: 'page', page}
  }

  // A page path itself (an article renamed by `slug`), written with or without `.html`.
  const pageName = folderLink ? `${base ? base + '/' : ''}index` : base.replace(/\.html?$/i, '')
  if (asker.isPage(pageName)) return {kind: 'page', page: pageName}
  if (!folderLink && asker.file(base)) return {kind: 'file', path: base}
  // Asset folders served at the root of the site (VitePress `public/`, Docusaurus `static/`):
  // the file is copied to its place under the root, `img/logo.png`. A relative URL that
  // climbs to the root finds them as the browser does (`../images/a.png` from `learn/x`).
  if (!folderLink && asker.served(base)) return {kind: 'file', path: base}
  // Docusaurus serves the docs under `/docs/` (its default route base path).
  if (absolute && /^\/docs(?:\/|$)/.test(pathPart)) {
    const inner = resolveTarget(pathPart.slice('/docs'.length) || '/', '', site, asker, basePath)
    if (inner && inner.kind !== 'missing') return inner
  }

  // A site published under a sub-path writes it in its own links (`/blog/assets/a.png`).
  if (absolute && basePath !== undefined && (pathPart.startsWith(basePath) || pathPart === basePath.slice(0, -1))) {
    const inner = resolveTarget(pathPart.slice(basePath.length - 1) || '/', '', site, asker, undefined)
    if (inner) return inner
  }

  return {kind: 'missing', path: folderLink ? candidates[0]! : /\.[a-z\d]+$/i.test(base) ? base : `${base}.md`}
}

/**
 * Resolve `.` and `..` in a `/`-separated path; `undefined` when it leaves
 * the root. A trailing `/` is kept.
 */
export function normalizePath(value: string): string | undefined {
  const parts: Array<string> = []
  for (const part of value.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else {
      parts.push(part)
    }
  }

  return parts.join('/') + (value.endsWith('/') && parts.length > 0 ? '/' : '')
}

/**
 * The source range of a link's or definition's destination: `dest` in
 * `[text](dest "title")` or `[label]: dest`, angle brackets excluded.
 */
function destinationRange(source: string, node: Link | Definition): {start: number; end: number} | undefined {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined) return undefined
  let index: number
  if (node.type === 'link') {
    if (source.charCodeAt(start) !== 91 /* [ */) return undefined // an autolink
    const lastChild = (node.children.at(-1) as Text | undefined)?.position?.end.offset ?? start + 1
    index = source.indexOf('](', lastChild)
    if (index === -1 || index >= end) return undefined
    index += 2
  } else {
    index = source.indexOf(']:', start)
    if (index === -1 || index >= end) return undefined
    index += 2
  }

  while (index < end && /\s/.test(source.charAt(index))) index++
  if (source.charAt(index) === '<') {
    const close = source.indexOf('>', index)
    return close === -1 || close > end ? undefined : {start: index + 1, end: close}
  }

  let depth = 0
  let stop = index
  while (stop < end) {
    const character = source.charAt(stop)
    if (character === '\\') {
      stop += 2
      continue
    }

    if (/\s/.test(character)) break
    if (character === '(') depth++
    if (character === ')') {
      if (depth === 0) break
      depth--
    }

    stop++
  }

  return stop > index ? {start: index, end: stop} : undefined
}
