/**
 * Worker entry of the build's thread pool: one article per call. Plain
 * JavaScript, because a worker thread does not inherit the TypeScript
 * loader of the process that started it. Compiled (`lib/`, the installed
 * package) it loads `build-task.js` and never touches tsx, a development
 * dependency; run from the TypeScript sources it registers tsx first.
 * Conversion dictionaries are memoized per worker, so each worker loads a
 * locale pair once, not once per article.
 */
import fs from 'node:fs'

const compiled = fs.existsSync(new URL('build-task.js', import.meta.url))
if (!compiled) {
  const {register} = await import('tsx/esm/api')
  register()
}

const {runArticleTask} = await import(compiled ? './build-task.js' : './build-task.ts')

export default runArticleTask
