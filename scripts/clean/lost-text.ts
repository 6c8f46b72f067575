/**
 * Rule `lost-text`: marks of text lost in an earlier conversion — `??`
 * between Han characters (characters a tool could not encode), U+FFFD, and
 * `锟斤拷` (U+FFFD encoded as UTF-8 and read as GBK) — are reported. Nothing
 * can recover them, so they stay visible until a person restores the text.
 */
import {isHan} from '../hanzi.ts'
import type {CleanRule} from './types.ts'

const marks = /\?{2,}|\uFFFD+|(?:锟斤拷)+|(?:烫烫烫)+/g

export const lostText: CleanRule = {
  id: 'lost-text',
  summary: '`??`, U+FFFD or `锟斤拷` where text was lost is reported, never guessed',
  run(draft, context) {
    for (const match of draft.text.matchAll(marks)) {
      const before = [...draft.text.slice(0, match.index)].at(-1) ?? ''
      const after = [...draft.text.slice(match.index + match[0].length)][0] ?? ''
      if (match[0].startsWith('?') && !(isHan(before) || isHan(after))) continue
      context.report({
        offset: match.index,
        ruleId: 'lost-text',
        params: {mark: match[0], before}
      })
    }

    return []
  }
}
