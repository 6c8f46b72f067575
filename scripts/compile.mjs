#!/usr/bin/env node
/**
 * Compile zhpress for use without tsx: `scripts/` → `lib/` (JavaScript and
 * `.d.ts`, same layout), plus the files the code reads at run time and
 * OpenCC's dictionaries compiled (`lib/dictionaries/`). Runs on
 * `prepare` (so `npm ci` in a clone, `npm pack` and an install from git
 * all have it) and as `npm run compile`. The new `lib/` is written aside and
 * renamed into place, so a failed compile leaves the previous one whole.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

const root = path.resolve(import.meta.dirname, '..')
const target = path.join(root, 'lib')
const staging = path.join(root, `lib.tmp-${process.pid}`)
// Read by the code next to itself (`new URL(…, import.meta.url)`), so copied as they are.
const assets = ['clean/chrome.yaml', 'convert/review-ranks.json', 'bundle-types.ts', 'commands/build-worker.mjs']

fs.rmSync(staging, {recursive: true, force: true})
try {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', staging], {stdio: 'inherit'})
  for (const asset of assets) fs.copyFileSync(path.join(root, 'scripts', asset), path.join(staging, asset))
  fs.chmodSync(path.join(staging, 'cli.js'), 0o755)
  // OpenCC's dictionaries, compiled once here (keyed by the opencc-js
  // version), so a cold build, each worker and `convert` only read them.
  const dictionary = await import(pathToFileURL(path.join(staging, 'convert', 'dictionary.js')).href)
  dictionary.precompileDictionaries(path.join(staging, 'dictionaries'))
  // Jieba's dictionary too (the words without the native Jieba's start).
  const jieba = await import(pathToFileURL(path.join(staging, 'convert', 'jieba.js')).href)
  jieba.precompileJiebaDictionary(path.join(staging, 'dictionaries'))
  // The characters the review of a plain text watches, per locale pair
  // (read by \`convert\` instead of the review's tables and ranks).
  const plain = await import(pathToFileURL(path.join(staging, 'convert', 'plain.js')).href)
  const {locales} = await import(pathToFileURL(path.join(staging, 'locales.js')).href)
  const watched = {}
  for (const from of locales) for (const to of locales) if (from !== to) watched[`${from}>${to}`] = plain.watchedCharacters(from, to)
  fs.writeFileSync(path.join(staging, 'convert', 'watched.json'), JSON.stringify(watched))
  // The characters whose standard form may be another, per Traditional
  // locale (read by the lint's pre-check instead of conversions and tables).
  const lint = await import(pathToFileURL(path.join(staging, 'convert', 'lint.js')).href)
  const differing = {}
  for (const locale of ['zh-Hant', 'zh-TW', 'zh-HK']) differing[locale] = lint.differingCharacters(locale)
  fs.writeFileSync(path.join(staging, 'convert', 'differing.json'), JSON.stringify(differing))
  // The review's neighbour evidence for its role-checked characters (instead of parsing OpenCC's phrases in each worker).
  const review = await import(pathToFileURL(path.join(staging, 'convert', 'review.js')).href)
  fs.writeFileSync(path.join(staging, 'convert', 'neighbours.json'), JSON.stringify(review.neighbourEvidence()))
  // Its candidate tables (only OpenCC's entries with several candidates) and the lint's standard images, likewise.
  fs.writeFileSync(path.join(staging, 'convert', 'candidates.json'), JSON.stringify(review.candidateTables()))
  fs.writeFileSync(path.join(staging, 'convert', 'images.json'), JSON.stringify(lint.standardImageData()))
  fs.rmSync(target, {recursive: true, force: true})
  fs.renameSync(staging, target)
} catch (error) {
  fs.rmSync(staging, {recursive: true, force: true})
  throw error
}
