/**
 * Run the CLI as a real subprocess: for tests about files, locks, umask and
 * concurrency, where in-process runs would share the test's process.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {root} from './helpers.ts'

export interface ProcessResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href

/**
 * Start `zhpress ARGS` in a subprocess. `node --import tsx`, not `npx tsx`:
 * tsx's own CLI runs the script in a child process that signals would not reach.
 *
 * @param argv Arguments after the program name.
 * @param options Working folder; `umask`: run under this umask (through sh).
 */
export function startCli(argv: Array<string>, options: {cwd: string; umask?: string}): {child: ChildProcess; done: Promise<ProcessResult>} {
  const command = [process.execPath, '--import', tsx, path.join(root, 'scripts/cli.ts'), ...argv]
  const child =
    options.umask === undefined
      ? spawn(command[0]!, command.slice(1), {cwd: options.cwd, env: {...process.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'pipe']})
      : spawn('/bin/sh', ['-c', `umask ${options.umask} && exec "$@"`, 'sh', ...command], {
          cwd: options.cwd,
          env: {...process.env, CI: 'true'},
          stdio: ['ignore', 'pipe', 'pipe']
        })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => void (stdout += chunk))
  child.stderr!.on('data', (chunk) => void (stderr += chunk))
  const done = new Promise<ProcessResult>((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
  })
  return {child, done}
}

/** Run `zhpress ARGS` in a subprocess to its end. */
export async function runCliProcess(argv: Array<string>, options: {cwd: string; umask?: string}): Promise<ProcessResult> {
  return startCli(argv, options).done
}
