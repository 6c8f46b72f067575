/**
 * Runs one zhpress command as the benchmark's subprocess and records its
 * peak RSS (all threads): `child.ts STATS build …`.
 */
import fs from 'node:fs'
import {main} from '../commands/index.ts'

const [stats, ...argv] = process.argv.slice(2) as [string, ...Array<string>]
const code = await main(argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => new Uint8Array(),
  isTTY: false,
  env: {...process.env, CI: 'true'},
  cwd: process.cwd()
})
fs.writeFileSync(stats, JSON.stringify({code, maxRss: process.resourceUsage().maxRSS * 1024}))
process.exitCode = code
