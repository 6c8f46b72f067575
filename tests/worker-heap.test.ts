/**
 * The workers' heap growth: V8's `--heap-growing-percent` is set while a
 * worker pool is open and reset when the last one closes, and left alone
 * when Node was started with it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import v8 from 'node:v8'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {growHeapsSlowly, workerHeapGrowingPercent} from '../scripts/commands/build.ts'
import {runCli, temporaryFolder} from './helpers.ts'

const set = `--heap-growing-percent=${workerHeapGrowingPercent}`
const reset = '--heap-growing-percent=0'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('heap growth of the worker pool', () => {
  it('is set while any pool is open and reset when the last one closes', () => {
    const flags = vi.spyOn(v8, 'setFlagsFromString')
    const first = growHeapsSlowly()
    const second = growHeapsSlowly()
    expect(flags.mock.calls).toEqual([[set]])
    first()
    // Closing twice counts once.
    first()
    expect(flags.mock.calls).toEqual([[set]])
    second()
    expect(flags.mock.calls).toEqual([[set], [reset]])
    growHeapsSlowly()()
    expect(flags.mock.calls).toEqual([[set], [reset], [set], [reset]])
  })

  it('is left as Node was started with it', () => {
    const flags = vi.spyOn(v8, 'setFlagsFromString')
    process.execArgv.push('--heap-growing-percent=30')
    try {
      growHeapsSlowly()()
    } finally {
      process.execArgv.pop()
    }

    expect(flags).not.toHaveBeenCalled()
  })

  it('is set for a build on workers and reset after it', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    for (const name of ['a', 'b', 'c']) await fs.writeFile(path.join(folder, 'source', `${name}.md`), `---\ntitle: ${name}\nslug: ${name}\n---\n\n汉字转换测试。\n`)
    const flags = vi.spyOn(v8, 'setFlagsFromString')
    const {code} = await runCli(['build', '--no-cache', '--jobs', '2'], {cwd: folder})
    expect(code).toBe(0)
    expect(flags.mock.calls).toEqual([[set], [reset]])
    flags.mockClear()
    // In-process (one job): no pool, nothing set.
    expect((await runCli(['build', '--no-cache', '--jobs', '1', '--out', 'one'], {cwd: folder})).code).toBe(0)
    expect(flags).not.toHaveBeenCalled()
  })
})
