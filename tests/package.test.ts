/**
 * zhpress used from another project, as a user would: `npm pack`, install
 * the tarball into a fresh project with production dependencies only (no
 * tsx, no TypeScript), then import the API from plain JavaScript,
 * type-check a TypeScript file against its types with `tsc --strict`, and
 * run `npx zhpress convert` and `npx zhpress build` (with worker threads).
 *
 * Real subprocesses throughout. npm installs with `--prefer-offline`: the
 * dependencies come from the local npm cache that `npm ci` filled, and the
 * registry is asked only for what is missing from it.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {standardImageData} from '../scripts/convert/lint.ts'
import {candidateTables, neighbourEvidence} from '../scripts/convert/review.ts'
import {listFiles, root, temporaryFolder} from './helpers.ts'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Run a command to its end, with optional standard input. */
function run(command: string, args: Array<string>, options: {cwd: string; input?: string}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // The run's cache root does not apply: the project opens its own.
    const env = {...process.env, ZHPRESS_CACHE_DIR: undefined, CI: 'true'}
    const child = spawn(command, args, {cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
    // A command may exit before it reads its input: that is its answer, not an error of the test.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']

/** A copy of what `npm pack` reads, so packing writes nothing into the checkout. */
async function packageCopy(folder: string): Promise<string> {
  const copy = path.join(folder, 'zhpress')
  await fs.mkdir(copy)
  for (const name of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'scripts']) {
    await fs.cp(path.join(root, name), path.join(copy, name), {recursive: true})
  }

  // The compile step (`prepare`) runs TypeScript from the checkout's development dependencies.
  await fs.symlink(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir')
  return copy
}

const consumerTs = `import {buildSite, checkSite, convertMarkdown, convertText, rules, type ArticleDocument, type ConvertResult, type Locale, type RuleId} from 'zhpress'
import {indexEntry, readingSpeed, schemaOf, schemaVersion} from 'zhpress'
import type {ArticleIndex, ArticleResource, DateValue, IndexEntry, Manifest, ManifestEntry, Report, Resources, TitlesResource, UiResource} from 'zhpress'

const locale: Locale = 'zh-TW'
const result: ConvertResult = convertText('鼠标和软件', {to: locale})
const text: string | undefined = result.value
const reasons: Array<string> = result.file.messages.map((message) => message.reason)
const markdown = convertMarkdown('# 软件', {to: 'zh-HK'}).value ?? ''

async function site(): Promise<Array<string>> {
  const built = await buildSite({source: 'source', out: 'dist', locales: [locale], formats: ['md', 'html']})
  const checked = await checkSite({source: 'source'})
  return built.ok ? built.manifest!.outputs.map((entry) => entry.path).concat(checked.files.map((file) => file.path)) : []
}

function title(document: ArticleDocument): string {
  return document.title + document.toc.map((entry) => entry.text).join('')
}

// The bundle's types: an app listing a locale's index and loading namespaces.
function latest(index: ArticleIndex): IndexEntry | undefined {
  const dated = (entry: IndexEntry): DateValue => entry.updated ?? entry.date ?? ''
  return [...index.articles].sort((a, b) => dated(b).localeCompare(dated(a)))[0]
}

function minutes(entry: IndexEntry): string {
  return \`\${entry.readingMinutes} min at \${readingSpeed}/min: \${entry.excerpt} (\${entry.url ?? entry.html})\`
}

function bundle(titles: TitlesResource, ui: UiResource, article: ArticleResource): Resources {
  return {'zh-TW': {titles, ui, [article.title]: article}}
}

function hashes(manifest: Manifest): Array<ManifestEntry['sha256']> {
  return manifest.outputs.filter((entry) => entry.locale === 'zh-TW').map((entry) => entry.sha256)
}

function errors(report: Report): number {
  return report.messages.filter((message) => message.severity === 'error').length
}

function entry(document: ArticleDocument): IndexEntry {
  return indexEntry(document, {baseUrl: 'https://example.org/'})
}

const version: 2 = schemaVersion
const schema: Record<string, unknown> = schemaOf('index.schema.json')
// @ts-expect-error readingMinutes is a number
const wrong: IndexEntry['readingMinutes'] = '3'

const rule: RuleId = 'ambiguous-conversion'
const severity: 'error' | 'warning' | 'info' = rules[rule].severity

// @ts-expect-error \`to\` is required
convertText('软件', {})

export {text, reasons, markdown, site, title, severity, latest, minutes, bundle, hashes, errors, entry, version, schema, wrong}
`

describe('the packed package in another project', () => {
  it('installs with production dependencies only, and works from JavaScript, TypeScript and npx', async () => {
    const work = await temporaryFolder('zhpress-pack-')
    const copy = await packageCopy(work)
    const packed = await run('npm', ['pack', '--pack-destination', work, ...npmFlags], {cwd: copy})
    expect(packed.code, packed.stderr).toBe(0)
    const tarball = path.join(work, packed.stdout.trim().split('\n').at(-1)!)
    const listing = await run('tar', ['-tzf', tarball], {cwd: work})
    const shipped = listing.stdout.split('\n')
    expect(shipped).toContain('package/lib/index.js')
    expect(shipped).toContain('package/lib/index.d.ts')
    expect(shipped).toContain('package/lib/cli.js')
    expect(shipped).toContain('package/lib/commands/build-worker.mjs')
    // OpenCC's dictionaries, compiled by `prepare`: nothing to compile at run time.
    expect(shipped.filter((name) => /^package\/lib\/dictionaries\/[0-9a-f]{16}-opencc-.*\.bin$/.test(name)).length).toBeGreaterThan(5)
    // Jieba's dictionary too: the corrections' words without the native Jieba's start.
    expect(shipped.filter((name) => /^package\/lib\/dictionaries\/jieba-.*\.bin$/.test(name))).toHaveLength(1)
    expect(shipped.filter((name) => name.startsWith('package/scripts/') || name.startsWith('package/tests/'))).toEqual([])
    // Tables the compile derives from the dictionaries, as the sources make them (each worker reads them instead).
    const unpacked = path.join(work, 'unpacked')
    await fs.mkdir(unpacked)
    const derived = {'neighbours.json': neighbourEvidence(), 'candidates.json': candidateTables(), 'images.json': standardImageData()}
    const members = Object.keys(derived).map((name) => `package/lib/convert/${name}`)
    expect((await run('tar', ['-xzf', tarball, '-C', unpacked, ...members], {cwd: work})).code).toBe(0)
    for (const [name, made] of Object.entries(derived)) {
      expect(JSON.parse(await fs.readFile(path.join(unpacked, 'package', 'lib', 'convert', name), 'utf8')), name).toEqual(made)
    }

    expect(derived['neighbours.json']['面']!.pairs).toContain('汤面')
    expect(derived['candidates.json'].st['干']).toEqual(expect.arrayContaining(['幹', '乾']))

    const app = path.join(work, 'app')
    await fs.mkdir(path.join(app, 'source'), {recursive: true})
    await fs.writeFile(path.join(app, 'package.json'), JSON.stringify({name: 'app', private: true, type: 'module'}, null, 2))
    // @types/node is the app's own: its TypeScript file uses Node.
    const installed = await run('npm', ['install', '--omit=dev', ...npmFlags, tarball, '@types/node@20.19.43'], {cwd: app})
    expect(installed.code, installed.stderr).toBe(0)
    const modules = path.join(app, 'node_modules')
    for (const development of ['tsx', 'typescript', 'vitest', 'esbuild']) {
      await expect(fs.access(path.join(modules, development)), development).rejects.toThrow()
    }

    // Plain JavaScript: the API, and no file written anywhere by library calls.
    const zhpressFiles = await listFiles(path.join(modules, 'zhpress'))
    await fs.writeFile(
      path.join(app, 'use.mjs'),
      "import {convertText, convertMarkdown} from 'zhpress'\n" +
        "console.log(convertText('鼠标和软件', {to: 'zh-TW'}).value)\n" +
        "console.log(convertMarkdown('# 头发\\n\\n理**发**店 `代码`\\n', {to: 'zh-Hant', from: 'zh-Hans'}).value)\n"
    )
    const used = await run(process.execPath, ['use.mjs'], {cwd: app})
    expect(used.code, used.stderr).toBe(0)
    expect(used.stdout).toBe('滑鼠和軟體\n# 頭髮\n\n理**髮**店 `代码`\n\n')
    expect((await fs.readdir(app)).sort()).toEqual(['node_modules', 'package-lock.json', 'package.json', 'source', 'use.mjs'])
    expect(await listFiles(path.join(modules, 'zhpress'))).toEqual(zhpressFiles)

    // TypeScript, strict, against the shipped declarations (library checks included).
    await fs.writeFile(path.join(app, 'consumer.ts'), consumerTs)
    const tsconfig = {
      compilerOptions: {strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node']},
      files: ['consumer.ts']
    }
    await fs.writeFile(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig))
    const typed = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {cwd: app})
    expect(typed.code, typed.stdout + typed.stderr).toBe(0)

    // The command.
    const converted = await run('npx', ['--no-install', 'zhpress', 'convert', '--to', 'zh-TW', '-'], {cwd: app, input: '鼠标和软件\n'})
    expect(converted.code, converted.stderr).toBe(0)
    expect(converted.stdout).toBe('滑鼠和軟體\n')

    await fs.writeFile(path.join(app, 'source', 'a.md'), '---\ntitle: 软件\nlang: zh-Hans\n---\n\n鼠标和软件。\n')
    await fs.writeFile(path.join(app, 'source', 'b.md'), '---\ntitle: 記憶體\nlang: zh-TW\n---\n\n程式碼和記憶體。\n')
    const built = await run('npx', ['--no-install', 'zhpress', 'build', '--jobs', '2'], {cwd: app})
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toMatch(/^built 2 articles × 4 locales: \d+ files in dist\//m)
    expect(await fs.readFile(path.join(app, 'dist', 'markdown', 'zh-TW', 'a.md'), 'utf8')).toBe('---\ntitle: 軟體\nlang: zh-TW\n---\n\n滑鼠和軟體。\n')
    expect(await fs.readFile(path.join(app, 'dist', 'markdown', 'zh-Hans', 'b.md'), 'utf8')).toBe('---\ntitle: 内存\nlang: zh-Hans\n---\n\n代码和内存。\n')
    const page = await fs.readFile(path.join(app, 'dist', 'html', 'zh-HK', 'a.html'), 'utf8')
    expect(page).toContain('<html lang="zh-Hant-HK"')
    const manifest = JSON.parse(await fs.readFile(path.join(app, 'dist', 'manifest.json'), 'utf8')) as {outputs: Array<{path: string}>}
    expect(manifest.outputs.map((entry) => entry.path)).toContain('json/zh-Hant/b.json')
    // README's example, as written there.
    const readme = await fs.readFile(path.join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Use as a library'))
    const example = /```js\n([\s\S]*?)```/.exec(section)![1]!
    await fs.writeFile(path.join(app, 'example.mjs'), example)
    const ran = await run(process.execPath, ['example.mjs'], {cwd: app})
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stdout.split('\n').slice(0, 4)).toEqual(['滑鼠和軟體', '# 頭髮', '', '理**髮**店 `代码`'])
    expect(ran.stdout).toMatch(/^\d+ files$/m)
    await fs.access(path.join(app, 'site', 'html', 'zh-TW', 'a.html'))

    // The command opened the one cache root, in the project; the dictionaries
    // came compiled with the package, so none were compiled into it.
    const cacheEntries = await fs.readdir(path.join(app, '.cache', 'zhpress'))
    expect(cacheEntries).toContain('articles')
    expect(cacheEntries).not.toContain('dictionaries')
    expect(await listFiles(path.join(modules, 'zhpress'))).toEqual(zhpressFiles)
  }, 900_000)
})
