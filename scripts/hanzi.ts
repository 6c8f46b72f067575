/**
 * Which Han characters are common: the yardstick `import` uses to choose an
 * encoding and to tell mojibake from real text.
 *
 * "Common" is taken from the character sets themselves, through iconv-lite,
 * instead of a hand-written list: GB2312 level 1 (3,755 most used Simplified
 * characters, bytes B0A1–D7F9) and Big5's frequently used characters (5,401,
 * bytes A440–C67E). Their union (about 6,800) covers ordinary text in either
 * script; text decoded with the wrong codec falls mostly outside it.
 */
import iconv from 'iconv-lite'

const han = /^\p{Script=Han}$/u

// Built on first use (decoding ~14,000 byte pairs), then kept: the set never changes.
let common: Set<string> | undefined

function collect(set: Set<string>, codec: string, from: number, to: number): void {
  for (let code = from; code <= to; code++) {
    const trail = code & 0xff
    // Valid trail bytes: GBK A1–FE; Big5 40–7E and A1–FE.
    if (trail < 0x40 || (trail > 0x7e && trail < 0xa1) || trail === 0xff) continue
    const char = iconv.decode(Buffer.from([code >> 8, trail]), codec)
    if (han.test(char)) set.add(char)
  }
}

function commonSet(): Set<string> {
  if (!common) {
    const set = new Set<string>()
    collect(set, 'gbk', 0xb0a1, 0xd7f9)
    collect(set, 'big5', 0xa440, 0xc67e)
    common = set
  }

  return common
}

/** Whether a character is a Han character (any plane). */
export function isHan(char: string): boolean {
  return han.test(char)
}

/**
 * Whether a character is a common Han character (GB2312 level 1 or Big5
 * frequently used).
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
