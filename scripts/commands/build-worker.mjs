/**
 * Worker entry of the build's thread pool: one article per call. Plain
 * JavaScript, because a worker thread does not inherit the TypeScript
 * loader of the process that started it. Compiled (`lib/`, the installed
 * package) it loads `build-task.js` and never touches tsx, a development
 * dependency; run from the TypeScript sources it registers tsx first.
 * Conversion dictionaries are memoized per worker, so each worker loads a
 * locale pair once, not once per article; the options every article shares
 * (the site's page map) come once, as the pool's `workerData`.
 */
import fs from 'node:fs'

const compiled = fs.existsSync(new URL('build-task.js', import.meta.url))
if (!compiled) {
  const {register} = await import('tsx/esm/api')
  register()
}

const {runArticleTask} = await import(compiled ? './build-task.js' : './build-task.ts')
// The options every task shares, given once to each worker (a task without options takes them):
// they hold the site's page map, which would otherwise be copied to the worker with every article.
const {default: Tinypool} = await import('tinypool')
const shared = Tinypool.workerData?.options

export default function runTask(task) {
  return runArticleTask(task.options === undefined ? {...task, options: shared} : task)
}
