/**
 * Every JSON file of a built folder and the schema it must match, for the
 * schema and bundle tests: one ajv (2020-12, strict, ajv-formats) holding
 * the schemas the build ships, and the manifest's `format` naming which
 * schema a file is checked against.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {shardSchema} from '../scripts/commands/shard-check.ts'
import {schemaFiles, schemaOf, type SchemaFile} from '../scripts/schemas.ts'
import {listFiles} from './helpers.ts'

/**
 * An ajv with the shipped schemas, read from a build's `json/` folder (so
 * the files an app downloads are the ones tested), keyed by file name. A
 * shard build ships none (merge writes them): its files are checked
 * against scripts/schemas.ts.
 *
 * @param out A build's output folder.
 * @returns A validator per schema file, and `shard.json`'s.
 */
export async function shippedValidators(out: string): Promise<Record<SchemaFile | 'shard.json', ValidateFunction>> {
  const ajv = new Ajv2020({strict: true, allErrors: true})
  addFormats.default(ajv)
  const validators = {} as Record<SchemaFile | 'shard.json', ValidateFunction>
  for (const file of Object.keys(schemaFiles) as Array<SchemaFile>) {
    const shipped = await fs.readFile(path.join(out, 'json', file), 'utf8').catch(() => undefined)
    const schema = shipped === undefined ? schemaOf(file) : JSON.parse(shipped)
    validators[file] = ajv.compile(schema)
  }

  // merge's own check of shard.json (a file between `build --shard` and `merge`, not for apps).
  const internal = new Ajv2020({strict: true, allErrors: true})
  addFormats.default(internal)
  validators['shard.json'] = internal.compile(shardSchema)
  return validators
}

/**
 * Which schema a JSON file of a build must match, from its path and its
 * manifest entry's `format`.
 *
 * @param name Path relative to the output folder.
 * @param format Its manifest `format` (`undefined` for manifest.json).
 * @returns The schema's file name, `shard.json`, `meta` for a shipped
 *   schema (checked against the 2020-12 meta-schema), or `undefined` when
 *   the file is not JSON.
 */
export function schemaForFile(name: string, format: string | null | undefined): SchemaFile | 'shard.json' | 'meta' | undefined {
  if (!name.endsWith('.json')) return undefined
  if (name === 'manifest.json') return 'manifest.schema.json'
  if (name === 'report.json') return 'report.schema.json'
  if (name === 'shard.json') return 'shard.json'
  if (format === 'schema') return 'meta'
  if (format === 'index') return 'index.schema.json'
  if (format === 'json') return 'article.schema.json'
  if (format === 'resources') {
    if (name.endsWith('/titles.json')) return 'titles.schema.json'
    if (name.endsWith('/ui.json')) return 'ui.schema.json'
    return 'resource.schema.json'
  }

  throw new Error(`no schema for ${name} (format ${format})`)
}

/**
 * Validate every JSON file of a built folder against its schema.
 *
 * @param out The output folder.
 * @returns Each file with its schema and the errors (empty when valid).
 */
export async function validateFolder(out: string): Promise<Array<{name: string; schema: string; errors: Array<string>}>> {
  const validators = await shippedValidators(out)
  const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as {outputs: Array<{path: string; format: string | null}>}
  const formats = new Map(manifest.outputs.map((entry) => [entry.path, entry.format]))
  const results: Array<{name: string; schema: string; errors: Array<string>}> = []
  const meta = new Ajv2020({strict: true})
  addFormats.default(meta)
  for (const name of await listFiles(out)) {
    if (name !== 'manifest.json' && !formats.has(name)) continue
    const schema = schemaForFile(name, formats.get(name))
    if (!schema) continue
    const value = JSON.parse(await fs.readFile(path.join(out, name), 'utf8')) as unknown
    if (schema === 'meta') {
      const valid = meta.validateSchema(value as object) as boolean
      results.push({name, schema, errors: valid ? [] : (meta.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)})
      continue
    }

    const validate = validators[schema]
    const valid = validate(value)
    results.push({name, schema, errors: valid ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)})
  }

  return results
}
