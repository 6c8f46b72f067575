/**
 * The document model (one article, one locale), i18next resources and the
 * JSON Schema that describes the model.
 */
import type {Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Locale} from './locales.ts'
import type {TocEntry} from './render-html.ts'

export const schemaVersion = 1

/** Paths of one article in one locale, relative to the dist/ folder. */
export interface AlternatePaths {
  markdown: string
  json: string
  html: string
}

/** One article in one locale, as apps read it. */
export interface ArticleDocument {
  schemaVersion: typeof schemaVersion
  slug: string
  locale: Locale
  sourceLocale: Locale
  title: string
  description: string | null
  category: string | null
  tags: Array<string>
  date: string | null
  toc: Array<TocEntry>
  /** The body as Markdown (front matter removed). */
  markdown: string
  /** The body as sanitized HTML. */
  html: string
  /** The body as plain text, blocks separated by blank lines. */
  text: string
  /** The body as mdast, without positions. */
  tree: Root
  alternates: Record<string, AlternatePaths>
  stats: {
    characters: number
    convertedCharacters: number
    reviewCount: number
  }
}

/** Where each output of an article lives inside dist/. */
export function outputPaths(locale: Locale, slug: string): AlternatePaths {
  return {
    markdown: `markdown/${locale}/${slug}.md`,
    json: `json/${locale}/${slug}.json`,
    html: `html/${locale}/${slug}.html`
  }
}

/** The body of a tree: front matter removed, positions dropped. */
export function bodyTree(tree: Root): Root {
  const children = tree.children.filter((node) => node.type !== 'yaml')
  return JSON.parse(JSON.stringify({type: 'root', children}, (key, value) => (key === 'position' ? undefined : value))) as Root
}

/** Plain text of a body: one block a paragraph. */
export function plainText(tree: Root): string {
  return tree.children
    .filter((node: RootContent) => node.type !== 'html' && node.type !== 'yaml' && node.type !== 'definition')
    .map((node) => toString(node))
    .filter((text) => text.trim() !== '')
    .join('\n\n')
}

/** Count characters that are not white space. */
export function countCharacters(text: string): number {
  let count = 0
  for (const char of text) if (!/\s/u.test(char)) count++
  return count
}

/** i18next namespace of one article: what an app asks `t()` for. */
export function articleResource(document: ArticleDocument): Record<string, unknown> {
  return {
    title: document.title,
    description: document.description ?? '',
    category: document.category ?? '',
    tags: document.tags,
    date: document.date ?? '',
    toc: document.toc,
    html: document.html
  }
}

/** Serialize JSON the way every JSON output is written: stable, indented, final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

const tocEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['depth', 'id', 'text'],
  properties: {
    depth: {type: 'integer', minimum: 1, maximum: 6},
    id: {type: 'string', minLength: 1},
    text: {type: 'string'}
  }
} as const

const localeSchema = {enum: ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']} as const
const nullableString = {type: ['string', 'null']} as const
const pathsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['markdown', 'json', 'html'],
  properties: {markdown: {type: 'string'}, json: {type: 'string'}, html: {type: 'string'}}
} as const

/** JSON Schema (draft 2020-12) of {@link ArticleDocument}. */
export const articleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://zhpress.invalid/schema/article.schema.json',
  title: 'zhpress article document',
  description: 'One article in one locale, as written to dist/json/<locale>/<slug>.json.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion', 'slug', 'locale', 'sourceLocale', 'title', 'description', 'category', 'tags', 'date',
    'toc', 'markdown', 'html', 'text', 'tree', 'alternates', 'stats'
  ],
  properties: {
    schemaVersion: {const: schemaVersion},
    slug: {type: 'string', pattern: '^[\\p{L}\\p{N}](?:[\\p{L}\\p{N}._-]*[\\p{L}\\p{N}])?$'},
    locale: localeSchema,
    sourceLocale: localeSchema,
    title: {type: 'string', minLength: 1},
    description: nullableString,
    category: nullableString,
    tags: {type: 'array', items: {type: 'string'}},
    date: nullableString,
    toc: {type: 'array', items: tocEntrySchema},
    markdown: {type: 'string'},
    html: {type: 'string'},
    text: {type: 'string'},
    tree: {
      type: 'object',
      required: ['type', 'children'],
      properties: {type: {const: 'root'}, children: {type: 'array', items: {type: 'object', required: ['type']}}}
    },
    alternates: {
      type: 'object',
      propertyNames: localeSchema,
      additionalProperties: pathsSchema
    },
    stats: {
      type: 'object',
      additionalProperties: false,
      required: ['characters', 'convertedCharacters', 'reviewCount'],
      properties: {
        characters: {type: 'integer', minimum: 0},
        convertedCharacters: {type: 'integer', minimum: 0},
        reviewCount: {type: 'integer', minimum: 0}
      }
    }
  }
} as const

/**
 * i18next resources: `{ "<locale>": { "<slug>": {…}, "ui": {…} } }`.
 *
 * @param documents Every article document of the build.
 * @param ui UI strings of a locale.
 * @param published Locales built, in table order.
 * @returns Resources with stable key order.
 */
export function renderResources(
  documents: ReadonlyArray<ArticleDocument>,
  ui: (locale: Locale) => unknown,
  published: ReadonlyArray<Locale>
): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {}
  for (const locale of published) {
    const namespaces: Record<string, unknown> = {}
    const own = documents.filter((document) => document.locale === locale).sort((a, b) => (a.slug < b.slug ? -1 : 1))
    for (const document of own) namespaces[document.slug] = articleResource(document)
    namespaces.ui = ui(locale)
    resources[locale] = namespaces
  }

  return resources
}
