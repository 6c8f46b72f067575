/**
 * Which Han characters are common: the yardstick `import` uses to choose an
 * encoding and to tell mojibake from real text.
 *
 * "Common" is taken from the character sets themselves instead of a
 * hand-written list: the 3,755 characters of GB2312 level 1 (the most used
 * Simplified characters, bytes B0A1–D7F9, read through iconv-lite) and their
 * Traditional forms from OpenCC's STCharacters dictionary. Big5's own
 * "frequently used" block is not used: it holds 5,401 characters, rare ones
 * among them (衈, 蒆), which is what text decoded with the wrong codec is
 * made of.
 */
import STCharacters from 'opencc-js/dict/STCharacters'
import {iconv} from './lazy.ts'

const han = /^\p{Script=Han}$/u

// Built on first use (decoding ~3,800 byte pairs), then kept: the set never changes.
let common: Set<string> | undefined

function commonSet(): Set<string> {
  if (!common) {
    const set = new Set<string>()
    for (let lead = 0xb0; lead <= 0xd7; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        const char = iconv().decode(Buffer.from([lead, trail]), 'gbk')
        if (han.test(char)) set.add(char)
      }
    }

    for (const entry of STCharacters.split('|')) {
      const [simplified, ...traditional] = entry.split(' ')
      if (simplified && set.has(simplified)) for (const char of traditional) set.add(char)
    }

    common = set
  }

  return common
}

/** Whether a character is a Han character (any plane). */
export function isHan(char: string): boolean {
  return han.test(char)
}

/**
 * Whether a character is a common Han character (GB2312 level 1 or a
 * Traditional form of one).
 */
export function isCommonHan(char: string): boolean {
  return commonSet().has(char)
}

/**
 * Share of the Han characters of a text that are common, 0–1 (1 when the
 * text has no Han character).
 */
export function commonShare(text: string): number {
  let all = 0
  let found = 0
  for (const char of text) {
    if (!han.test(char)) continue
    all++
    if (isCommonHan(char)) found++
  }

  return all === 0 ? 1 : found / all
}
