/**
 * Rule `typography`: half-width `,:;?!` after a Han character (or a closing
 * quote) and before a Han character, an opening quote or the end of the
 * line become full-width `，：；？！`; half-width parentheses after a Han
 * character around Chinese text become `（）`. `--no-typography` turns it off.
 */
import type {Edit} from '../types.ts'
import type {CleanRule} from './types.ts'

const fullWidth: Record<string, string> = {',': '，', ':': '：', ';': '；', '?': '？', '!': '！'}

const punctuation = /(?<=[\p{Script=Han}”’」』）])[,:;?!](?=[\p{Script=Han}“‘「『]|[ \t]*(?:\r?\n|\r|$))/gu
const parentheses = /(?<=\p{Script=Han})\(([^()\r\n]*\p{Script=Han}[^()\r\n]*)\)/gu

export const typography: CleanRule = {
  id: 'typography',
  summary: 'half-width `,:;?!()` between Han characters become full-width `，：；？！（）`',
  run(draft, context) {
    if (context.options.typography === false) return []
    const edits: Array<Edit> = []
    for (const match of draft.text.matchAll(punctuation)) {
      const to = fullWidth[match[0]]!
      edits.push({start: match.index, end: match.index + 1, text: to})
      context.report({offset: match.index, ruleId: 'typography', params: {from: match[0], to}, expected: [to]})
    }

    for (const match of draft.text.matchAll(parentheses)) {
      const end = match.index + match[0].length - 1
      edits.push({start: match.index, end: match.index + 1, text: '（'}, {start: end, end: end + 1, text: '）'})
      context.report({offset: match.index, ruleId: 'typography', params: {from: `(${match[1]})`, to: `（${match[1]}）`}, expected: ['（', '）']})
    }

    return edits
  }
}
