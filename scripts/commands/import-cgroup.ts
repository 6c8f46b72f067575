/**
 * `import-cgroup`: a Chinese Wikipedia conversion group (Lua module) →
 * glossary YAML.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {cgroupToYaml, readCGroup} from '../convert/cgroup.ts'
import {report} from '../diagnostics.ts'
import {exitCode, formatReport} from '../report.ts'
import type {Io} from '../types.ts'
import type {ImportCGroupOptions} from './args.ts'

/**
 * Turn a CGroup module into glossary entries: printed, or written to `--out`.
 *
 * @param options Parsed `import-cgroup` options.
 * @param io Where to print.
 * @returns Exit code: 1 when the module is not Lua or `--out` exists without `--force`.
 */
export async function importCGroup(options: ImportCGroupOptions, io: Io): Promise<number> {
  const text = (await fs.readFile(path.resolve(io.cwd, options.file), 'utf8')).replace(/^\uFEFF/, '')
  const file = new VFile({path: options.file, value: text})
  const {items, problems} = readCGroup(text)
  for (const problem of problems) {
    const broken = problem.reason.startsWith('not a Lua module')
    report(file, broken ? 'broken-cgroup' : 'cgroup-item-skipped', {reason: problem.reason}, {place: {line: problem.line, column: problem.column}})
  }

  if (!file.messages.some((message) => message.fatal)) {
    const yaml = cgroupToYaml(items, path.basename(options.file))
    if (options.out === undefined) {
      io.stdout(yaml)
    } else {
      const out = path.resolve(io.cwd, options.out)
      try {
        await fs.writeFile(out, yaml, {flag: options.force ? 'w' : 'wx'})
        io.stderr(`wrote ${items.length} entr${items.length === 1 ? 'y' : 'ies'} to ${options.out}\n`)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        io.stderr(`zhpress: ${options.out} exists; use --force to replace it\n`)
        return 1
      }
    }
  }

  for (const line of formatReport([file])) io.stderr(line + '\n')
  return exitCode([file])
}
