/**
 * `npm run bench`: zhpress against the naive pipeline a user would write,
 * on a generated corpus, every build a real subprocess (real start-up,
 * real peak RSS), interleaved and repeated; medians are reported.
 *
 *   npm run bench -- [--articles N | --tree DIR] [--text FILE] [--runs R] [--only LIST] [--json] [--keep]
 *
 * LIST: naive,whole,full,noop,one,watch,check,jobs1,jobs2,engine,bigfile,startup (default: all).
 * `watch` changes one article three times under `build --watch` (after the
 * round's full build; the first change 3 s after the session started, as
 * an editor's first save would come) and times each change until the
 * rebuild is done.
 *
 * Baselines: `naive` (opencc-js + remark → rehype per locale, the corpus
 * only) and `whole` (opencc-js over each whole file into the four locales,
 * no Markdown). `--tree DIR` benchmarks a copy of any folder of Markdown (a
 * real documentation tree) instead of the generated corpus. `bigfile`
 * converts 17 MB of plain Traditional text to Simplified with `zhpress
 * convert` and with opencc-js, twice: a text of distinct lines (generated,
 * or `--text FILE`, any Traditional text) and one paragraph repeated (the
 * seed's: the best case of the per-line memos); `startup` times `zhpress convert` of one line as a whole
 * process against an opencc-js one-liner.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'
import {generateBook, writeCorpus} from './corpus.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const tsx = require.resolve('tsx')
const {values} = parseArgs({
  options: {
    articles: {type: 'string', default: '1000'},
    tree: {type: 'string'},
    text: {type: 'string'},
    runs: {type: 'string', default: '3'},
    only: {type: 'string'},
    json: {type: 'boolean'},
    keep: {type: 'boolean'}
  }
})
const articles = Number(values.articles)
const runs = Number(values.runs)
const all = ['naive', 'whole', 'full', 'noop', 'one', 'watch', 'check', 'jobs1', 'jobs2', 'engine', 'bigfile', 'startup']
const only = new Set(values.only ? values.only.split(',') : all)
const tree = values.tree ? path.resolve(values.tree) : undefined
// The naive baseline reads the corpus's flat folder and `lang:` lines only.
if (tree) only.delete('naive')
const cores = os.availableParallelism()
// With two cores the default build is already `--jobs 2`.
if (cores === 2 && only.has('full')) only.delete('jobs2')
const log = (text: string) => process.stderr.write(text + '\n')

interface Sample {
  seconds: number
  maxRss: number
}

// Every process measured runs plain JavaScript, as a user's would: zhpress
// from its compiled \`lib/\` (compiled now, so it is the checkout's code), the
// baselines and the child wrapper transformed by esbuild (tsx's own
// compiler) into a folder beside the dependencies they import.
log('compiling lib/ (npm run compile) and the baselines')
await new Promise<void>((resolve, reject) => {
  const child = spawn(process.execPath, [path.join(root, 'scripts/compile.mjs')], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']})
  child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`compile exited ${code}`))))
})
const compiledScripts = path.join(root, 'node_modules', '.cache', 'zhpress-bench')
await fs.mkdir(compiledScripts, {recursive: true})
const {transform} = require('esbuild') as typeof import('esbuild')
const scripts: Record<string, string> = {}
for (const name of ['naive', 'whole-file', 'opencc-file', 'child']) {
  let code = (await transform(await fs.readFile(path.join(root, 'scripts/bench', name + '.ts'), 'utf8'), {loader: 'ts', format: 'esm', target: 'node20'})).code
  code = code.replace(/["']\.\.\/commands\/index\.ts["']/, JSON.stringify(pathToFileURL(path.join(root, 'lib/commands/index.js')).href))
  scripts[name] = path.join(compiledScripts, name + '.mjs')
  await fs.writeFile(scripts[name], code)
}

/** Run a bench script (by name, or a compiled `.js` path) in a fresh Node process; wall time from spawn to exit. */
async function run(script: string, args: Array<string>, cwd: string, accept: Array<number> = [0], output?: string): Promise<{seconds: number; stdout: string}> {
  // Standard output into a file when asked (a big output, as a user would redirect it).
  const sink = output === undefined ? 'pipe' : await fs.open(output, 'w')
  const started = performance.now()
  const file = scripts[script] ?? script
  const child = spawn(process.execPath, file.endsWith('.ts') ? ['--import', tsx, file, ...args] : [file, ...args], {
    cwd,
    stdio: ['ignore', typeof sink === 'string' ? sink : sink.fd, 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk))
  const code = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const seconds = (performance.now() - started) / 1000
  if (typeof sink !== 'string') await sink.close()
  if (!accept.includes(code)) throw new Error(`${path.basename(script)} ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`)
  return {seconds, stdout}
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'zhpress-bench-'))
const source = path.join(work, 'source')
let bytes: number
if (tree) {
  await fs.cp(tree, source, {recursive: true, filter: (from) => !/(?:^|[/\\])(?:\.git|node_modules)$/.test(from)})
  const files = await fs.readdir(source, {recursive: true, withFileTypes: true})
  const markdown = files.filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  bytes = 0
  for (const entry of markdown) bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size
  log(`tree: ${markdown.length} Markdown files of ${tree} in ${source}`)
} else {
  log(`corpus: ${articles} articles in ${source}`)
  bytes = await writeCorpus(source, {articles})
}

const megabytes = bytes / 1e6
log(`source: ${megabytes.toFixed(1)} MB of Markdown; ${runs} runs; ${cores} cores`)

async function zhpress(args: Array<string>): Promise<Sample> {
  const stats = path.join(work, 'stats.json')
  // A real tree may hold articles with content errors: the build still runs them all.
  const {seconds} = await run('child', [stats, 'build', '--source', 'source', ...args], work, tree ? [0, 1] : [0])
  const {maxRss} = JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number}
  return {seconds, maxRss}
}

const clean = async () => {
  await fs.rm(path.join(work, '.cache'), {recursive: true, force: true})
  for (const name of ['dist', 'naive', 'whole']) await fs.rm(path.join(work, name), {recursive: true, force: true})
}

const samples = new Map<string, Array<Sample>>()
const add = (name: string, sample: Sample) => samples.set(name, [...(samples.get(name) ?? []), sample])

for (let round = 1; round <= runs; round++) {
  // Interleaved: every measurement once per round, so load drifts hit all alike.
  if (only.has('naive')) {
    await clean()
    const stats = path.join(work, 'stats.json')
    const {seconds} = await run('naive', [source, path.join(work, 'naive'), stats], work)
    add('naive', {seconds, ...(JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number})})
    log(`round ${round}: naive ${seconds.toFixed(2)}s`)
  }

  if (only.has('whole')) {
    await clean()
    const stats = path.join(work, 'stats.json')
    const {seconds} = await run('whole-file', [source, path.join(work, 'whole'), stats], work)
    add('whole', {seconds, ...(JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number})})
    log(`round ${round}: whole-file opencc-js ${seconds.toFixed(2)}s`)
  }

  if (only.has('full') || only.has('noop') || only.has('one') || only.has('watch')) {
    await clean()
    const full = await zhpress([])
    if (only.has('full')) add('full', full)
    log(`round ${round}: full ${full.seconds.toFixed(2)}s`)
    if (only.has('noop')) {
      add('noop', await zhpress([]))
      log(`round ${round}: nothing changed ${samples.get('noop')!.at(-1)!.seconds.toFixed(2)}s`)
    }

    if (only.has('one')) {
      const name = tree ? await firstMarkdown(source) : path.join(source, 'a00001.md')
      await fs.appendFile(name, `\n一篇文章改动了：第 ${round} 轮。\n`)
      add('one', await zhpress([]))
      log(`round ${round}: one changed ${samples.get('one')!.at(-1)!.seconds.toFixed(2)}s`)
    }

    if (only.has('watch')) {
      const {seconds, maxRss} = await watchRebuilds(tree ? await firstMarkdown(source) : path.join(source, 'a00001.md'), round, 3)
      for (const each of seconds) add('watch', {seconds: each, maxRss})
      log(`round ${round}: one changed under --watch ${seconds.map((each) => each.toFixed(2)).join(', ')}s`)
    }
  }

  if (only.has('check')) {
    // `check` on the same pool, writing nothing: its peak RSS against the build's.
    await clean()
    const stats = path.join(work, 'stats.json')
    const {seconds} = await run('child', [stats, 'check', '--source', 'source'], work, [0, 1])
    add('check', {seconds, ...(JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number})})
    log(`round ${round}: check ${seconds.toFixed(2)}s`)
  }

  for (const jobs of [1, 2]) {
    if (!only.has(`jobs${jobs}`)) continue
    await clean()
    add(`jobs${jobs}`, await zhpress(['--jobs', String(jobs)]))
    log(`round ${round}: --jobs ${jobs} ${samples.get(`jobs${jobs}`)!.at(-1)!.seconds.toFixed(2)}s`)
  }
}

/**
 * `build --watch` (compiled CLI, the round's output folder and cache), one
 * article changed `times` times: from each write until the watch has built
 * and waits again (its quiet period included, as an editor would wait).
 */
async function watchRebuilds(name: string, round: number, times: number): Promise<{seconds: Array<number>; maxRss: number}> {
  const child = spawn(process.execPath, [path.join(root, 'lib/cli.js'), 'build', '--source', 'source', '--watch'], {cwd: work, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const waiting = async (from: number) => {
    while (!stderr.slice(from).includes('watching source/')) {
      if (child.exitCode !== null) throw new Error(`build --watch exited ${child.exitCode}:\n${stderr.slice(-2000)}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  const seconds: Array<number> = []
  let maxRss = 0
  try {
    await waiting(0)
    // An editor's first save comes seconds after the build, not at once: the session warms up meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    for (let time = 1; time <= times; time++) {
      const from = stderr.length
      const started = performance.now()
      await fs.appendFile(name, `\n一篇文章在监视下改动了：第 ${round} 轮第 ${time} 次。\n`)
      await waiting(from)
      seconds.push((performance.now() - started) / 1000)
      if (!/built \d+ articles?/.test(stderr.slice(from))) throw new Error(`build --watch did not build:\n${stderr.slice(from)}`)
    }

    // The session's peak resident set, as the kernel counts it (Linux).
    const status = await fs.readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '')
    maxRss = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024
  } finally {
    child.kill('SIGINT')
    await exited
  }

  return {seconds, maxRss}
}

async function firstMarkdown(folder: string): Promise<string> {
  const entries = await fs.readdir(folder, {recursive: true, withFileTypes: true})
  const names = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => path.join(entry.parentPath, entry.name))
  return names.sort()[0]!
}

const median = (list: Array<number>) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!
const summary: Record<
  string,
  {seconds: number; megabytesPerSecond: number; peakRssMB: number; ratioToNaive: number | null; ratioToWhole: number | null; runs: Array<number>}
> = {}
const naive = samples.get('naive') ? median(samples.get('naive')!.map((sample) => sample.seconds)) : undefined
const whole = samples.get('whole') ? median(samples.get('whole')!.map((sample) => sample.seconds)) : undefined
for (const [name, list] of samples) {
  const seconds = median(list.map((sample) => sample.seconds))
  summary[name] = {
    seconds,
    megabytesPerSecond: megabytes / seconds,
    peakRssMB: Math.max(...list.map((sample) => sample.maxRss)) / 2 ** 20,
    ratioToNaive: naive ? seconds / naive : null,
    ratioToWhole: whole ? seconds / whole : null,
    runs: list.map((sample) => sample.seconds)
  }
}

let engine: unknown
if (only.has('engine')) {
  // Plain text: the corpus itself, as one string per source script.
  const files = (await fs.readdir(source)).sort()
  const texts = {simplified: '', traditional: ''}
  for (const name of files) {
    const text = await fs.readFile(path.join(source, name), 'utf8')
    if (/^lang: zh-Hant$/m.test(text)) texts.traditional += text
    else texts.simplified += text
    if (texts.simplified.length + texts.traditional.length > 4e6) break
  }

  const textFile = path.join(work, 'engine.txt')
  await fs.writeFile(textFile, texts.simplified)
  const script = path.join(root, 'scripts/bench/engine.ts')
  const throughput = JSON.parse((await run(script, ['throughput', textFile, String(Math.max(runs, 3))], work)).stdout) as {
    bytes: number
    results: Array<{pair: string; openccMs: number; convertMs: number; alignMs: number; identical: boolean}>
  }
  await fs.writeFile(textFile, texts.traditional)
  const traditional = JSON.parse((await run(script, ['throughput', textFile, String(Math.max(runs, 3))], work)).stdout) as typeof throughput
  const rows = [
    ...throughput.results.filter((row) => row.pair.startsWith('zh-Hans')).map((row) => ({...row, bytes: throughput.bytes})),
    ...traditional.results.filter((row) => row.pair.startsWith('zh-Hant')).map((row) => ({...row, bytes: traditional.bytes}))
  ]

  const startup: Record<string, {opencc: number; zhpress: number; zhpressCold: number}> = {}
  for (const [from, to] of [['zh-Hans', 'zh-Hant'], ['zh-Hans', 'zh-TW'], ['zh-Hant', 'zh-Hans']]) {
    const times = {opencc: [] as Array<number>, zhpress: [] as Array<number>, cold: [] as Array<number>}
    for (let round = 0; round < Math.max(runs, 3); round++) {
      for (const which of ['opencc', 'zhpress', 'cold'] as const) {
        const {stdout} = await run(script, ['startup', which, from!, to!], work)
        times[which].push((JSON.parse(stdout) as {ms: number}).ms)
      }
    }

    startup[`${from}→${to}`] = {opencc: median(times.opencc), zhpress: median(times.zhpress), zhpressCold: median(times.cold)}
  }

  engine = {
    throughput: rows.map((row) => ({
      ...row,
      openccMBs: row.bytes / 1e6 / (row.openccMs / 1000),
      convertMBs: row.bytes / 1e6 / (row.convertMs / 1000),
      speedup: row.openccMs / row.convertMs
    })),
    startupMs: startup
  }
}

interface BigFileRow {
  megabytes: number
  distinctLines: number
  openccSeconds: number
  zhpressSeconds: number
  speedup: number
  correctedSeconds: number
  correctedSpeedup: number
  openccPeakRssMB: number
  zhpressPeakRssMB: number
  correctedPeakRssMB: number
  runs: Record<'opencc' | 'zhpress' | 'corrected', Array<number>>
}

let bigFile: Record<string, BigFileRow> | undefined
if (only.has('bigfile')) {
  // 17 MB of plain Traditional text, no Markdown: distinct lines (a book), and the seed's paragraph
  // repeated (each distinct line is converted once: the best case).
  const seed = await fs.readFile(path.join(root, 'source', 'lexin-overdue.md'), 'utf8')
  const paragraph = seed.slice(seed.indexOf('\n---', 4) + 4).replaceAll(/-\{|\}-/g, '').replaceAll(/\n{2,}/g, '\n')
  const books = {
    distinct: values.text ? await fs.readFile(path.resolve(values.text), 'utf8') : await generateBook(17e6),
    repeated: paragraph.repeat(Math.ceil(17e6 / Buffer.byteLength(paragraph)))
  }
  const stats = path.join(work, 'stats.json')
  const peak = async () => (JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number}).maxRss
  bigFile = {}
  for (const [kind, content] of Object.entries(books)) {
    const text = path.join(work, `book-${kind}.txt`)
    await fs.writeFile(text, content)
    const times = {opencc: [] as Array<number>, zhpress: [] as Array<number>, corrected: [] as Array<number>}
    const rss = {opencc: 0, zhpress: 0, corrected: 0}
    const reference = path.join(work, 'book-opencc.txt')
    for (let round = 0; round < runs; round++) {
      const opencc = await run('opencc-file', ['t', 'cn', text, reference, stats], work)
      times.opencc.push(opencc.seconds)
      rss.opencc = Math.max(rss.opencc, await peak())
      const ours = path.join(work, 'book-zhpress.txt')
      const zhpress = await run('child', [stats, 'convert', '--no-corrections', '--from', 'zh-Hant', '--to', 'zh-Hans', text], work, [0], ours)
      times.zhpress.push(zhpress.seconds)
      rss.zhpress = Math.max(rss.zhpress, await peak())
      if (!(await fs.readFile(ours)).equals(await fs.readFile(reference))) throw new Error(`zhpress convert --no-corrections differs from opencc-js on the ${kind} big file`)
      const corrected = await run('child', [stats, 'convert', '--from', 'zh-Hant', '--to', 'zh-Hans', text], work, [0], ours)
      times.corrected.push(corrected.seconds)
      rss.corrected = Math.max(rss.corrected, await peak())
      log(`round ${round + 1}: ${kind} ${(Buffer.byteLength(content) / 1e6).toFixed(1)} MB convert: opencc-js ${opencc.seconds.toFixed(2)}s, zhpress exact ${zhpress.seconds.toFixed(2)}s, with corrections ${corrected.seconds.toFixed(2)}s`)
    }

    bigFile[kind] = {
      megabytes: Buffer.byteLength(content) / 1e6,
      distinctLines: new Set(content.split('\n')).size,
      openccSeconds: median(times.opencc),
      zhpressSeconds: median(times.zhpress),
      speedup: median(times.opencc) / median(times.zhpress),
      correctedSeconds: median(times.corrected),
      correctedSpeedup: median(times.opencc) / median(times.corrected),
      openccPeakRssMB: rss.opencc / 2 ** 20,
      zhpressPeakRssMB: rss.zhpress / 2 ** 20,
      correctedPeakRssMB: rss.corrected / 2 ** 20,
      runs: {opencc: times.opencc, zhpress: times.zhpress, corrected: times.corrected}
    }
  }
}

let startupProcess: unknown
if (only.has('startup')) {
  // Whole processes, spawn to exit: `zhpress convert` of one line against an opencc-js one-liner.
  const line = path.join(work, 'line.txt')
  await fs.writeFile(line, '简体中文的头发和软件\n')
  const oneLiner = `const O=require('opencc-js');process.stdout.write(O.Converter({from:'cn',to:'twp'})(require('fs').readFileSync(${JSON.stringify(line)},'utf8')))`
  const cli = path.join(root, 'lib/cli.js')
  const times = {opencc: [] as Array<number>, zhpress: [] as Array<number>}
  for (let round = 0; round < Math.max(runs, 5); round++) {
    let started = performance.now()
    await spawnWait(process.execPath, ['-e', oneLiner], root)
    times.opencc.push((performance.now() - started) / 1000)
    started = performance.now()
    await spawnWait(process.execPath, [cli, 'convert', '--to', 'zh-TW', line], work)
    times.zhpress.push((performance.now() - started) / 1000)
  }

  startupProcess = {openccSeconds: median(times.opencc), zhpressSeconds: median(times.zhpress), ratio: median(times.zhpress) / median(times.opencc)}
}

async function spawnWait(command: string, args: Array<string>, cwd: string): Promise<void> {
  const child = spawn(command, args, {cwd, stdio: ['ignore', 'ignore', 'inherit']})
  const code = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}`)
}

const report = {articles: tree ? null : articles, tree: tree ?? null, megabytes, cores, runs, node: process.version, builds: summary, engine, bigFile, startup: startupProcess}
if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')

const labels: Record<string, string> = {
  naive: 'naive baseline (opencc-js + remark → rehype)',
  whole: 'whole-file baseline (opencc-js, 4 locales)',
  full: `zhpress build, full, cold cache (--jobs ${cores})`,
  noop: 'zhpress build, nothing changed',
  one: 'zhpress build, one article changed',
  watch: 'zhpress build --watch, one article changed',
  check: 'zhpress check (same pool, writes nothing)',
  jobs1: 'zhpress build, cold, --jobs 1',
  jobs2: 'zhpress build, cold, --jobs 2'
}
log('')
log(`${tree ?? `${articles} articles`}, ${megabytes.toFixed(1)} MB, median of ${runs}; a shared machine: compare ratios, not seconds`)
for (const [name, row] of Object.entries(summary)) {
  log(
    `${labels[name]!.padEnd(48)} ${row.seconds.toFixed(2).padStart(8)} s ${row.megabytesPerSecond.toFixed(2).padStart(7)} MB/s ` +
      `${row.peakRssMB.toFixed(0).padStart(6)} MB RSS${row.ratioToNaive === null ? '' : `  ${row.ratioToNaive.toFixed(3)}× naive`}` +
      `${row.ratioToWhole === null ? '' : `  ${row.ratioToWhole.toFixed(2)}× whole-file`}`
  )
}

if (summary.full && summary.noop) log(`nothing changed / full: ${((summary.noop.seconds / summary.full.seconds) * 100).toFixed(1)} %`)
if (summary.full && summary.one) log(`one changed / full: ${((summary.one.seconds / summary.full.seconds) * 100).toFixed(1)} %`)
if (summary.full && summary.watch) log(`one changed under --watch / full: ${((summary.watch.seconds / summary.full.seconds) * 100).toFixed(1)} %`)
const jobs2 = summary.jobs2 ?? (cores === 2 ? summary.full : undefined)
if (summary.jobs1 && jobs2) log(`--jobs 2 speed-up over --jobs 1: ${(summary.jobs1.seconds / jobs2.seconds).toFixed(2)}×`)
if (engine) {
  const {throughput, startupMs} = engine as {
    throughput: Array<{pair: string; openccMBs: number; convertMBs: number; alignMs: number; speedup: number; identical: boolean}>
    startupMs: Record<string, {opencc: number; zhpress: number; zhpressCold: number}>
  }
  for (const row of throughput) {
    log(
      `engine ${row.pair.padEnd(16)} opencc-js ${row.openccMBs.toFixed(1).padStart(6)} MB/s  zhpress ${row.convertMBs.toFixed(1).padStart(6)} MB/s  ` +
        `${row.speedup.toFixed(2)}×  identical: ${row.identical}`
    )
  }

  for (const [pair, row] of Object.entries(startupMs)) {
    log(`start-up ${pair.padEnd(16)} opencc-js ${row.opencc.toFixed(0)} ms  zhpress ${row.zhpress.toFixed(0)} ms (no compiled cache: ${row.zhpressCold.toFixed(0)} ms)`)
  }
}

if (bigFile) {
  for (const [kind, row] of Object.entries(bigFile)) {
    log(
      `convert ${row.megabytes.toFixed(1)} MB text, ${kind} (${row.distinctLines} distinct lines): opencc-js ${row.openccSeconds.toFixed(2)} s (${row.openccPeakRssMB.toFixed(0)} MB RSS), ` +
        `zhpress --no-corrections ${row.zhpressSeconds.toFixed(2)} s (${row.zhpressPeakRssMB.toFixed(0)} MB RSS): ${row.speedup.toFixed(2)}× opencc-js's speed; ` +
        `with corrections ${row.correctedSeconds.toFixed(2)} s (${row.correctedPeakRssMB.toFixed(0)} MB RSS): ${row.correctedSpeedup.toFixed(2)}×`
    )
  }
}

if (startupProcess) {
  const row = startupProcess as {openccSeconds: number; zhpressSeconds: number; ratio: number}
  log(`convert one line, whole process: opencc-js one-liner ${row.openccSeconds.toFixed(2)} s, zhpress ${row.zhpressSeconds.toFixed(2)} s: ${row.ratio.toFixed(2)}×`)
}

if (values.keep) log(`kept ${work}`)
else await fs.rm(work, {recursive: true, force: true})
