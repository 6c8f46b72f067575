/**
 * examples/reader: a plain TypeScript app on the JSON bundle. Each test
 * builds a site into a temporary folder, sets the app up as a reader of
 * that site would (its source, its tsconfig, the bundle's own
 * `zhpress.d.ts` beside it), compiles it with `tsc --strict`, runs the
 * compiled JavaScript with Node and checks what it prints: the locale's
 * list from index.json and one article rendered with i18next, falling back
 * to the nearest locale the site was built in.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {expectFile, fixtures, root, runCli, temporaryFolder} from './helpers.ts'

const run = promisify(execFile)
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const example = path.join(root, 'examples', 'reader')
const site = path.join(fixtures, 'bundle-site')

/** Build the bundle fixture site, and set the reader app up beside it. */
async function setUp(...extra: Array<string>): Promise<{dist: string; app: string}> {
  const folder = await temporaryFolder()
  const dist = path.join(folder, 'dist')
  const built = await runCli(['build', '--source', path.join(site, 'source'), '--out', dist, '--formats', 'json', ...extra])
  expect(built.code, built.stderr).toBe(0)
  const app = path.join(folder, 'app')
  await fs.mkdir(app)
  for (const name of ['reader.ts', 'tsconfig.json']) await fs.copyFile(path.join(example, name), path.join(app, name))
  // The types come with the bundle: json/zhpress.d.ts, copied next to the app.
  await fs.copyFile(path.join(dist, 'json', 'zhpress.d.ts'), path.join(app, 'zhpress.d.ts'))
  await fs.writeFile(path.join(app, 'package.json'), JSON.stringify({name: 'reader', private: true, type: 'module'}))
  // Its dependencies (i18next, @types/node) as an app installs them.
  await fs.symlink(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir')
  return {dist, app}
}

async function compile(app: string): Promise<{code: number; output: string}> {
  return run(process.execPath, [tsc, '--strict', '-p', app], {cwd: app}).then(
    ({stdout, stderr}) => ({code: 0, output: stdout + stderr}),
    (error: {code: number; stdout: string; stderr: string}) => ({code: error.code, output: error.stdout + error.stderr})
  )
}

async function reader(app: string, ...args: Array<string>): Promise<string> {
  const {stdout} = await run(process.execPath, [path.join(app, 'build', 'reader.js'), ...args], {cwd: app})
  return stdout
}

describe('examples/reader', () => {
  it('type-checks with tsc --strict against the bundle\'s zhpress.d.ts, and lists and renders in zh-HK', async () => {
    const {dist, app} = await setUp('--base-url', 'https://example.org/tea/')
    const compiled = await compile(app)
    expect(compiled, compiled.output).toEqual({code: 0, output: ''})
    const output = await reader(app, dist, 'zh-HK', 'notes/tea-market')
    expect(output).toBe(await expectFile(path.join(site, 'app.zh-HK.txt'), output))
    // The list: zh-HK's own index, in its order (by path), with reading time and the absolute URL.
    expect(output.split('\n')[0]).toBe('4 篇文章（zh-HK）')
    expect(output).toContain('- 週末茶葉市場見聞 · 約 1 分鐘 · https://example.org/tea/zh-HK/notes/tea-market.html')
    // The date as written (07:30 at +08:00 is still the 15th), formatted by i18next for zh-HK.
    expect(output).toContain('<p><time datetime="2026-03-15T07:30:00+08:00">發佈於2026年3月15日</time></p>')
    // The article and the site's strings in zh-HK (裏, 説: Hong Kong forms); the app's strings from zh-Hant.
    expect(output).toContain('notes/tea-market: article from zh-HK, ui from zh-HK, app strings from zh-Hant')
    expect(output).toContain('店裏的茶桌')
    expect(output).toContain('老闆説他的龍井')
    expect(output).toContain('<nav><h2>目錄</h2>')
  })

  it('falls back from zh-HK to zh-Hant, and then to zh-Hans, when the site was not built in them', async () => {
    const traditional = await setUp('--locales', 'zh-Hans,zh-Hant')
    expect((await compile(traditional.app)).code).toBe(0)
    const fromHant = await reader(traditional.app, traditional.dist, 'zh-HK', 'guide/bike/fix-a-flat')
    expect(fromHant.split('\n')[0]).toBe('4 篇文章（zh-Hant）')
    expect(fromHant).toContain('guide/bike/fix-a-flat: article from zh-Hant, ui from zh-Hant, app strings from zh-Hant')
    // No base URL: the page relative to the site root.
    expect(fromHant).toContain('- 單車爆胎點樣補 · 約 1 分鐘 · zh-Hant/guide/bike/fix-a-flat.html')
    expect(fromHant).toContain('<html lang="zh-HK">')
    expect(fromHant).toContain('<p>顯示語言：繁體中文（通用）</p>')

    const simplified = await setUp('--locales', 'zh-Hans')
    expect((await compile(simplified.app)).code).toBe(0)
    const fromHans = await reader(simplified.app, simplified.dist, 'zh-HK', 'guide/bike/fix-a-flat')
    expect(fromHans.split('\n')[0]).toBe('4 篇文章（zh-Hans）')
    expect(fromHans).toContain('guide/bike/fix-a-flat: article from zh-Hans, ui from zh-Hans, app strings from zh-Hant')
    expect(fromHans).toContain('<h1>单车爆胎点样补</h1>')
    // The app's own strings still come from zh-Hant, the reader's nearest.
    expect(fromHans).toContain('- 单车爆胎点样补 · 約 1 分鐘 · zh-Hans/guide/bike/fix-a-flat.html')
  })

  it('is checked for real: misusing a bundle type fails tsc --strict', async () => {
    const {app} = await setUp('--locales', 'zh-TW')
    await fs.writeFile(
      path.join(app, 'reader.ts'),
      "import type {IndexEntry} from './zhpress.js'\nexport function shout(entry: IndexEntry): string {\n  const minutes: string = entry.readingMinutes.toUpperCase()\n  return minutes + entry.description.trim()\n}\n"
    )
    const compiled = await compile(app)
    expect(compiled.code).not.toBe(0)
    expect(compiled.output).toMatch(/reader\.ts\(3,48\): error TS2339: Property 'toUpperCase' does not exist on type 'number'/)
    // `description` may be null.
    expect(compiled.output).toMatch(/reader\.ts\(4,20\): error TS18047: 'entry\.description' is possibly 'null'/)
  })
})
