/**
 * Rule `site-chrome`: navigation, sidebar and footer lines of the site the
 * article was scraped from are removed. The patterns are data
 * (`chrome.yaml`), not code.
 */
import type {Edit} from '../types.ts'
import {draftLines} from './draft.ts'
import type {CleanRule} from './types.ts'

export const siteChrome: CleanRule = {
  id: 'site-chrome',
  summary: 'navigation, sidebar and footer lines listed in `scripts/clean/chrome.yaml` are removed',
  run(draft, context) {
    const {navigation, footers} = context.options.chrome
    const edits: Array<Edit> = []
    for (const line of draftLines(draft.text)) {
      const text = line.text.trim()
      if (text === '') continue
      const kind = navigation.includes(text) ? 'navigation line' : footers.some((pattern) => pattern.test(text)) ? 'footer line' : undefined
      if (!kind) continue
      edits.push({start: line.start, end: line.next, text: ''})
      context.report({offset: line.start, ruleId: 'site-chrome', params: {kind, text}})
    }

    return edits
  }
}
