/**
 * The document model (one article, one locale), i18next resources and the
 * JSON Schema that describes the model.
 */
import fs from 'node:fs'
import type {Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {ArticleDocument, AlternatePaths} from './article-types.ts'
import {locales, type Locale} from './locales.ts'

export const schemaVersion = 1

export type {AlternatePaths, Alternates, ArticleDocument, MdastNode, MdastRoot, Stats, TocEntry} from './article-types.ts'

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

const locale = {
  title: 'Locale',
  description: 'A locale zhpress publishes (DESIGN.md, "Locales").',
  enum: [...locales]
} as const

const nullableString = {type: ['string', 'null']} as const

/**
 * JSON Schema (draft 2020-12) of the document model: the one source of truth
 * for `dist/json/article.schema.json` and for the TypeScript types in
 * `scripts/article-types.ts` (generated from it, shipped as
 * `dist/json/article.d.ts`).
 */
export const articleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://zhpress.invalid/schema/article.schema.json',
  title: 'ArticleDocument',
  description: 'One article in one locale, as written to dist/json/<locale>/<slug>.json.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion', 'slug', 'locale', 'sourceLocale', 'title', 'description', 'category', 'tags', 'date',
    'toc', 'markdown', 'html', 'text', 'tree', 'alternates', 'stats'
  ],
  properties: {
    schemaVersion: {description: 'Version of this model; bumped on any incompatible change.', const: schemaVersion},
    slug: {
      description: 'Path of the article\'s outputs inside each locale\'s folder, without extension: its source path (`guide/intro`), an index as `guide/index`, the last segment renamed by front matter `slug`. Never absolute, never `..`.',
      type: 'string',
      pattern: "^(?:[\\p{L}\\p{M}\\p{N}_~@(),'!=+-][\\p{L}\\p{M}\\p{N}._~@(),'!=+-]*/)*[\\p{L}\\p{M}\\p{N}_~@(),'!=+-][\\p{L}\\p{M}\\p{N}._~@(),'!=+-]*$"
    },
    // A `$ref` with siblings becomes a type of its own in the generated
    // types: `sourceLocale` is the locale the others were converted from.
    locale: {$ref: '#/$defs/Locale'},
    sourceLocale: {$ref: '#/$defs/Locale'},
    title: {type: 'string', minLength: 1},
    description: nullableString,
    category: nullableString,
    tags: {type: 'array', items: {type: 'string'}},
    date: {description: 'Front matter `date`, as written (usually YYYY-MM-DD).', ...nullableString},
    toc: {description: 'Headings of depth 2 and 3, in order; `id` is the anchor in `html`.', type: 'array', items: {$ref: '#/$defs/TocEntry'}},
    markdown: {description: 'The body as Markdown (front matter removed).', type: 'string'},
    html: {description: 'The body as sanitized HTML.', type: 'string'},
    text: {description: 'The body as plain text, blocks separated by blank lines.', type: 'string'},
    tree: {$ref: '#/$defs/MdastRoot'},
    alternates: {
      title: 'Alternates',
      description: 'Every locale of the article (this one included) → its outputs, relative to dist/.',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(locales.map((key) => [key, {$ref: '#/$defs/AlternatePaths'}]))
    },
    stats: {$ref: '#/$defs/Stats'}
  },
  $defs: {
    Locale: locale,
    TocEntry: {
      title: 'TocEntry',
      description: 'One entry of a table of contents.',
      type: 'object',
      additionalProperties: false,
      required: ['depth', 'id', 'text'],
      properties: {
        depth: {type: 'integer', minimum: 1, maximum: 6},
        id: {type: 'string', minLength: 1},
        text: {type: 'string'}
      }
    },
    AlternatePaths: {
      title: 'AlternatePaths',
      description: 'Paths of one article in one locale, relative to the dist/ folder.',
      type: 'object',
      additionalProperties: false,
      required: ['markdown', 'json', 'html'],
      properties: {
        markdown: {type: 'string', pattern: '^markdown/'},
        json: {type: 'string', pattern: '^json/'},
        html: {type: 'string', pattern: '^html/'}
      }
    },
    Stats: {
      title: 'Stats',
      type: 'object',
      additionalProperties: false,
      required: ['characters', 'convertedCharacters', 'reviewCount'],
      properties: {
        characters: {description: 'Characters of `text` that are not white space.', type: 'integer', minimum: 0},
        convertedCharacters: {description: 'Characters changed by conversion from the source locale.', type: 'integer', minimum: 0},
        reviewCount: {description: 'Conversions flagged for an editor to review.', type: 'integer', minimum: 0}
      }
    },
    MdastRoot: {
      title: 'MdastRoot',
      description: 'The body as an mdast tree (https://github.com/syntax-tree/mdast), without positions.',
      type: 'object',
      required: ['type', 'children'],
      properties: {
        type: {const: 'root'},
        children: {type: 'array', items: {$ref: '#/$defs/MdastNode'}},
        position: false
      }
    },
    MdastNode: {
      title: 'MdastNode',
      description: 'An mdast node: `type`, its own fields, and `children` for parents.',
      type: 'object',
      required: ['type'],
      properties: {
        type: {type: 'string', minLength: 1},
        children: {type: 'array', items: {$ref: '#/$defs/MdastNode'}},
        position: false
      }
    }
  }
} as const

/** First lines of the generated `scripts/article-types.ts` (shipped as `dist/json/article.d.ts`). */
export const typesBanner = `/**
 * Types of the zhpress document model (dist/json/<locale>/<slug>.json).
 *
 * Generated from \`articleSchema\` in scripts/render-json.ts, the source of
 * dist/json/article.schema.json, by tests/schema.test.ts: do not edit; run
 * \`UPDATE=1 npm test\` after changing the schema.
 */`

/**
 * The generated types, as shipped in `dist/json/article.d.ts`: one file of
 * interfaces, valid as a declaration file.
 */
export function articleTypes(): string {
  return fs.readFileSync(new URL('article-types.ts', import.meta.url), 'utf8')
}

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
