/**
 * `build --watch`: build, then build again whenever a file of the source
 * folder changes, in the same process, until interrupted. Each rebuild is
 * an ordinary build (the same cache, record, checks and atomic replacement
 * of the output folder; a failed one leaves it as it was and the watch goes
 * on); what the process keeps between them is what it has loaded, so a
 * rebuild of a few changed articles builds them in this thread, with no
 * worker to start and no module or dictionary to load again.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Io} from '../types.ts'
import type {BuildOptions} from './args.ts'

/** How long the source folder must be quiet before a rebuild starts (an editor saves in several writes). */
export const quietMs = 100

/** Articles a rebuild builds in this thread, rather than on workers. */
const rebuiltInThread = 8

/** One build, as the `build` command runs it; its exit code. */
export type BuildOnce = (options: BuildOptions, io: Io, extra?: {inThread?: number}) => Promise<number>

/**
 * Build, then watch the source folder and build again after each change.
 *
 * @param options The build's options.
 * @param io Where to print; its `onInterrupt` stops the watch.
 * @param buildOnce Runs one build.
 * @returns The last build's exit code, once interrupted.
 */
export async function watchBuild(options: BuildOptions, io: Io, buildOnce: BuildOnce): Promise<number> {
  const source = path.resolve(io.cwd, options.source)
  const out = path.resolve(io.cwd, options.out)
  let code = await buildOnce(options, io)
  // Loaded while nothing changes, so the first rebuild does not wait for them.
  const warming = import('./build-task.ts').then(({warmUp}) => warmUp(options.source, io.cwd, options))
  // Only time is at stake: a failure here shows again, with its place, in the build it would slow.
  warming.catch(() => {})

  return new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined
    let building: Promise<void> | undefined
    let again = false
    let stopped = false
    const watcher = fs.watch(source, {recursive: true}, (_, name) => {
      // The build's own writes (an output or cache folder inside the source folder) are no change to it.
      if (name && ignored(path.resolve(source, name.toString()), out)) return
      schedule()
    })
    const schedule = () => {
      if (stopped) return
      clearTimeout(timer)
      timer = setTimeout(rebuild, quietMs)
    }

    const rebuild = () => {
      if (building) {
        again = true
        return
      }

      building = (async () => {
        io.stderr(`change in ${options.source}/: building again\n`)
        try {
          code = await buildOnce(options, io, {inThread: rebuiltInThread})
        } catch (error) {
          // What ends a single build (a source folder gone, a disk full) ends this rebuild only.
          io.stderr(`zhpress build --watch: the build stopped: ${(error as Error).message}\n`)
          code = 1
        }
      })()
      void building.finally(() => {
        building = undefined
        if (stopped) finish()
        else if (again) {
          again = false
          schedule()
        } else io.stderr(`watching ${options.source}/ for changes (Ctrl-C to stop)\n`)
      })
    }

    const finish = () => {
      stopInterrupt()
      resolve(code)
    }

    // A build under way is finished first (its output folder replaced whole, or left as it was).
    const stopInterrupt = io.onInterrupt?.(() => {
      stopped = true
      clearTimeout(timer)
      watcher.close()
      if (building) io.stderr('stopping after the build under way (interrupt again to stop at once)\n')
      else finish()
    }) ?? (() => {})
    watcher.on('error', (error) => {
      io.stderr(`zhpress build --watch: cannot watch ${options.source}/: ${error.message}\n`)
      stopped = true
      watcher.close()
      if (!building) finish()
    })
    io.stderr(`watching ${options.source}/ for changes (Ctrl-C to stop)\n`)
  })
}

/** Whether a changed path is the build's own: the output folder, its staging and old folders, the cache. */
function ignored(changed: string, out: string): boolean {
  const parent = path.dirname(out)
  const base = path.basename(out)
  const relative = path.relative(parent, changed)
  const first = relative.split(path.sep)[0] ?? ''
  if (!relative.startsWith('..') && (first === base || first.startsWith(`.${base}.`))) return true
  return changed.split(path.sep).includes('.cache')
}
