/**
 * Rule `nonstandard-traditional`: in a Traditional article, words that no
 * Traditional standard writes this way (`聯系` → `聯繫`, `注冊` → `註冊`) — the
 * sign of a text machine-converted from Simplified. They are reported with
 * the fix and left as written.
 *
 * A minimal lint for `import`: a word is reported when converting it to
 * Simplified and back gives a different word through an OpenCC phrase (never
 * a one-character guess), and OpenCC's Taiwan and Hong Kong forms of that
 * word differ from it too (so `為`, standard in Taiwan, is not reported
 * because OpenCC's own standard writes `爲`). The full lint of Traditional
 * sources belongs to the conversion stage; when it exists, `import` should
 * call it instead.
 */
import {getConverter} from '../convert/engine.ts'

/** A word written in a non-standard Traditional form. */
export interface NonstandardForm {
  /** Offsets in the text. */
  start: number
  end: number
  found: string
  expected: string
}

/**
 * Find non-standard Traditional forms in a Traditional text.
 *
 * @param text Text in Traditional characters.
 * @returns The words, in order.
 */
export function findNonstandardForms(text: string): Array<NonstandardForm> {
  // Offset in the Simplified text → offset in `text`.
  const back: Array<number> = []
  let simplified = ''
  for (const piece of getConverter('zh-Hant', 'zh-Hans').align(text)) {
    for (let index = 0; index < piece.text.length; index++) {
      back.push(piece.text.length === piece.end - piece.start ? piece.start + index : piece.start)
    }

    simplified += piece.text
  }

  back.push(text.length)
  const found: Array<NonstandardForm> = []
  for (const piece of getConverter('zh-Hans', 'zh-Hant').align(simplified)) {
    if (!piece.phrase) continue
    const start = back[piece.start]!
    const end = back[piece.end]!
    const written = text.slice(start, end)
    if (written === piece.text) continue
    const regional = (['zh-TW', 'zh-HK'] as const).map((locale) => getConverter('zh-Hant', locale).convert(piece.text))
    if (regional.includes(written)) continue
    found.push({start, end, found: written, expected: piece.text})
  }

  return found
}
