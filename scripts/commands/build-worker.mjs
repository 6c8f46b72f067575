/**
 * Worker entry of the build's thread pool: one article per call. Plain
 * JavaScript, because a worker thread does not inherit the TypeScript
 * loader of the process that started it: it registers tsx itself, then
 * loads the task. Conversion dictionaries are memoized per worker, so each
 * worker loads a locale pair once, not once per article.
 */
import {register} from 'tsx/esm/api'

register()
const {runArticleTask} = await import('./build-task.ts')

export default runArticleTask
