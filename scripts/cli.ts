#!/usr/bin/env node
/**
 * The one entry point: `npx tsx scripts/cli.ts <command>` in the repository,
 * `npx zhpress <command>` (compiled: `lib/cli.js`) where zhpress is installed. The only file that
 * touches `process`.
 */
import {main} from './commands/index.ts'
import type {Io} from './types.ts'

const io: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Array<Buffer> = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  },
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  cwd: process.cwd(),
  onInterrupt(stop) {
    const signals = ['SIGINT', 'SIGTERM'] as const
    const remove = () => {
      for (const signal of signals) process.off(signal, handle)
    }
    const handle = () => {
      remove()
      stop()
    }
    for (const signal of signals) process.on(signal, handle)
    return remove
  }
}

process.exitCode = await main(process.argv.slice(2), io)
