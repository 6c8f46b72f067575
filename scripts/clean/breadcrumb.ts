/**
 * Rule `breadcrumb`: a navigation trail near the top (`首頁>>信用卡逾期>>正文`)
 * is removed and its section becomes front matter `category`.
 */
import {draftLines} from './draft.ts'
import type {CleanRule} from './types.ts'

// A breadcrumb sits above the article: look at the first few non-blank lines only.
const searchedLines = 5
const maximumItem = 20

export const breadcrumb: CleanRule = {
  id: 'breadcrumb',
  summary: 'a breadcrumb line (`首頁>>信用卡逾期>>正文`) is removed; its section becomes `category`',
  run(draft, context) {
    const {separators, home, current} = context.options.chrome.breadcrumb
    if (separators.length === 0) return []
    const split = new RegExp(
      separators
        .toSorted((a, b) => b.length - a.length)
        .map((separator) => '\\s*' + separator.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*')
        .join('|')
    )
    const lines = draftLines(draft.text).filter((line) => line.text.trim() !== '').slice(0, searchedLines)
    for (const line of lines) {
      const items = line.text.trim().split(split)
      if (items.length < 2 || items.some((item) => item === '' || item.length > maximumItem || /[。，！？,!?]/.test(item))) continue
      const isHome = home.includes(items[0]!)
      if (!isHome && items.length < 3) continue
      const sections = items.slice(isHome ? 1 : 0)
      if (sections.length > 0 && current.includes(sections.at(-1)!)) sections.pop()
      const category = sections.at(-1)
      if (category) context.facts.category = category
      context.report({
        offset: line.start,
        ruleId: 'breadcrumb',
        params: {line: line.text.trim(), category},
        expected: category ? [category] : undefined
      })
      return [{start: line.start, end: line.next, text: ''}]
    }

    return []
  }
}
