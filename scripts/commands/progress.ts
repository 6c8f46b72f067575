/**
 * Build progress: a bar with articles done/total and rate on an interactive
 * terminal (on stderr, through `io`); nothing in CI or without a TTY, where
 * the build prints one summary line instead.
 */
import cliProgress from 'cli-progress'
import type {Io} from '../types.ts'

export interface Progress {
  /** One more article done. */
  tick: () => void
  /** Remove the bar. */
  stop: () => void
}

/**
 * Create the progress display of a build.
 *
 * @param io Where to draw.
 * @param total Articles to build.
 * @returns Callbacks; no-ops when there is no terminal to draw on.
 */
export function createProgress(io: Io, total: number): Progress {
  if (!io.isTTY || io.env.CI || total < 2) return {tick() {}, stop() {}}
  const started = performance.now()
  // cli-progress draws with escape sequences on anything with `write`.
  const stream = {isTTY: true, columns: 80, write: (text: string) => (io.stderr(text), true)}
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: 'building {bar} {value}/{total} articles | {rate} articles/s | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10
    },
    cliProgress.Presets.shades_classic
  )
  let done = 0
  bar.start(total, 0, {rate: '0'})
  return {
    tick() {
      done++
      const seconds = (performance.now() - started) / 1000
      bar.update(done, {rate: (done / Math.max(seconds, 0.001)).toFixed(1)})
    },
    stop() {
      bar.stop()
    }
  }
}
