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

/** Script-specific characters: a code unit's class (1 Simplified only, 2 Traditional only), and the characters beyond it. */
interface Tables {
  units: Uint8Array
  simplified: Set<string>
  traditional: Set<string>
}

let tables: Tables | undefined

function loadTables(): Tables {
  if (tables) return tables
  const simplified = changed(STCharacters)
  const traditional = changed(TSCharacters)
  // A table by code unit for the characters of the Basic Multilingual Plane
  // (a Set lookup per character, each a new string, was most of detecting).
  const units = new Uint8Array(0x10000)
  for (const char of traditional) if (char.length === 1) units[char.charCodeAt(0)] = 2
  for (const char of simplified) if (char.length === 1) units[char.charCodeAt(0)] = 1
  tables = {units, simplified, traditional}
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
  const {units, simplified, traditional} = loadTables()
  let s = 0
  let t = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    const next = index + 1 < text.length ? text.charCodeAt(index + 1) : 0
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      const char = text.slice(index, index + 2)
      index++
      if (simplified.has(char)) s++
      else if (traditional.has(char)) t++
      continue
    }

    const unit = units[code]
    if (unit === 1) s++
    else if (unit === 2) t++
  }

  const total = s + t
  const locale: Locale = s > t ? 'zh-Hans' : 'zh-Hant'
  const confidence = total === 0 ? 0 : Math.max(s, t) / total
  return {locale, confidence: Math.round(confidence * 1000) / 1000, simplified: s, traditional: t}
}

/** Words Taiwan writes where Hong Kong and the Mainland write others (程式碼, 記憶體…). */
const taiwanWords = [
  '程式', '軟體', '網路', '資料', '記憶體', '預設', '檔案', '資訊', '使用者', '介面', '伺服器', '硬碟', '滑鼠', '螢幕',
  '視窗', '列印', '物件', '函式', '變數', '陣列', '字串', '迴圈', '執行緒', '影片', '支援', '計程車', '部落格', '品質', '裡'
]

/** Words, particles and character forms of Hong Kong writing (軟件, 嘅, 説…). */
const hongKongWords = [
  '軟件', '網絡', '用戶', '打印', '屏幕', '的士', '巴士', '質素', '咗', '嘅', '喺', '冇', '哋', '嚟', '啲', '唔',
  // Hong Kong character forms (OpenCC's HKVariants) that Taiwan does not write.
  '兑', '叁', '囱', '媪', '悦', '愠', '户', '揾', '敍', '枴', '枱', '氲', '温', '煴', '税', '脱', '卧', '葱', '藴', '蜕', '衞', '説', '醖', '鈎', '鋭', '閲'
]

/** A source locale and why: the evidence of a `detected-locale` message (`confidence 1: …`). */
export interface SourceLocaleDetection {
  locale: Locale
  evidence: string
}

/**
 * Detect the source locale of an article: the script (Simplified or
 * Traditional), then, for Traditional, Taiwan or Hong Kong phrasing and
 * character forms. A text with no script-specific character takes
 * `defaultLocale`.
 *
 * @param text The article's text.
 * @param defaultLocale The project's default (`defaultLocale` setting).
 * @returns The locale and the evidence, in words.
 */
export function detectSourceLocale(text: string, defaultLocale: Locale): SourceLocaleDetection {
  const script = detectScript(text)
  const counts = `${script.traditional} Traditional-only, ${script.simplified} Simplified-only characters`
  if (script.simplified + script.traditional === 0) {
    return {locale: defaultLocale, evidence: `no script-specific characters: the project's default locale, \`defaultLocale\` in zhpress.yaml`}
  }

  if (script.locale === 'zh-Hans') return {locale: 'zh-Hans', evidence: `confidence ${script.confidence}: ${counts}`}
  const taiwan = countWords(text, taiwanWords)
  const hongKong = countWords(text, hongKongWords)
  const total = (found: Map<string, number>) => [...found.values()].reduce((sum, count) => sum + count, 0)
  const tw = total(taiwan)
  const hk = total(hongKong)
  const top = (found: Map<string, number>) =>
    [...found].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([word, count]) => `${word} ${count}×`).join(', ')
  const regional = `Taiwan phrasing ${tw}×${tw ? ` (${top(taiwan)})` : ''}, Hong Kong phrasing ${hk}×${hk ? ` (${top(hongKong)})` : ''}`
  const locale: Locale = tw >= 2 && tw > hk * 2 ? 'zh-TW' : hk >= 2 && hk > tw * 2 ? 'zh-HK' : 'zh-Hant'
  return {locale, evidence: `confidence ${script.confidence}: ${counts}; ${regional}`}
}

function countWords(text: string, words: ReadonlyArray<string>): Map<string, number> {
  const found = new Map<string, number>()
  for (const word of words) {
    let count = 0
    for (let index = text.indexOf(word); index !== -1; index = text.indexOf(word, index + word.length)) count++
    if (count > 0) found.set(word, count)
  }

  return found
}
