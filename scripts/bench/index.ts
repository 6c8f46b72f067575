/**
 * `npm run bench`: zhpress against the naive pipeline a user would write,
 * on a generated corpus, every build a real subprocess (real start-up,
 * real peak RSS), interleaved and repeated; medians are reported.
 *
 *   npm run bench -- [--articles N] [--runs R] [--only LIST] [--json] [--keep]
 *
 * LIST: naive,full,noop,one,jobs1,jobs2,engine (default: all).
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {writeCorpus} from './corpus.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
const tsx = createRequire(import.meta.url).resolve('tsx')
const {values} = parseArgs({
  options: {
    articles: {type: 'string', default: '1000'},
    runs: {type: 'string', default: '3'},
    only: {type: 'string'},
    json: {type: 'boolean'},
    keep: {type: 'boolean'}
  }
})
const articles = Number(values.articles)
const runs = Number(values.runs)
const all = ['naive', 'full', 'noop', 'one', 'jobs1', 'jobs2', 'engine']
const only = new Set(values.only ? values.only.split(',') : all)
const cores = os.availableParallelism()
// With two cores the default build is already `--jobs 2`.
if (cores === 2 && only.has('full')) only.delete('jobs2')
const log = (text: string) => process.stderr.write(text + '\n')

interface Sample {
  seconds: number
  maxRss: number
}

/** Run a TypeScript file in a fresh Node process; wall time from spawn to exit. */
async function run(script: string, args: Array<string>, cwd: string): Promise<{seconds: number; stdout: string}> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', tsx, script, ...args], {cwd, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const code = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${path.basename(script)} ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`)
  return {seconds, stdout}
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'zhpress-bench-'))
const source = path.join(work, 'source')
log(`corpus: ${articles} articles in ${source}`)
const bytes = await writeCorpus(source, {articles})
const megabytes = bytes / 1e6
log(`corpus: ${megabytes.toFixed(1)} MB of Markdown; ${runs} runs; ${cores} cores`)

async function zhpress(args: Array<string>): Promise<Sample> {
  const stats = path.join(work, 'stats.json')
  const {seconds} = await run(path.join(root, 'scripts/bench/child.ts'), [stats, 'build', '--source', 'source', ...args], work)
  const {maxRss} = JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number}
  return {seconds, maxRss}
}

const clean = async () => {
  await fs.rm(path.join(work, '.cache'), {recursive: true, force: true})
  for (const name of ['dist', 'naive']) await fs.rm(path.join(work, name), {recursive: true, force: true})
}

const samples = new Map<string, Array<Sample>>()
const add = (name: string, sample: Sample) => samples.set(name, [...(samples.get(name) ?? []), sample])

for (let round = 1; round <= runs; round++) {
  // Interleaved: every measurement once per round, so load drifts hit all alike.
  if (only.has('naive')) {
    await clean()
    const stats = path.join(work, 'stats.json')
    const {seconds} = await run(path.join(root, 'scripts/bench/naive.ts'), [source, path.join(work, 'naive'), stats], work)
    add('naive', {seconds, ...(JSON.parse(await fs.readFile(stats, 'utf8')) as {maxRss: number})})
    log(`round ${round}: naive ${seconds.toFixed(2)}s`)
  }

  if (only.has('full') || only.has('noop') || only.has('one')) {
    await clean()
    const full = await zhpress([])
    if (only.has('full')) add('full', full)
    log(`round ${round}: full ${full.seconds.toFixed(2)}s`)
    if (only.has('noop')) {
      add('noop', await zhpress([]))
      log(`round ${round}: nothing changed ${samples.get('noop')!.at(-1)!.seconds.toFixed(2)}s`)
    }

    if (only.has('one')) {
      const name = path.join(source, 'a00001.md')
      await fs.appendFile(name, `\n一篇文章改动了：第 ${round} 轮。\n`)
      add('one', await zhpress([]))
      log(`round ${round}: one changed ${samples.get('one')!.at(-1)!.seconds.toFixed(2)}s`)
    }
  }

  for (const jobs of [1, 2]) {
    if (!only.has(`jobs${jobs}`)) continue
    await clean()
    add(`jobs${jobs}`, await zhpress(['--jobs', String(jobs)]))
    log(`round ${round}: --jobs ${jobs} ${samples.get(`jobs${jobs}`)!.at(-1)!.seconds.toFixed(2)}s`)
  }
}

const median = (list: Array<number>) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!
const summary: Record<string, {seconds: number; megabytesPerSecond: number; peakRssMB: number; ratioToNaive: number | null; runs: Array<number>}> = {}
const naive = samples.get('naive') ? median(samples.get('naive')!.map((sample) => sample.seconds)) : undefined
for (const [name, list] of samples) {
  const seconds = median(list.map((sample) => sample.seconds))
  summary[name] = {
    seconds,
    megabytesPerSecond: megabytes / seconds,
    peakRssMB: Math.max(...list.map((sample) => sample.maxRss)) / 2 ** 20,
    ratioToNaive: naive ? seconds / naive : null,
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

const report = {articles, megabytes, cores, runs, node: process.version, builds: summary, engine}
if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')

const labels: Record<string, string> = {
  naive: 'naive baseline (opencc-js + remark → rehype)',
  full: `zhpress build, full, cold cache (--jobs ${cores})`,
  noop: 'zhpress build, nothing changed',
  one: 'zhpress build, one article changed',
  jobs1: 'zhpress build, cold, --jobs 1',
  jobs2: 'zhpress build, cold, --jobs 2'
}
log('')
log(`${articles} articles, ${megabytes.toFixed(1)} MB, median of ${runs}`)
for (const [name, row] of Object.entries(summary)) {
  log(
    `${labels[name]!.padEnd(48)} ${row.seconds.toFixed(2).padStart(8)} s ${row.megabytesPerSecond.toFixed(2).padStart(7)} MB/s ` +
      `${row.peakRssMB.toFixed(0).padStart(6)} MB RSS${row.ratioToNaive === null ? '' : `  ${row.ratioToNaive.toFixed(3)}× naive`}`
  )
}

if (summary.full && summary.noop) log(`nothing changed / full: ${((summary.noop.seconds / summary.full.seconds) * 100).toFixed(1)} %`)
if (summary.full && summary.one) log(`one changed / full: ${((summary.one.seconds / summary.full.seconds) * 100).toFixed(1)} %`)
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

if (values.keep) log(`kept ${work}`)
else await fs.rm(work, {recursive: true, force: true})
