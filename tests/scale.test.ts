/**
 * Builds at scale: the incremental cache never serves stale output, `--jobs`
 * and shards + `merge` give the same bytes as one plain build.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {beforeAll, describe, expect, it} from 'vitest'
import {generateCorpus} from '../scripts/bench/corpus.ts'
import {articleKey, optionsDigest, projectFingerprint, readCache, toolFingerprint, writeCache} from '../scripts/cache.ts'
import {parseBuild, parseShard} from '../scripts/commands/args.ts'
import {shardOf} from '../scripts/commands/build.ts'
import {listOutput, readStamp, readStampedArticles, readStampMessages, stampVersion, writeStamp, type BuildStamp, type FileStat} from '../scripts/commands/build-stamp.ts'
import {openRecords} from '../scripts/commands/build-records.ts'
import type {ArticleResult} from '../scripts/commands/build-task.ts'
import {main} from '../scripts/commands/index.ts'
import {uiStrings} from '../scripts/i18n.ts'
import {locales} from '../scripts/locales.ts'
import {articleResource, formatJson, titlesResource, type ArticleDocument} from '../scripts/render-json.ts'
import {jsonListPieces, manifestEntry, manifestTable, stageFile, stageJsonList} from '../scripts/write.ts'
import {listFiles, runCli, temporaryFolder} from './helpers.ts'

let project: string

/** Every file of a folder and its bytes. */
async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of await listFiles(folder)) files.set(name, await fs.readFile(path.join(folder, name), 'utf8'))
  return files
}

async function build(...args: Array<string>): Promise<{stderr: string; hits: number}> {
  // Its own cache root, so that the hit counts are this project's alone.
  const result = await runCli(['build', ...args], {cwd: project, env: {ZHPRESS_CACHE_DIR: path.join(project, '.cache', 'zhpress')}})
  expect(result.code, result.stderr).toBe(0)
  const hits = /(\d+) cache hits?[,)]/.exec(result.stderr)
  return {stderr: result.stderr, hits: Number(hits?.[1])}
}

/** A build of the same input without the cache: what a build must equal. */
async function fresh(...args: Array<string>): Promise<Map<string, string>> {
  await build('--no-cache', '--jobs', '1', '--out', 'fresh', ...args)
  return snapshot(path.join(project, 'fresh'))
}

beforeAll(async () => {
  project = await temporaryFolder()
  await fs.mkdir(path.join(project, 'source'))
  // Small generated articles, Simplified and Traditional, some without `lang`.
  for (const {name, content} of await generateCorpus({articles: 4, seed: 7, minBytes: 400, maxBytes: 900})) {
    await fs.writeFile(path.join(project, 'source', name), content)
  }
})

describe('incremental builds', () => {
  it('a rebuild with nothing changed takes every article from the cache, same bytes', async () => {
    expect((await build('--jobs', '1')).hits).toBe(0)
    const first = await snapshot(path.join(project, 'dist'))
    const again = await build('--jobs', '1')
    expect(again.hits).toBe(4)
    // Messages of cached articles are reported again.
    expect(again.stderr).toMatch(/info no `lang` in front matter: detected zh-Han[st]/)
    expect(await snapshot(path.join(project, 'dist'))).toEqual(first)
    expect(first).toEqual(await fresh())
  })

  it('a changed article is rebuilt, the others come from the cache', async () => {
    const name = path.join(project, 'source', 'a00002.md')
    await fs.appendFile(name, '\n新增的一段：软件和鼠标。\n')
    const result = await build('--jobs', '1')
    expect(result.hits).toBe(3)
    const dist = await snapshot(path.join(project, 'dist'))
    expect([...dist.values()].some((content) => content.includes('新增的一段'))).toBe(true)
    expect(dist).toEqual(await fresh())
  })

  it('a change to a project-wide input (glossary.yaml) rebuilds every article', async () => {
    const taiwan = async () => [...(await snapshot(path.join(project, 'dist', 'markdown', 'zh-TW'))).values()].join('\n')
    const variant = (form: string) => `variants:\n  - {zh-Hans: 新增的一段, zh-Hant: ${form}, zh-TW: ${form}, zh-HK: ${form}}\n`
    await fs.writeFile(path.join(project, 'source', 'glossary.yaml'), variant('新增段落甲'))
    expect((await build('--jobs', '1')).hits).toBe(0)
    expect(await taiwan()).toContain('新增段落甲')
    await fs.writeFile(path.join(project, 'source', 'glossary.yaml'), variant('新增段落乙'))
    expect((await build('--jobs', '1')).hits).toBe(0)
    const after = await taiwan()
    expect(after).toContain('新增段落乙')
    expect(after).not.toContain('新增段落甲')
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh())
    await fs.rm(path.join(project, 'source', 'glossary.yaml'))
  })

  it('other options are other cache entries', async () => {
    expect((await build('--jobs', '1', '--locales', 'zh-Hans,zh-TW')).hits).toBe(0)
    const dist = await snapshot(path.join(project, 'dist'))
    expect([...dist.keys()].some((name) => name.includes('zh-HK'))).toBe(false)
    expect(dist).toEqual(await fresh('--locales', 'zh-Hans,zh-TW'))
    expect((await build('--jobs', '1', '--formats', 'md')).hits).toBe(0)
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh('--formats', 'md'))
  })

  it('the cache is safe to delete, even half of it', async () => {
    await build('--jobs', '1')
    const folder = path.join(project, '.cache', 'zhpress', 'articles')
    const entries = (await listFiles(folder)).filter((name) => name.endsWith('.br')).map((name) => path.join(folder, name))
    await fs.rm(entries[0]!)
    // And a damaged entry: cut in half.
    const damaged = await fs.readFile(entries[1]!)
    await fs.writeFile(entries[1]!, damaged.subarray(0, damaged.length >> 1))
    expect((await build('--jobs', '1')).hits).toBe(entries.length - 2)
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh())
    await fs.rm(path.join(project, '.cache'), {recursive: true})
    expect((await build('--jobs', '1')).hits).toBe(0)
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh())
  })

  it('keeps only the entries the last build used (--cache-keep N: the last N builds), compressed, and says how big the cache is', async () => {
    await fs.rm(path.join(project, '.cache'), {recursive: true, force: true})
    const folder = path.join(project, '.cache', 'zhpress', 'articles')
    const first = await build('--jobs', '1')
    expect(first.stderr).toMatch(/, cache [\d.]+ [kM]B\)$/m)
    const entries = async () => (await listFiles(folder)).filter((name) => name.endsWith('.br')).sort()
    const all = await entries()
    expect(all.length).toBe(4)
    // Compressed: the entries take less than the outputs they restore.
    let cached = 0
    for (const name of all) cached += (await fs.stat(path.join(folder, name))).size
    let outputs = 0
    for (const name of await listFiles(path.join(project, 'dist'))) outputs += (await fs.stat(path.join(project, 'dist', name))).size
    expect(cached).toBeLessThan(outputs / 3)
    const reported = /, cache ([\d.]+) ([kM]B)\)$/m.exec(first.stderr)!
    expect(Number(reported[1]) * (reported[2] === 'kB' ? 1e3 : 1e6)).toBeCloseTo(cached, -2)

    // Another option set: a build that uses other entries prunes these.
    await build('--jobs', '1', '--formats', 'md')
    const other = await entries()
    expect(other.length).toBe(4)
    expect(other.some((name) => all.includes(name))).toBe(false)
    // With --cache-keep 2, the last two builds' entries stay.
    await build('--jobs', '1', '--cache-keep', '2')
    expect((await entries()).sort()).toEqual([...all, ...other].sort())
    expect((await build('--jobs', '1', '--formats', 'md', '--cache-keep', '2')).hits).toBe(4)
    expect(await snapshot(path.join(project, 'dist'))).toEqual(await fresh('--formats', 'md'))
  })

  it('the key covers the article, its path, project inputs, options and tool version', () => {
    const base = {path: 'source/a.md', source: new TextEncoder().encode('正文'), project: 'p', tool: 't', options: {locales}}
    const key = articleKey(base)
    expect(articleKey({...base})).toBe(key)
    expect(articleKey({...base, source: new TextEncoder().encode('正文。')})).not.toBe(key)
    expect(articleKey({...base, path: 'source/b.md'})).not.toBe(key)
    expect(articleKey({...base, project: 'q'})).not.toBe(key)
    expect(articleKey({...base, tool: 'u'})).not.toBe(key)
    expect(articleKey({...base, options: {locales: ['zh-TW']}})).not.toBe(key)
    // The options' digest made once for every article: the same key.
    expect(articleKey({...base, options: undefined, optionsDigest: optionsDigest(base.options)})).toBe(key)
  })

  it('the tool fingerprint changes with the version, the lockfile and the code', async () => {
    const tool = await temporaryFolder()
    await fs.mkdir(path.join(tool, 'scripts', 'convert'), {recursive: true})
    await fs.writeFile(path.join(tool, 'package.json'), '{"version": "1.0.0"}')
    await fs.writeFile(path.join(tool, 'scripts', 'convert', 'engine.ts'), 'export {}')
    const before = await toolFingerprint(tool)
    expect(await toolFingerprint(tool)).toBe(before)
    await fs.writeFile(path.join(tool, 'package.json'), '{"version": "1.0.1"}')
    const bumped = await toolFingerprint(tool)
    expect(bumped).not.toBe(before)
    await fs.writeFile(path.join(tool, 'package-lock.json'), '{"opencc-js": "1.4.3"}')
    const locked = await toolFingerprint(tool)
    expect(locked).not.toBe(bumped)
    await fs.writeFile(path.join(tool, 'scripts', 'convert', 'engine.ts'), 'export const changed = 1')
    expect(await toolFingerprint(tool)).not.toBe(locked)
  })

  it('the tool fingerprint is kept in a memo while no file it was made from changed', async () => {
    const tool = await temporaryFolder()
    const memo = await temporaryFolder()
    await fs.mkdir(path.join(tool, 'scripts'), {recursive: true})
    await fs.writeFile(path.join(tool, 'package.json'), '{"version": "1.0.0"}')
    await fs.writeFile(path.join(tool, 'scripts', 'engine.ts'), 'export {}')
    const real = await toolFingerprint(tool)
    expect(await toolFingerprint(tool, memo)).toBe(real)
    // Files changed just before the memo was made are read again: the memo is not trusted yet.
    const file = path.join(memo, 'tool.json')
    const written = JSON.parse(await fs.readFile(file, 'utf8')) as {figures: string; at: number; fingerprint: string}
    expect(written.fingerprint).toBe(real)
    await fs.writeFile(file, JSON.stringify({...written, fingerprint: 'remembered'}))
    expect(await toolFingerprint(tool, memo)).toBe(real)
    // A memo made well after the files last changed is taken as it is (nothing read)…
    await fs.writeFile(file, JSON.stringify({...written, at: Date.now() + 10_000, fingerprint: 'remembered'}))
    expect(await toolFingerprint(tool, memo)).toBe('remembered')
    // …until a file changes, even to the same size and modification time (its change time moves).
    const stats = await fs.stat(path.join(tool, 'scripts', 'engine.ts'))
    await fs.writeFile(path.join(tool, 'scripts', 'engine.ts'), 'export[]')
    await fs.utimes(path.join(tool, 'scripts', 'engine.ts'), stats.atime, stats.mtime)
    const changed = await toolFingerprint(tool, memo)
    expect(changed).not.toBe('remembered')
    expect(changed).toBe(await toolFingerprint(tool))
    expect(changed).not.toBe(real)
  })

  it('the project fingerprint ignores articles and sees every other top-level file', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'a.md'), '一')
    const before = await projectFingerprint(folder)
    await fs.writeFile(path.join(folder, 'a.md'), '二')
    expect(await projectFingerprint(folder)).toBe(before)
    await fs.writeFile(path.join(folder, 'glossary.yaml'), '[]')
    expect(await projectFingerprint(folder)).not.toBe(before)
  })
})

describe('parallel builds', () => {
  it('--jobs 2 writes the same bytes as --jobs 1', async () => {
    await build('--no-cache', '--jobs', '2', '--out', 'parallel')
    expect(await snapshot(path.join(project, 'parallel'))).toEqual(await fresh())
  })

  it('the i18next namespaces (article, titles, ui) equal what the documents and UI strings make', async () => {
    const dist = await snapshot(path.join(project, 'fresh'))
    const documents = [...dist]
      .filter(([name]) => /^json\/zh-[^/]+\/[^/]+\.json$/.test(name) && !name.endsWith('/index.json'))
      .map(([, content]) => JSON.parse(content) as ArticleDocument)
    expect(documents).toHaveLength(16)
    for (const document of documents) {
      expect(dist.get(`json/resources/${document.locale}/${document.slug}.json`)).toBe(formatJson(articleResource(document)))
    }

    for (const locale of locales) {
      const own = documents.filter((document) => document.locale === locale)
      expect(dist.get(`json/resources/${locale}/titles.json`)).toBe(formatJson(titlesResource(own)))
      expect(dist.get(`json/resources/${locale}/ui.json`)).toBe(formatJson(uiStrings(locale)))
    }
  })
})

describe('shards and merge', () => {
  it('the merged shards equal a single full build, byte for byte', async () => {
    const full = await fresh()
    await build('--shard', '1/3', '--out', 'shard-1', '--jobs', '1')
    await build('--shard', '2/3', '--out', 'shard-2', '--jobs', '1')
    await build('--shard', '3/3', '--out', 'shard-3', '--jobs', '1')
    const result = await runCli(['merge', '--out', 'merged', 'shard-3', 'shard-1', 'shard-2'], {cwd: project})
    expect(result.code, result.stderr).toBe(0)
    expect(await snapshot(path.join(project, 'merged'))).toEqual(full)
  })

  it('merge refuses an incomplete set of shards and leaves the output alone', async () => {
    const result = await runCli(['merge', '--out', 'merged', 'shard-1', 'shard-2'], {cwd: project})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/missing 3\/3/)
    expect(await listFiles(path.join(project, 'merged'))).toContain('manifest.json')
  })

  it('merge reports a slug two shards share', async () => {
    const other = path.join(project, 'source', 'a00004.md')
    const content = await fs.readFile(other, 'utf8')
    await fs.writeFile(other, content.replace(/^slug: .*$/m, 'slug: article-00001'))
    try {
      await build('--shard', '1/2', '--out', 'dup-1', '--jobs', '1', '--no-cache')
      await build('--shard', '2/2', '--out', 'dup-2', '--jobs', '1', '--no-cache')
      const result = await runCli(['merge', '--out', 'dup', 'dup-1', 'dup-2'], {cwd: project})
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('source/a00004.md:1:1 error duplicate output path `article-00001`: source/a00001.md is published there too')
    } finally {
      await fs.writeFile(other, content)
    }
  })

  it('shards partition the articles', () => {
    const names = ['a', 'b', 'c', 'd', 'e']
    const shards = [1, 2, 3].map((index) => shardOf(names, {index, count: 3}))
    expect(shards).toEqual([['a', 'd'], ['b', 'e'], ['c']])
  })
})

describe('progress', () => {
  it('draws a bar with done/total and rate on a terminal, one summary line otherwise', async () => {
    let stderr = ''
    const io = {
      stdout() {},
      stderr: (text: string) => void (stderr += text),
      readStdin: async () => new Uint8Array(),
      isTTY: true,
      env: {},
      cwd: project
    }
    expect(await main(['build', '--jobs', '1', '--out', 'tty'], io)).toBe(0)
    expect(stderr).toMatch(/4\/4 articles \| [\d.]+ articles\/s/)
    const quiet = await build('--jobs', '1', '--out', 'tty')
    expect(quiet.stderr).not.toMatch(/articles\/s/)
    expect(quiet.stderr).toMatch(/^built 4 articles × 4 locales: \d+ files in tty\/ \([\d.]+s, 4 cache hits, cache [\d.]+ [kM]B\)$/m)
  })
})

describe('arguments', () => {
  it('--shard K/N', () => {
    expect(parseShard('2/4')).toEqual({index: 2, count: 4})
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard takes K\/N/)
  })

  it('--no-cache and --jobs', () => {
    expect(parseBuild(['--no-cache', '--jobs', '3'])).toMatchObject({cache: false, jobs: 3})
    expect(parseBuild([])).toMatchObject({cache: true, jobs: undefined})
  })
})

describe('rebuilds that publish only what changed', () => {
  let folder: string
  const run = async (...args: Array<string>) => {
    const result = await runCli(['build', '--jobs', '1', ...args], {cwd: folder, env: {ZHPRESS_CACHE_DIR: path.join(folder, '.cache', 'zhpress')}})
    expect(result.code, result.stderr).toBe(0)
    return result.stderr
  }

  /** Inode and link count of every file of dist/. */
  const inodes = async () => {
    const found = new Map<string, {ino: number; nlink: number}>()
    for (const name of await listFiles(path.join(folder, 'dist'))) {
      const stats = await fs.lstat(path.join(folder, 'dist', name))
      found.set(name, {ino: stats.ino, nlink: stats.nlink})
    }

    return found
  }

  /** A build of the same input without the cache, into `fresh/`. */
  const expected = async () => {
    await run('--no-cache', '--out', 'fresh')
    return snapshot(path.join(folder, 'fresh'))
  }

  beforeAll(async () => {
    folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source', 'img'), {recursive: true})
    const articles = await generateCorpus({articles: 3, seed: 11, minBytes: 400, maxBytes: 900})
    for (const [index, {name, content}] of articles.entries()) {
      // The first article shows an image: an asset copied beside the pages.
      await fs.writeFile(path.join(folder, 'source', name), index === 0 ? content + '\n\n![图一](img/one.png)\n' : content)
    }

    await fs.writeFile(path.join(folder, 'source', 'img', 'one.png'), 'png-1')
  })

  it('nothing changed: dist/ is kept as it is, not one file written, and says so', async () => {
    await run()
    const before = await inodes()
    const stderr = await run()
    expect(stderr).toMatch(/^built 3 articles × 4 locales: \d+ files in dist\/ \([\d.]+s, 3 cache hits, cache [\d.]+ [kM]B\)$/m)
    expect(stderr).toContain('nothing changed: dist/ is as the last build left it, so it was kept as it is (nothing written)')
    // Messages of the articles are reported again.
    expect(stderr).toMatch(/info no `lang` in front matter: detected zh-/)
    expect(await inodes()).toEqual(before)
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())
  })

  it('one article changed: the others are hard links of the published files, and dist/ stays a plain folder', async () => {
    const before = await inodes()
    const changed = (await fs.readdir(path.join(folder, 'source'))).filter((name) => name.endsWith('.md')).sort()[1]!
    await fs.appendFile(path.join(folder, 'source', changed), '\n改动的一段：软件。\n')
    const stderr = await run()
    expect(stderr).toMatch(/, 2 cache hits, /)
    expect(stderr).not.toContain('nothing changed')
    const after = await inodes()
    const slug = /^slug: (.+)$/m.exec(await fs.readFile(path.join(folder, 'source', changed), 'utf8'))?.[1] ?? changed.replace(/\.md$/, '')
    const kept = [...after].filter(([name]) => /\.(?:md|json|html)$/.test(name) && !name.includes(slug) && /^(?:markdown|json\/zh|html\/zh)/.test(name) && !/\/(?:index|404|titles|ui)\.(?:html|json)$/.test(name))
    expect(kept.length).toBeGreaterThan(10)
    // Unchanged articles' files are the very files published before (linked, not copied)…
    for (const [name, {ino}] of kept) expect(ino, name).toBe(before.get(name)?.ino)
    // …and once the old folder is gone, each has one name again.
    for (const [name, {nlink}] of after) expect(nlink, name).toBe(1)
    // The record lists dist/ as the old folder's removal left it (each part listed once its old part was gone):
    // every file with the figures it has now, so the next build takes them all from there.
    const stamp = await readStamp(path.join(folder, '.cache', 'zhpress'), path.join(folder, 'dist'))
    expect(stamp?.output).toEqual(await listOutput(path.join(folder, 'dist')))
    expect([...after].filter(([name]) => name.includes(slug)).every(([name, {ino}]) => ino !== before.get(name)?.ino)).toBe(true)
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())
  })

  it('the site pages (front page, lists, 404 pages) are made again only when what they show changed', async () => {
    const sitePages = (names: Iterable<string>) => [...names].filter((name) => /^html\/(?:zh[^/]*\/)?(?:index|404)\.html$/.test(name))
    const before = await inodes()
    expect(sitePages(before.keys())).toHaveLength(1 + 1 + 4 * 2)
    const names = (await fs.readdir(path.join(folder, 'source'))).filter((name) => name.endsWith('.md')).sort()
    // A sentence added to the body: the lists show the same title, date and reading time.
    await fs.appendFile(path.join(folder, 'source', names[2]!), '\n又一段。\n')
    expect(await run()).toMatch(/, 2 cache hits, /)
    const after = await inodes()
    for (const name of sitePages(after.keys())) expect(after.get(name)!.ino, name).toBe(before.get(name)!.ino)
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())

    // A new title: the lists and the front page are made again (the 404 pages show no article: kept).
    const text = await fs.readFile(path.join(folder, 'source', names[2]!), 'utf8')
    await fs.writeFile(path.join(folder, 'source', names[2]!), text.replace(/^title: .*$/m, 'title: 改过的标题'))
    expect(await run()).toMatch(/, 2 cache hits, /)
    const renamed = await inodes()
    for (const name of sitePages(renamed.keys())) {
      if (name.endsWith('404.html')) expect(renamed.get(name)!.ino, name).toBe(after.get(name)!.ino)
      else expect(renamed.get(name)!.ino, name).not.toBe(after.get(name)!.ino)
    }
    expect(await fs.readFile(path.join(folder, 'dist', 'html', 'zh-Hans', 'index.html'), 'utf8')).toContain('改过的标题')
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())

    // A list page edited by hand is made again, though its inputs are the same.
    await fs.appendFile(path.join(folder, 'dist', 'html', 'zh-TW', 'index.html'), '<!-- 手改 -->')
    await fs.appendFile(path.join(folder, 'source', names[2]!), '\n再一段。\n')
    await run()
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())
  })

  it('a file of dist/ edited, removed or added by hand is put right by the next build', async () => {
    const dist = path.join(folder, 'dist')
    const names = await listFiles(dist)
    const page = names.find((name) => name.startsWith('html/zh-TW/') && name.endsWith('.html') && !name.endsWith('index.html'))!
    const markdown = names.find((name) => name.startsWith('markdown/zh-HK/'))!
    // Same size, other bytes: only the times tell.
    const text = await fs.readFile(path.join(dist, page), 'utf8')
    await fs.writeFile(path.join(dist, page), text.replace('<html', '<HTML'))
    await fs.rm(path.join(dist, markdown))
    await fs.writeFile(path.join(dist, 'extra.txt'), '多余')
    const stderr = await run()
    expect(stderr).not.toContain('nothing changed')
    expect(stderr).toMatch(/, 3 cache hits, /)
    expect(await snapshot(dist)).toEqual(await expected())
  })

  it('a changed asset, a damaged stamp or a missing cache entry is no "nothing changed"', async () => {
    await fs.writeFile(path.join(folder, 'source', 'img', 'one.png'), 'png-2')
    expect(await run()).not.toContain('nothing changed')
    expect(await fs.readFile(path.join(folder, 'dist', 'html', 'zh-TW', 'img', 'one.png'), 'utf8')).toBe('png-2')
    expect(await run()).toContain('nothing changed')

    const builds = path.join(folder, '.cache', 'zhpress', 'builds')
    for (const name of await listFiles(builds)) await fs.writeFile(path.join(builds, name), '{"version": 1, "site": "')
    expect(await run()).not.toContain('nothing changed')
    expect(await run()).toContain('nothing changed')

    const entries = (await listFiles(path.join(folder, '.cache', 'zhpress', 'articles'))).filter((name) => name.endsWith('.br'))
    await fs.rm(path.join(folder, '.cache', 'zhpress', 'articles', entries[0]!))
    const rebuilt = await run()
    expect(rebuilt).not.toContain('nothing changed')
    expect(rebuilt).toMatch(/, 2 cache hits, /)
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(await expected())
  })
})

describe('large outputs written piece by piece', () => {
  it('jsonListPieces gives the bytes of formatJson for any head and list', () => {
    const value = fc.jsonValue({maxDepth: 3})
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((key) => key !== 'list' && key !== '__proto__'), value, {maxKeys: 4}), fc.array(value, {maxLength: 6}), (head, items) => {
        expect([...jsonListPieces(head, 'list', items)].join('')).toBe(formatJson({...head, list: items}))
      })
    )
    // A value JSON cannot write is `null` in a list, as JSON.stringify writes it; lists longer than a batch.
    expect([...jsonListPieces({}, 'list', [undefined, 1])].join('')).toBe(formatJson({list: [undefined, 1]}))
    for (const length of [255, 256, 257, 1000]) {
      const items = Array.from({length}, (_, index) => ({n: index, tags: index % 3 === 0 ? [] : ['甲\n乙', {}]}))
      expect([...jsonListPieces({a: {b: [1]}}, 'list', items)].join('')).toBe(formatJson({a: {b: [1]}, list: items}))
    }
  })

  it('the compact manifest table gives back every entry as added, and sorted by path as the manifest lists them', () => {
    const entry = fc.record({
      path: fc.string({minLength: 1, maxLength: 12}),
      article: fc.option(fc.constantFrom('甲', 'yi', 'guide/intro'), {nil: null}),
      locale: fc.option(fc.constantFrom(...locales), {nil: null}),
      format: fc.option(fc.constantFrom('md', 'json', 'html', 'asset'), {nil: null}),
      bytes: fc.nat(),
      // Hex digests, and now and then one that is not (a damaged shard's manifest): kept as written.
      sha256: fc.oneof(fc.uint8Array({minLength: 32, maxLength: 32}).map((bytes) => Buffer.from(bytes).toString('hex')), fc.string({maxLength: 8}))
    })
    fc.assert(
      fc.property(fc.array(entry, {maxLength: 1200}), (entries) => {
        const table = manifestTable(entries)
        expect(table.size).toBe(entries.length)
        expect([...table]).toEqual(entries)
        // What the manifest once was: the objects, sorted by path (stable).
        const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        expect([...table.sorted()]).toEqual(sorted)
      }),
      {numRuns: 40}
    )
  })

  it('stageJsonList writes those bytes and gives their manifest entry; the stamp reads back as written', async () => {
    const folder = await temporaryFolder()
    const items = Array.from({length: 3000}, (_, index) => ({file: `source/文章${index}.md`, line: index, message: '甲乙\n丙'.repeat(index % 7)}))
    const entry = await stageJsonList(folder, {path: 'report.json'}, {schemaVersion: 1}, 'messages', items)
    const content = formatJson({schemaVersion: 1, messages: items})
    expect(await fs.readFile(path.join(folder, 'report.json'), 'utf8')).toBe(content)
    expect(entry).toEqual(manifestEntry({path: 'report.json', content}))

    const out = path.join(folder, 'dist')
    const stamp: BuildStamp = {
      version: stampVersion,
      site: 'k',
      output: {files: Object.fromEntries(items.map((item, index) => [`html/zh-TW/${index}.html`, [index, 1.5, 2.25, index * 3] as FileStat])), folders: ['html', 'html/zh-TW']},
      assets: {'/a/b.png': [3, 4] as [number, number]},
      entries: {k1: 10},
      slugs: {abc: 'jia', def: null},
      articles: 1,
      linksChecked: true
    }
    const messages = [{name: 'source/甲.md', messages: [{reason: '“引号”\n', ruleId: 'x'}]}]
    // The build's records: two articles to take again, one (with an error, not cached) not.
    const built = {slug: 'jia', ids: ['一'], anchors: [], assets: [], index: [], outputs: [{path: 'html/zh-TW/jia.html', article: 'jia', locale: 'zh-TW' as const, format: 'html' as const, bytes: 3, sha256: 'ab'}]}
    const pages = {'html/zh-TW/jia.html': {links: ['#一'], ids: ['一']}}
    const results: Array<ArticleResult> = [
      {name: 'source/甲.md', messages: [{reason: '断\t“链”', ruleId: 'broken-link', fatal: false, actual: 'b.md'}, {reason: '注', fatal: null}], built: {...built, pages}, cached: false},
      {name: 'source/丙.md', messages: [{reason: '错', fatal: true}], cached: false},
      {name: 'source/乙.md', messages: [], built: {...built, slug: 'yi'}, cached: true}
    ]
    const records = await openRecords(path.join(folder, 'build.records'), results.length)
    const kept = await Promise.all(results.map((result, index) => records.keep(result, index)))
    await writeStamp(folder, out, {...stamp, output: async () => stamp.output, messages: messages.values()}, {save: (target) => records.saveAs(target), keys: ['k1', null, 'k2']})
    await records.close()
    expect(await readStamp(folder, out)).toEqual(stamp)
    expect(await readStampMessages(folder, out, 'k')).toEqual(messages)
    expect(await readStampMessages(folder, out, 'other build')).toBeUndefined()
    const articles = await readStampedArticles(folder, out, 'k')
    expect([...articles.keys()]).toEqual(['k1', 'k2'])
    expect(articles.get('k1')!.result).toEqual({name: 'source/甲.md', built})
    expect(articles.get('k2')!.result).toEqual({name: 'source/乙.md', built: {...built, slug: 'yi'}})

    // Kept again as recorded (nothing parsed but what the build holds): the same records.
    const again = await openRecords(path.join(folder, 'again.records'), 2)
    const taken = [articles.get('k1')!, articles.get('k2')!]
    const keptAgain = await Promise.all(
      taken.map((article, index) => again.keep({name: article.result.name, messages: [], built: article.result.built, cached: true, recorded: article.text}, index))
    )
    expect(keptAgain).toEqual([kept[0], kept[2]].map((result) => ({...result, cached: true})))
    await again.flush()
    expect(again.messagesOf(0)).toEqual(results[0]!.messages)
    expect(again.messagesOf(1)).toEqual([])
    const scans: Array<unknown> = []
    for await (const [, found] of again.eachPages()) scans.push(found)
    expect(scans).toEqual([pages, undefined])
    await again.close()
    expect(await readStampedArticles(folder, out, 'other build')).toEqual(new Map())
  })
})

describe('staged outputs and cache entries hold the bytes once', () => {
  it('stageFile writes a text as UTF-8 (given as text or as its bytes alike, folders made as needed, a file in the way replaced); a cache entry gives back each content byte for byte', async () => {
    const folder = await temporaryFolder()
    const text = fc.string({unit: 'binary', maxLength: 40})
    let round = 0
    await fc.assert(
      fc.asyncProperty(fc.array(text, {maxLength: 6}), text, async (contents, summary) => {
        round++
        const staging = path.join(folder, `staging-${round}`)
        const outputs = []
        for (const [index, content] of contents.entries()) {
          const file = {path: `html/zh-TW/第${index}篇/${index % 2}.html`, content, article: `第${index}篇`, locale: 'zh-TW' as const, format: 'html' as const}
          // Given as text, then again as bytes onto the same path (the file in the way is replaced).
          const entry = await stageFile(staging, file)
          expect(entry).toEqual(manifestEntry(file))
          expect(await stageFile(staging, {...file, content: Buffer.from(content, 'utf8')})).toEqual(entry)
          expect(await fs.readFile(path.join(staging, file.path))).toEqual(Buffer.from(content, 'utf8'))
          outputs.push(entry)
        }

        const bytes = contents.map((content) => Buffer.from(content, 'utf8'))
        const record = {outputs, summary: {name: summary, lines: summary.split('\n')}}
        const written = await writeCache(folder, `key${round}`, record, bytes)
        expect(written).toBeGreaterThan(0)
        const hit = await readCache<typeof record.summary>(folder, `key${round}`)
        expect(hit?.record).toEqual(record)
        expect(hit?.contents.map((content) => Buffer.from(content))).toEqual(bytes)
        expect(hit?.bytes).toBe(written)
      }),
      {numRuns: 40}
    )
  })
})

describe('the final phase reads the articles back from disk', () => {
  it('the link check walking the pages one at a time reports what it reports from a map of them', async () => {
    const {VFile} = await import('vfile')
    const {checkPublishedLinks} = await import('../scripts/commands/site-tree.ts')
    const scans = new Map([
      ['html/zh-TW/a.html', {links: ['b.html#二', 'b.html#無', '#頂', '#沒有', 'c.html', '../zh-HK/a.html'], ids: ['頂']}],
      ['html/zh-TW/b.html', {links: ['a.html#頂', 'a.html#缺'], ids: ['二']}],
      ['html/zh-HK/a.html', {links: ['../zh-TW/b.html#二'], ids: []}]
    ])
    const entry = (file: string, article: string) => ({path: file, article, locale: 'zh-TW' as const, format: 'html', bytes: 0, sha256: ''})
    const entries = [entry('html/zh-TW/a.html', 'a'), entry('html/zh-TW/b.html', 'b'), entry('html/zh-HK/a.html', 'a-hk')]
    const messages = async (walk: boolean) => {
      const files = {a: new VFile({path: 'source/a.md'}), b: new VFile({path: 'source/b.md'}), 'a-hk': new VFile({path: 'source/a-hk.md'})}
      let walks = 0
      const source = walk
        ? async (visit: (file: string, scan: {links: Array<string>; ids: Array<string>}) => void) => {
            walks++
            // Any order: the records are in the order the articles finished.
            for (const [file, scan] of [...scans].reverse()) visit(file, scan)
          }
        : scans
      const count = await checkPublishedLinks('/nowhere', entries, new Map(Object.entries(files)), [], source)
      return {count, walks, messages: Object.values(files).map((file) => file.messages.map((message) => message.reason))}
    }

    const fromMap = await messages(false)
    const walked = await messages(true)
    expect(fromMap.count).toBe(4)
    expect(walked.messages).toEqual(fromMap.messages)
    expect(walked.count).toBe(fromMap.count)
    // The second walk only for the ids of pages other pages link into.
    expect(walked.walks).toBe(2)
  })

  it('a rebuild checks only the links of pages that are not as the last check saw them, when it found none broken among the same files', async () => {
    const {VFile} = await import('vfile')
    const {checkPublishedLinks} = await import('../scripts/commands/site-tree.ts')
    // a's page has a link that finds nothing; b's page is fine.
    const scans = new Map([
      ['html/zh-TW/a.html', {links: ['b.html#無'], ids: ['頂']}],
      ['html/zh-TW/b.html', {links: ['a.html#頂'], ids: ['二']}]
    ])
    const entry = (file: string, article: string) => ({path: file, article, locale: 'zh-TW' as const, format: 'html', bytes: 0, sha256: ''})
    const entries = [entry('html/zh-TW/a.html', 'a'), entry('html/zh-TW/b.html', 'b')]
    const check = async (since: Parameters<typeof checkPublishedLinks>[7], more: Array<ReturnType<typeof entry>> = [], files = {a: new VFile({path: 'source/a.md'}), b: new VFile({path: 'source/b.md'})}) => {
      const asked: Array<Array<string> | undefined> = []
      const walk = async (visit: (file: string, scan: {links: Array<string>; ids: Array<string>}) => void, pages?: ReadonlySet<string>) => {
        asked.push(pages && [...pages])
        for (const [file, scan] of scans) visit(file, scan)
      }

      let digest = ''
      const count = await checkPublishedLinks('/nowhere', [...entries, ...more], new Map(Object.entries(files)), [], walk, undefined, undefined, {
        ...since,
        checked: (files) => (digest = files)
      })
      return {count, digest, asked, reasons: files.a.messages.map((message) => message.reason)}
    }

    const full = await check({})
    expect(full.count).toBe(1)
    expect(full.reasons).toEqual([expect.stringContaining('b.html#無')])
    expect(full.asked[0]).toBeUndefined()
    const settled = async (last: {files: string; broken: number}, more?: Array<ReturnType<typeof entry>>) => {
      const files = {a: new VFile({path: 'source/a.md'}), b: new VFile({path: 'source/b.md'})}
      return {files, result: await check({last, settled: new Set([files.a])}, more, files)}
    }

    // The last check found a broken link: a's page is checked again, and its link reported again.
    expect((await settled({files: full.digest, broken: 1})).result.count).toBe(1)
    // Other files than the last check's: checked again.
    expect((await settled({files: 'another digest', broken: 0})).result.count).toBe(1)
    expect((await settled({files: full.digest, broken: 0}, [entry('html/zh-TW/c.html', 'c')])).result.count).toBe(1)
    // The same files and none broken: a's page (settled) is not looked at; only b's scan is asked for.
    const skipped = await settled({files: full.digest, broken: 0})
    expect(skipped.result.count).toBe(0)
    expect(skipped.result.asked[0]).toEqual(['zh-TW/b.html'])
  })

  it('a build leaves no records beside dist/; a killed build’s are removed by the next one', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '# 甲\n\n正文。\n')
    // What a build killed while its articles ran leaves (its process is gone).
    await fs.writeFile(path.join(folder, '.dist.tmp-999999999-abcdef.records'), '[0,{}]\n')
    const result = await runCli(['build', '--jobs', '1'], {cwd: folder, env: {ZHPRESS_CACHE_DIR: path.join(folder, '.cache', 'zhpress')}})
    expect(result.code, result.stderr).toBe(0)
    expect((await fs.readdir(folder)).filter((name) => name.startsWith('.dist')).sort()).toEqual([])
  })
})

describe('the final phase streams what it once held whole', () => {
  /** A site with warnings of several kinds: generated articles, links and images that find nothing, a link into a missing heading of another article. */
  async function site(folder: string): Promise<void> {
    await fs.mkdir(path.join(folder, 'source'), {recursive: true})
    for (const {name, content} of await generateCorpus({articles: 10, seed: 11, minBytes: 500, maxBytes: 1200})) {
      await fs.writeFile(path.join(folder, 'source', name), content)
    }

    await fs.writeFile(
      path.join(folder, 'source', 'links.md'),
      '---\ntitle: 链接\n---\n\n# 链接\n\n## 第一节\n\n见[不存在的文章](missing.md)、[另一篇的标题](a00001.md#没有这一节)和[本节](#没有)。\n\n![图](missing.png)\n\n头发和软件。\n'
    )
  }

  it('report.json, manifest.json, each index.json and the printed diagnostics equal what the whole of them held in memory gives (--jobs 2)', async () => {
    const {buildSite} = await import('../scripts/commands/build.ts')
    const {formatDiagnostics, reportEntries} = await import('../scripts/report.ts')
    const folder = await temporaryFolder()
    await site(folder)
    // The library call: every file with every message, in memory.
    const whole = await buildSite({cwd: folder, out: 'whole', jobs: 2})
    expect(whole.ok).toBe(true)
    // The library call with `onFile`: the same files, one at a time, none in the result.
    const taken: Array<import('vfile').VFile> = []
    const streamed = await buildSite({cwd: folder, out: 'streamed', jobs: 2, onFile: (file) => taken.push(file)})
    expect(streamed.files).toEqual([])
    expect(taken.map((file) => [file.path, file.messages.map((message) => [message.ruleId, message.line, message.reason])])).toEqual(
      whole.files.map((file) => [file.path, file.messages.map((message) => [message.ruleId, message.line, message.reason])])
    )
    // The command (files to `onFile`, report.json read back from the records).
    const command = await runCli(['build', '--no-cache', '--jobs', '2'], {cwd: folder})
    expect(command.code, command.stderr).toBe(0)

    const report = JSON.parse(await fs.readFile(path.join(folder, 'dist', 'report.json'), 'utf8')) as {messages: Array<{ruleId: string | null}>}
    expect(report.messages).toEqual(reportEntries(whole.files))
    const kinds = new Set(report.messages.map((message) => message.ruleId))
    for (const rule of ['broken-link', 'missing-image', 'standard-form']) expect(kinds).toContain(rule)
    expect(kinds.size).toBeGreaterThanOrEqual(4)
    // The cross-article link into a missing heading: found by the site-wide check, in the same report.
    expect(report.messages.some((message) => message.ruleId === 'broken-link' && JSON.stringify(message).includes('没有这一节'))).toBe(true)
    const lines = command.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('built ') && !line.startsWith('note: no base URL'))
    expect(lines).toEqual(formatDiagnostics(whole.files, {linksChecked: true}))

    // manifest.json: the in-memory manifest, every file of dist/ with its real size and hash.
    const manifest = JSON.parse(await fs.readFile(path.join(folder, 'dist', 'manifest.json'), 'utf8')) as import('../scripts/write.ts').Manifest
    expect(manifest).toEqual(whole.manifest)
    const names = (await listFiles(path.join(folder, 'dist'))).filter((name) => name !== 'manifest.json').sort()
    expect(manifest.outputs.map((entry) => entry.path).sort()).toEqual(names)
    for (const entry of manifest.outputs) {
      const bytes = await fs.readFile(path.join(folder, 'dist', entry.path))
      expect([entry.bytes, entry.sha256]).toEqual([bytes.length, createHash('sha256').update(bytes).digest('hex')])
    }

    // Each locale's index.json, written entry by entry: what the whole index, made again from the published documents, gives.
    const {indexEntry, localeIndex} = await import('../scripts/site-index.ts')
    for (const locale of locales) {
      const json = path.join(folder, 'dist', 'json', locale)
      const names = (await fs.readdir(json)).filter((name) => name !== 'index.json')
      expect(names.length).toBe(11)
      const documents = await Promise.all(names.map(async (name) => JSON.parse(await fs.readFile(path.join(json, name), 'utf8')) as ArticleDocument))
      expect(await fs.readFile(path.join(json, 'index.json'), 'utf8')).toBe(formatJson(localeIndex(locale, documents.map((document) => indexEntry(document)))))
    }

    for (const out of ['whole', 'streamed']) expect(await snapshot(path.join(folder, out))).toEqual(await snapshot(path.join(folder, 'dist')))
    // Nothing left beside the output folders: no staging folder, no records.
    expect((await fs.readdir(folder)).filter((name) => name.startsWith('.')).sort()).toEqual([])
  })

  it('a build that fails in the site-wide checks leaves dist/ as it was, no staging folder and no records, and says why', async () => {
    const folder = await temporaryFolder()
    await site(folder)
    expect((await runCli(['build', '--no-cache', '--jobs', '2'], {cwd: folder})).code).toBe(0)
    const before = await snapshot(path.join(folder, 'dist'))
    // Two articles on one page path: known only once every article is built.
    await fs.writeFile(path.join(folder, 'source', 'twin.md'), '---\nslug: links\n---\n\n# 双\n\n正文。\n')
    const failed = await runCli(['build', '--no-cache', '--jobs', '2'], {cwd: folder})
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/source\/twin\.md:2:\d+ error .*\[duplicate-slug\]/)
    expect(failed.stderr).toContain('build failed: dist/ was left as it was')
    expect(await snapshot(path.join(folder, 'dist'))).toEqual(before)
    expect((await fs.readdir(folder)).filter((name) => name.startsWith('.')).sort()).toEqual([])
  })
})

describe('the records of a build', () => {
  it('give back each result as kept, in parts, lines longer than a read and characters cut by one included; any article’s messages on demand', async () => {
    const {openRecords} = await import('../scripts/commands/build-records.ts')
    const folder = await temporaryFolder()
    const records = await openRecords(path.join(folder, '.dist.tmp-1-a.records'), 4)
    const long = '汉字'.repeat(400_000) + '\t\n'
    const results = [
      {
        name: 'source/甲.md',
        messages: [{reason: long}, {reason: '斷', ruleId: 'broken-link', fatal: false, actual: 'b.md#x'}, {reason: '錯', fatal: true}],
        cached: false,
        cacheEntry: {key: 'k', bytes: 3},
        built: {slug: 'jia', ids: ['一'], anchors: [], assets: ['a.png'], index: [], outputs: [], pages: {'html/zh-TW/jia.html': {links: ['#一'], ids: ['一']}}}
      },
      {name: 'source/乙.md', messages: [], cached: true},
      {name: 'source/丙.md', messages: [{reason: '丙\t', fatal: false, place: {line: 2, column: 1}}], cached: true, built: {slug: 'bing', slugPoint: {line: 2, column: 1}, ids: [], anchors: [], assets: [], index: [], outputs: []}}
    ]
    const kept = []
    // Kept out of order, as workers finish: position 3 never.
    for (const index of [2, 0, 1]) kept[index] = await records.keep(results[index] as never, index)
    expect(kept[0]).toEqual({
      name: 'source/甲.md',
      cached: false,
      cacheEntry: {key: 'k', bytes: 3},
      built: {slug: 'jia', ids: ['一'], anchors: [], assets: ['a.png']},
      errors: 1,
      warnings: 1,
      sourceBroken: ['b.md#x']
    })
    expect(kept[1]).toEqual({name: 'source/乙.md', cached: true, errors: 0, warnings: 0})
    expect(kept[2]).toMatchObject({errors: 0, warnings: 1})
    const each = []
    for await (const entry of records.each()) each.push(entry)
    expect(each).toEqual(
      [2, 0, 1].map((index) => {
        const {cached: _, cacheEntry: __, messages: ___, ...result} = results[index]!
        const {pages: ____, ...built} = (result.built ?? {}) as Record<string, unknown>
        return [index, result.built ? {...result, built} : result]
      })
    )
    await records.flush()
    for (const index of [1, 0, 2]) expect(records.messagesOf(index)).toEqual(results[index]!.messages)
    expect(records.messagesOf(3)).toEqual([])
    const pages = []
    for await (const entry of records.eachPages()) pages.push(entry)
    expect(pages).toEqual([[2, undefined], [0, results[0]!.built!.pages], [1, undefined]])
    for await (const [index, text] of records.eachText()) {
      const {cached: _, cacheEntry: __, ...result} = results[index]!
      expect(JSON.parse(text)).toEqual(result)
    }

    await records.close()
    expect(await fs.readdir(folder)).toEqual([])
  })
})
