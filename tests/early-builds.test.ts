/**
 * Articles a rebuild is sure to build start on workers while the build
 * links the unchanged ones (`scripts/commands/early-builds.ts`): same bytes
 * as a build without cache, and only articles without a cache entry start.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {generateCorpus} from '../scripts/bench/corpus.ts'
import {startEarly} from '../scripts/commands/early-builds.ts'
import type {ArticleTask} from '../scripts/commands/build-task.ts'
import {listFiles, runCli, temporaryFolder} from './helpers.ts'

async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of await listFiles(folder)) files.set(name, await fs.readFile(path.join(folder, name), 'utf8'))
  return files
}

describe('articles sure to be built start early', () => {
  let project: string
  let names: Array<string>
  const cache = () => path.join(project, '.cache', 'zhpress')
  const build = async (...args: Array<string>) => {
    const result = await runCli(['build', ...args], {cwd: project, env: {ZHPRESS_CACHE_DIR: cache()}})
    expect(result.code, result.stderr).toBe(0)
    return {stderr: result.stderr, hits: Number(/(\d+) cache hits?[,)]/.exec(result.stderr)?.[1])}
  }

  beforeAll(async () => {
    project = await temporaryFolder()
    await fs.mkdir(path.join(project, 'source'))
    const articles = await generateCorpus({articles: 4, seed: 9, minBytes: 400, maxBytes: 900})
    for (const {name, content} of articles) await fs.writeFile(path.join(project, 'source', name), content)
    names = articles.map((article) => article.name).sort()
  })

  it('two changed articles of four, rebuilt on two workers while the others are linked: the bytes of a build without cache', async () => {
    await build('--jobs', '2')
    await fs.appendFile(path.join(project, 'source', names[0]!), '\n新增的一段：软件和鼠标。\n')
    await fs.appendFile(path.join(project, 'source', names[2]!), '\n又一段：打印机的驱动程序。\n')
    const result = await build('--jobs', '2')
    expect(result.hits).toBe(2)
    const dist = await snapshot(path.join(project, 'dist'))
    expect([...dist.values()].some((content) => content.includes('打印机'))).toBe(true)
    await build('--no-cache', '--jobs', '1', '--out', 'fresh')
    expect(dist).toEqual(await snapshot(path.join(project, 'fresh')))
  })

  it('starts only the tasks whose key has no cache entry, and none for one job or when every task is to build', async () => {
    const folder = await temporaryFolder()
    const entries = path.join(folder, 'articles')
    // A cache holding an entry for key `aa…` only (entries are `articles/<first two>/<key>.br`).
    const present = 'a'.repeat(64)
    await fs.mkdir(path.join(entries, 'aa'), {recursive: true})
    await fs.writeFile(path.join(entries, 'aa', present + '.br'), 'x')
    const task = (name: string, key: string): ArticleTask => ({name: path.join('source', name), cwd: project, options: {locales: ['zh-Hans'], formats: ['md']}, key})
    const tasks = [task(names[0]!, present), task(names[1]!, 'b'.repeat(64))]
    expect(await startEarly(tasks, folder, 1)).toBeUndefined()
    expect(await startEarly([tasks[1]!], folder, 2)).toBeUndefined()
    const early = await startEarly(tasks, folder, 2)
    try {
      expect([...early!.results.keys()]).toEqual([1])
      // No staging folder: the task builds and writes nothing.
      const result = await early!.results.get(1)!
      expect(result.name).toBe(tasks[1]!.name)
      expect(result.built?.slug).toBeTruthy()
    } finally {
      await early?.destroy()
    }
  })
})
