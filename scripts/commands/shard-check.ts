/**
 * What `merge` checks before it trusts a shard folder: `shard.json` and
 * `manifest.json` against their schemas, every slug and path through the
 * build's rules, and every file it will copy against the manifest's hash.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {locales} from '../locales.ts'
import {isSafeSegment} from '../pages.ts'
import {formats} from '../types.ts'
import {definitions, schemaOf} from '../schemas.ts'
import {sha256, type Manifest} from '../write.ts'
import type {ShardInfo} from './shard.ts'

/** Largest `shard.json` or `manifest.json` merge reads. */
export const maxShardFileBytes = 256 * 1024 * 1024

const text = {type: 'string'} as const
const nullableText = {type: ['string', 'null']} as const
const locale = {enum: [...locales]} as const

/** JSON schema of `shard.json`. */
export const shardSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'shard', 'generator', 'source', 'locales', 'formats', 'baseUrl', 'articles', 'index', 'report', 'links'],
  properties: {
    schemaVersion: {const: 3},
    shard: {
      type: 'object',
      additionalProperties: false,
      required: ['index', 'count'],
      properties: {index: {type: 'integer', minimum: 1}, count: {type: 'integer', minimum: 1}}
    },
    generator: {type: 'object', additionalProperties: text},
    source: {type: 'string', pattern: '^[0-9a-f]{64}$'},
    locales: {type: 'array', items: locale, minItems: 1, uniqueItems: true},
    formats: {type: 'array', items: {enum: [...formats]}, minItems: 1, uniqueItems: true},
    baseUrl: {type: ['string', 'null'], pattern: '^https?://'},
    // The list's page path and the site's name (zhpress.yaml).
    listPage: {enum: ['index', 'articles']},
    identity: {
      type: 'object',
      propertyNames: locale,
      additionalProperties: {type: 'object', additionalProperties: false, properties: {title: text, description: text}}
    },
    articles: {
      type: 'array',
      items: {type: 'object', additionalProperties: false, required: ['name', 'slug'], properties: {name: text, slug: text}}
    },
    index: {
      type: 'array',
      // An index entry (scripts/schemas.ts) and its locale.
      items: {
        ...definitions.IndexEntry,
        required: [...definitions.IndexEntry.required, 'locale', 'sourceLocale'],
        properties: {...definitions.IndexEntry.properties, locale, sourceLocale: locale}
      }
    },
    links: {
      type: 'object',
      additionalProperties: false,
      required: ['ids', 'anchors'],
      properties: {
        ids: {type: 'object', additionalProperties: {type: 'array', items: text}},
        anchors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['file', 'url', 'page', 'fragment', 'href', 'line', 'column'],
            properties: {file: text, url: text, page: text, fragment: text, href: text, line: {type: 'integer', minimum: 1}, column: {type: 'integer', minimum: 1}}
          }
        }
      }
    },
    report: {
      type: 'array',
      items: {
        // Open to new fields: the report grows with the rule catalogue, and
        // merge only copies it into report.json (escaped as JSON).
        type: 'object',
        required: ['file', 'line', 'column', 'severity', 'ruleId', 'message', 'expected', 'note'],
        properties: {
          file: text,
          line: {type: ['integer', 'null']},
          column: {type: ['integer', 'null']},
          severity: {enum: ['error', 'warning', 'info']},
          ruleId: nullableText,
          message: text,
          expected: {type: ['array', 'null'], items: text},
          note: nullableText
        }
      }
    }
  },
  $defs: definitions
} as const

/** JSON schema of `manifest.json` (the one shipped as `json/manifest.schema.json`). */
export const manifestSchema = schemaOf('manifest.schema.json')

/**
 * Whether a path is a plain relative path inside a folder: `/`-separated,
 * no `.` or `..` segment, no empty segment, no backslash, no control
 * character, not absolute.
 */
export function isSafeRelativePath(file: string): boolean {
  if (file === '' || file.startsWith('/') || file.includes('\\') || /[\u0000-\u001F\u007F-\u009F]/.test(file)) return false
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') && !/^[a-z]:/i.test(file)
}

/**
 * Whether an article's output path (its slug) follows the build's rule: its
 * folders and its name each a safe segment (`guide/intro`, see
 * `isSafeSegment`), so a tampered `shard.json` cannot write a URL or a path
 * outside the site into the pages merge makes.
 */
export function isSafeArticlePath(slug: string): boolean {
  return slug.split('/').every((segment) => isSafeSegment(segment))
}

/**
 * Whether merge copies a manifest entry from its shard: an article's files
 * and the assets (images, PDFs, …) its pages use. The site-wide files (lists,
 * resources, sitemap, schemas) merge writes anew.
 */
export function isShardFile(entry: Manifest['outputs'][number]): boolean {
  return entry.article !== null || entry.format === 'asset'
}

/** A read shard: its folder and the two files merge trusts once checked. */
export interface CheckedShard {
  folder: string
  info: ShardInfo
  manifest: Manifest
}

async function readJson(file: string): Promise<unknown> {
  const stats = await fs.lstat(file)
  if (!stats.isFile()) throw new Error(`${path.basename(file)} is not a regular file`)
  if (stats.size > maxShardFileBytes) throw new Error(`${path.basename(file)} is over ${maxShardFileBytes} bytes`)
  return JSON.parse(await fs.readFile(file, 'utf8'))
}

/**
 * Read and check one shard folder.
 *
 * @param folder The shard folder (absolute).
 * @param name How the user named it, for messages.
 * @returns The shard, or why it cannot be merged.
 */
export async function readShard(folder: string, name: string): Promise<CheckedShard | {reason: string}> {
  let info: unknown
  let manifest: unknown
  try {
    info = await readJson(path.join(folder, 'shard.json'))
    manifest = await readJson(path.join(folder, 'manifest.json'))
  } catch (error) {
    return {reason: `${name} is not the output of \`build --shard K/N\` (no readable shard.json and manifest.json: ${(error as Error).message})`}
  }

  const version = (info as {schemaVersion?: unknown} | null)?.schemaVersion
  if (version !== shardSchema.properties.schemaVersion.const) {
    return {reason: `${name}/shard.json has schema version ${String(version)}; this zhpress reads ${shardSchema.properties.schemaVersion.const}: build the shards again with it`}
  }

  const ajv = new Ajv2020({allErrors: false, strict: true})
  addFormats.default(ajv)
  for (const [file, schema, value] of [
    ['shard.json', shardSchema, info],
    ['manifest.json', manifestSchema, manifest]
  ] as const) {
    const validate = ajv.compile(schema)
    if (!validate(value)) {
      const [error] = validate.errors ?? []
      return {reason: `${name}/${file} does not match its schema: ${error?.instancePath || '/'} ${error?.message ?? ''}; build the shard again`}
    }
  }

  const shard = {folder, info: info as ShardInfo, manifest: manifest as Manifest}
  const problem = await checkShard(shard)
  return problem ? {reason: `${name}: ${problem}; build the shard again`} : shard
}

/** The build's rules on a shard's slugs and paths, and its files against their hashes. */
async function checkShard({folder, info, manifest}: CheckedShard): Promise<string | undefined> {
  const slugs = new Set<string>()
  for (const article of info.articles) {
    if (!isSafeArticlePath(article.slug)) return `unsafe slug \`${article.slug}\` for ${article.name} in shard.json`
    if (!isSafeRelativePath(article.name)) return `unsafe article path \`${article.name}\` in shard.json`
    slugs.add(article.slug)
  }

  for (const entry of info.index) {
    if (!slugs.has(entry.slug)) return `index entry for \`${entry.slug}\`, which is not an article of the shard`
    if (!info.locales.includes(entry.locale)) return `index entry in ${entry.locale}, which the shard was not built for`
  }

  const outputs = new Map(manifest.outputs.map((entry) => [entry.path, entry]))
  for (const entry of manifest.outputs) {
    if (!isSafeRelativePath(entry.path)) return `unsafe path \`${entry.path}\` in manifest.json`
    if (entry.article !== null && !slugs.has(entry.article)) return `manifest.json lists \`${entry.path}\` for \`${entry.article}\`, which is not an article of the shard`
  }

  for (const entry of manifest.outputs) {
    if (!isShardFile(entry)) continue
    const file = path.join(folder, entry.path)
    let bytes: Buffer
    try {
      const stats = await fs.lstat(file)
      if (!stats.isFile()) return `\`${entry.path}\` is not a regular file`
      if (stats.size !== entry.bytes) return `\`${entry.path}\` has ${stats.size} bytes, manifest.json says ${entry.bytes}`
      bytes = await fs.readFile(file)
    } catch {
      return `\`${entry.path}\`, listed in manifest.json, cannot be read`
    }

    if (sha256(bytes) !== entry.sha256) return `\`${entry.path}\` does not match its sha256 in manifest.json (changed after the build)`
  }

  return undefined
}
