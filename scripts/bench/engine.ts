/**
 * The conversion engine alone against opencc-js's `Converter`, run as the
 * benchmark's subprocess: `engine.ts startup opencc|zhpress|cold FROM TO`
 * times loading one locale pair in a fresh process (module import included);
 * `engine.ts throughput TEXTFILE RUNS` times both on the same text, per pair,
 * and checks the outputs are identical.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const [mode, ...rest] = process.argv.slice(2)
const codes = {'zh-Hans': 'cn', 'zh-Hant': 't', 'zh-TW': 'twp', 'zh-HK': 'hk'} as const
type Tag = keyof typeof codes

if (mode === 'startup') {
  const [which, from, to] = rest as [string, Tag, Tag]
  const started = performance.now()
  if (which === 'opencc') {
    const OpenCC = await import('opencc-js')
    OpenCC.Converter({from: codes[from], to: codes[to]})('测试')
  } else if (which === 'cold') {
    // No compiled dictionaries on disk: what the first run after an install pays.
    const {loadPipeline} = await import('../convert/dictionary.ts')
    loadPipeline(codes[from], codes[to], fs.mkdtempSync(path.join(os.tmpdir(), 'zhpress-dict-')))
  } else {
    const {getConverter} = await import('../convert/engine.ts')
    getConverter(from, to).convert('测试')
  }

  console.log(JSON.stringify({ms: performance.now() - started}))
} else {
  const [file, runsText] = rest as [string, string]
  const runs = Number(runsText)
  const OpenCC = await import('opencc-js')
  const {getConverter} = await import('../convert/engine.ts')
  const text = fs.readFileSync(file, 'utf8')
  const median = (values: Array<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const results = []
  for (const [from, to] of [['zh-Hans', 'zh-Hant'], ['zh-Hans', 'zh-TW'], ['zh-Hans', 'zh-HK'], ['zh-Hant', 'zh-Hans']] as const) {
    const reference = OpenCC.Converter({from: codes[from], to: codes[to]})
    const engine = getConverter(from, to)
    const opencc: Array<number> = []
    const convert: Array<number> = []
    const align: Array<number> = []
    let identical = true
    // One untimed run each: compile and optimise before timing.
    reference(text)
    engine.convert(text)
    engine.align(text)
    for (let run = 0; run < runs; run++) {
      let started = performance.now()
      const expected = reference(text)
      opencc.push(performance.now() - started)
      started = performance.now()
      const actual = engine.convert(text)
      convert.push(performance.now() - started)
      started = performance.now()
      engine.align(text)
      align.push(performance.now() - started)
      identical &&= actual === expected
    }

    results.push({pair: `${from}→${to}`, openccMs: median(opencc), convertMs: median(convert), alignMs: median(align), identical})
  }

  console.log(JSON.stringify({bytes: Buffer.byteLength(text), results}))
}
