/**
 * Rule `missing-word`: a space between two Han characters (`包括 催收`) is
 * where a site cut a word out. It is reported, never joined: only a person
 * knows the missing word.
 */
import type {CleanRule} from './types.ts'

const gap = /(?<=\p{Script=Han})[ \t\u00A0]+(?=\p{Script=Han})/gu

export const missingWord: CleanRule = {
  id: 'missing-word',
  summary: 'a space between two Han characters (`包括 催收`) is reported as a suspected missing word, never joined',
  run(draft, context) {
    for (const match of draft.text.matchAll(gap)) {
      // Three characters of context each side, within the line.
      const before = [...draft.text.slice(Math.max(0, match.index - 6), match.index).replace(/^[^]*[\r\n]/, '')].slice(-3).join('')
      const after = [...draft.text.slice(match.index + match[0].length, match.index + match[0].length + 6).replace(/[\r\n][^]*$/, '')].slice(0, 3).join('')
      context.report({
        offset: match.index,
        ruleId: 'missing-word',
        params: {text: `${before}${match[0]}${after}`}
      })
    }

    return []
  }
}
