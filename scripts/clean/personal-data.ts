/**
 * Rule `personal-data`: phone numbers, e-mail addresses and QQ numbers are
 * removed from the article. The report shows them masked, never whole.
 */
import type {Edit} from '../types.ts'
import type {CleanRule} from './types.ts'

interface Kind {
  name: string
  pattern: RegExp
  mask: (found: string) => string
}

/** Keep the first `keep` characters (and the last `tail`), star the rest. */
function stars(value: string, keep: number, tail = 0): string {
  const shown = Math.min(keep, Math.max(0, value.length - 4))
  const end = value.length - shown > tail + 4 ? tail : 0
  return value.slice(0, shown) + '*'.repeat(value.length - shown - end) + value.slice(value.length - end)
}

// Earlier kinds win where matches overlap: an e-mail's local part may be a QQ number.
const kinds: Array<Kind> = [
  {
    name: 'e-mail address',
    pattern: /[\w.%+-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)*\.[A-Za-z]{2,}/g,
    mask: (found) => {
      const at = found.indexOf('@')
      return stars(found.slice(0, at), 2) + found.slice(at)
    }
  },
  {
    name: 'QQ number',
    pattern: /(?:QQ|qq|Ｑ{2}|扣扣)(?:號|号|群)?\s*[:：]?\s*[1-9]\d{4,10}(?!\d)/g,
    mask: (found) => {
      const digits = /\d+$/.exec(found)![0]
      return found.slice(0, found.length - digits.length) + stars(digits, 2)
    }
  },
  {
    name: 'phone number',
    // Mainland mobile numbers (optionally +86), and landlines written with an area code.
    pattern: /(?<![\d.])(?:(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-\d{7,8})(?![\d.])/g,
    mask: (found) => stars(found, 3, 2)
  }
]

export const personalData: CleanRule = {
  id: 'personal-data',
  summary: 'phone numbers, e-mail addresses and QQ numbers are removed; the report shows them masked',
  run(draft, context) {
    const text = draft.text
    const taken: Array<Edit> = []
    for (const kind of kinds) {
      for (const match of text.matchAll(kind.pattern)) {
        let start = match.index
        const end = start + match[0].length
        if (taken.some((edit) => edit.start < end && start < edit.end)) continue
        // Take the space before it too when it stood between words, so no double space is left.
        const after = text[end]
        if (after === undefined || /\s/.test(after)) {
          while (start > 0 && /[ \t\u00A0\u3000]/.test(text[start - 1]!)) start--
        }

        taken.push({start, end, text: ''})
        context.report({
          offset: match.index,
          ruleId: 'personal-data',
          params: {kind: kind.name, masked: kind.mask(match[0])},
          note: 'personal data is removed from imported articles and never printed whole'
        })
      }
    }

    return taken
  }
}
