/**
 * Which script a text is written in, from the characters only one script uses.
 */
import STCharacters from 'opencc-js/dict/STCharacters'
import TSCharacters from 'opencc-js/dict/TSCharacters'
import type {Locale} from '../locales.ts'

export interface Detection {
  locale: Locale
  /** Share of script-specific characters that agree with `locale`, 0–1. */
  confidence: number
  /** Characters that only Simplified writes. */
  simplified: number
  /** Characters that only Traditional writes. */
  traditional: number
}

let tables: {simplified: Set<string>; traditional: Set<string>} | undefined

function loadTables(): {simplified: Set<string>; traditional: Set<string>} {
  tables ??= {simplified: changed(STCharacters), traditional: changed(TSCharacters)}
  return tables
}

/** Characters a one-character dictionary maps to something else. */
function changed(dict: string): Set<string> {
  const set = new Set<string>()
  for (const entry of dict.split('|')) {
    const [from, to] = entry.split(' ')
    if (from && to && from !== to) set.add(from)
  }

  return set
}

/**
 * Detect whether a text is Simplified or Traditional.
 *
 * @param text Any text.
 * @returns zh-Hans or zh-Hant with the evidence; zh-Hant, confidence 0, when the text has no telling character.
 */
export function detectScript(text: string): Detection {
  const {simplified, traditional} = loadTables()
  let s = 0
  let t = 0
  for (const char of text) {
    if (simplified.has(char)) s++
    else if (traditional.has(char)) t++
  }

  const total = s + t
  const locale: Locale = s > t ? 'zh-Hans' : 'zh-Hant'
  const confidence = total === 0 ? 0 : Math.max(s, t) / total
  return {locale, confidence: Math.round(confidence * 1000) / 1000, simplified: s, traditional: t}
}
