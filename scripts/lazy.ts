/**
 * Libraries loaded on first use, not at start-up: `convert` of a plain text
 * and most commands never parse YAML, guess an encoding or match globs, and
 * loading them costs a short command a good share of its time. All four are
 * CommonJS (or ship a CommonJS build), so a synchronous `require` loads them
 * where they are needed; Node caches each module.
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

/** @returns The `yaml` library. */
export function yaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml')
}

/** @returns The `chardet` library (encoding detection). */
export function chardet(): typeof import('chardet') {
  return require('chardet') as typeof import('chardet')
}

/** @returns The `iconv-lite` library (legacy encodings). */
export function iconv(): typeof import('iconv-lite') {
  return require('iconv-lite') as typeof import('iconv-lite')
}

/** @returns The `minimatch` library (globs). */
export function minimatch(): typeof import('minimatch') {
  return require('minimatch') as typeof import('minimatch')
}
