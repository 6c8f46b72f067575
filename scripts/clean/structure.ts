/**
 * The structure step of `import`: cleaned lines → title, description and
 * Markdown blocks. One scraped line is one block: `一、…` lines are `##`
 * headings, `1.1 …` lines `###`, runs of `1. …` lines one ordered list, runs
 * of `term：description` lines one list, anything else a paragraph.
 */
import type {BlockContent, List, ListItem, PhrasingContent} from 'mdast'
import {draftLines, type Draft} from './draft.ts'
import type {ChromeData, Report} from './types.ts'

/** What one line of a scraped article is. */
export type LineKind =
  | {type: 'heading'; depth: 2 | 3 | 4 | 5 | 6}
  | {type: 'ordered'; number: number}
  | {type: 'term'}
  | {type: 'paragraph'}

// A heading is short and is not a sentence.
const maximumHeading = 40
const sentenceEnd = /[。；;，,]$/

/**
 * Classify one trimmed line.
 *
 * @param text Line without surrounding white space.
 * @returns Its kind.
 */
export function classifyLine(text: string): LineKind {
  const headingLike = text.length <= maximumHeading && !sentenceEnd.test(text)
  if (headingLike && /^[一二三四五六七八九十百]+、\S/.test(text)) return {type: 'heading', depth: 2}
  const numbered = /^(\d+(?:\.\d+)+)(?:[ \t\u3000]+|(?=\p{Script=Han}))\S/u.exec(text)
  if (headingLike && numbered) return {type: 'heading', depth: Math.min(6, numbered[1]!.split('.').length + 1) as 3 | 4 | 5 | 6}
  const ordered = /^(\d+)[.．、](?!\d)[ \t\u3000]*\S/.exec(text)
  if (ordered) return {type: 'ordered', number: Number(ordered[1])}
  if (/^[^\s：:，,。；;！!？?、]{1,15}[：:][ \t\u3000]*\S/.test(text)) return {type: 'term'}
  return {type: 'paragraph'}
}

/** The parts of an article the structure step finds. */
export interface Structure {
  title: string
  description?: string
  blocks: Array<BlockContent>
}

interface Line {
  text: string
  /** Draft offset of the first non-space character. */
  offset: number
  kind: LineKind
}

const space = /^[\s\u3000]+|[\s\u3000]+$/g

/**
 * Find the title, the lead and the blocks of a cleaned article.
 *
 * @param draft Cleaned text.
 * @param chrome Lead labels (`小編導語`).
 * @param report Reports the label removal (rule `lead-label`).
 * @returns The structure, or `undefined` when no text is left (no title).
 */
export function structureArticle(draft: Draft, chrome: ChromeData, report: (report: Report) => void): Structure | undefined {
  const lines: Array<Line> = draftLines(draft.text)
    .filter((line) => line.text.replace(space, '') !== '')
    .map((line) => {
      const text = line.text.replace(space, '')
      return {text, offset: line.start + line.text.indexOf(text), kind: classifyLine(text)}
    })
  const title = lines.shift()
  if (!title) return undefined

  let description: string | undefined
  const first = lines[0]
  const label = first ? chrome.leadLabels.find((item) => first.text === item || first.text.startsWith(item + '：') || first.text.startsWith(item + ':')) : undefined
  if (first && label) {
    const rest = first.text.slice(label.length).replace(/^[：:][\s\u3000]*/, '')
    if (rest === '') lines.shift()
    else lines[0] = {text: rest, offset: first.offset + first.text.indexOf(rest), kind: classifyLine(rest)}
    description = lines[0]?.text
    report({
      offset: first.offset,
      ruleId: 'lead-label',
      params: {reason: `removed lead label \`${label}\`; the paragraph after it is the \`description\` and the first paragraph`}
    })
  } else if (first && first.kind.type === 'paragraph') {
    description = first.text
    report({offset: first.offset, ruleId: 'lead-label', params: {reason: 'no lead label: the first paragraph is the `description`'}})
  }

  return description === undefined ? {title: title.text, blocks: blocks(lines)} : {title: title.text, description, blocks: blocks(lines)}
}

function text(value: string): Array<PhrasingContent> {
  return [{type: 'text', value}]
}

function item(value: string): ListItem {
  return {type: 'listItem', spread: false, children: [{type: 'paragraph', children: text(value)}]}
}

function blocks(lines: Array<Line>): Array<BlockContent> {
  const result: Array<BlockContent> = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const kind = line.kind
    if (kind.type === 'heading') {
      result.push({type: 'heading', depth: kind.depth, children: text(line.text)})
      continue
    }

    if (kind.type === 'ordered' || kind.type === 'term') {
      let end = index + 1
      while (end < lines.length && lines[end]!.kind.type === kind.type) end++
      // One `term：description` line is a sentence with a colon; a run of them is a list.
      if (kind.type === 'ordered' || end - index >= 2) {
        const run = lines.slice(index, end)
        const list: List =
          kind.type === 'ordered'
            ? {type: 'list', ordered: true, start: kind.number, spread: false, children: run.map((line) => item(line.text.replace(/^\d+[.．、][ \t\u3000]*/, '')))}
            : {type: 'list', ordered: false, spread: false, children: run.map((line) => item(line.text))}
        result.push(list)
        index = end - 1
        continue
      }
    }

    result.push({type: 'paragraph', children: text(line.text)})
  }

  return result
}
