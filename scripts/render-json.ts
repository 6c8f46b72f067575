/**
 * The document model (one article, one locale) and its i18next resources.
 * Their schemas and types: scripts/schemas.ts, scripts/bundle-types.ts.
 */
import fs from 'node:fs'
import type {Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {AlternatePaths, ArticleDocument, ArticleResource, TitlesResource} from './bundle-types.ts'
import type {Locale} from './locales.ts'

export {articleSchema, schemaVersion, typesBanner} from './schemas.ts'

export type {AlternatePaths, Alternates, ArticleDocument, MdastNode, MdastRoot, Stats, TocEntry} from './bundle-types.ts'

/** Where each output of an article is written, relative to the output folder (dist/). */
export function outputPaths(locale: Locale, slug: string): {markdown: string; json: string; html: string; resource: string} {
  return {
    markdown: `markdown/${locale}/${slug}.md`,
    json: `json/${locale}/${slug}.json`,
    html: `html/${locale}/${slug}.html`,
    resource: `json/resources/${locale}/${slug}.json`
  }
}

/**
 * Where an article is published in a locale, as the documents' `alternates`
 * say: the page relative to the site root (the `html/` folder a base URL
 * points at), the JSON and Markdown relative to their own folders, and the
 * page's absolute URL when there is a base URL.
 *
 * @param locale The locale.
 * @param slug The article's slug.
 * @param baseUrl Absolute URL of the site root, ending in `/`.
 * @returns The paths.
 */
export function alternatePaths(locale: Locale, slug: string, baseUrl?: string): AlternatePaths {
  const html = `${locale}/${slug}.html`
  return {html, json: `${locale}/${slug}.json`, markdown: `${locale}/${slug}.md`, url: baseUrl ? baseUrl + html : null}
}

/** The body of a tree: front matter removed, positions dropped. */
export function bodyTree(tree: Root): Root {
  const children = tree.children.filter((node) => node.type !== 'yaml' && node.type !== 'toml')
  return JSON.parse(JSON.stringify({type: 'root', children}, (key, value) => (key === 'position' ? undefined : value))) as Root
}

/** Plain text of a body: one block a paragraph. */
export function plainText(tree: Root): string {
  return tree.children
    .filter((node: RootContent) => node.type !== 'html' && node.type !== 'yaml' && node.type !== 'toml' && node.type !== 'definition')
    .map((node) => toString(node))
    .filter((text) => text.trim() !== '')
    .join('\n\n')
}

/** Count characters (code points) that are not white space. */
export function countCharacters(text: string): number {
  // One pass of the regular expression engine instead of a test per character.
  // A surrogate pair is one character (white space is never one half of a pair).
  return text.replace(/\s+/gu, '').length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
}

/** i18next namespace of one article: what an app asks `t()` for. */
export function articleResource(document: ArticleDocument): ArticleResource {
  return {
    title: document.title,
    description: document.description ?? '',
    category: document.category ?? '',
    tags: document.tags,
    date: document.date ?? '',
    updated: document.updated ?? '',
    toc: document.toc,
    html: document.html
  }
}

/** Serialize JSON the way every JSON output is written: stable, indented, final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/**
 * The `titles` namespace of a locale: every article's slug → its title.
 *
 * @param entries Slug and title of each article of the locale.
 * @returns The namespace, slugs in code unit order.
 */
export function titlesResource(entries: ReadonlyArray<{slug: string; title: string}>): TitlesResource {
  const titles: TitlesResource = {}
  for (const entry of [...entries].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) titles[entry.slug] = entry.title
  return titles
}

/**
 * The generated types, as shipped in `dist/json/zhpress.d.ts`: one file of
 * interfaces, valid as a declaration file.
 */
export function bundleTypes(): string {
  return fs.readFileSync(new URL('bundle-types.ts', import.meta.url), 'utf8')
}

