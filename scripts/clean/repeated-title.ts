/**
 * Rule `repeated-title`: the article title repeated on its own line right
 * under a heading (the caption of the image a site puts there) is removed.
 */
import type {Edit} from '../types.ts'
import {draftLines} from './draft.ts'
import {classifyLine} from './structure.ts'
import type {CleanRule} from './types.ts'

export const repeatedTitle: CleanRule = {
  id: 'repeated-title',
  summary: 'the title repeated as an image caption under a heading is removed',
  run(draft, context) {
    const lines = draftLines(draft.text).filter((line) => line.text.trim() !== '')
    const title = lines[0]?.text.trim()
    const edits: Array<Edit> = []
    for (let index = 2; index < lines.length; index++) {
      const line = lines[index]!
      const above = lines[index - 1]!.text.trim()
      if (line.text.trim() !== title || classifyLine(above).type !== 'heading') continue
      edits.push({start: line.start, end: line.next, text: ''})
      context.report({offset: line.start, ruleId: 'repeated-title', params: {above}})
    }

    return edits
  }
}
