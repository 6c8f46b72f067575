/**
 * The surname 于: Simplified 于 is both the preposition (Traditional 於) and
 * a surname that stays 于 (于謙). OpenCC converts every lone 于 to 於.
 *
 * A 于 is taken for the surname when
 * - a title or kinship term follows it (于老师, 于先生, 于总), or 姓 comes
 *   right before it (姓于), or
 * - Jieba, with its HMM on, reads it as the first character of a name it
 *   does not know (于小明, 于晓东: a new word of two or three characters
 *   tagged as a name or unknown).
 *
 * Limits: a name Jieba splits (于 + a dictionary word, 于文华) is missed
 * unless a title follows; pin those with the glossary or `-{于}-`.
 */

/** Titles and terms of address that follow a surname. */
export const surnameTitles: ReadonlyArray<string> = [
  '老师', '先生', '女士', '小姐', '同学', '教授', '博士', '医生', '大夫', '经理', '总监', '总裁', '总',
  '局长', '处长', '科长', '部长', '校长', '院长', '主任', '书记', '师傅', '阿姨', '叔叔', '大爷', '大妈',
  '奶奶', '爷爷', '姐', '哥', '某', '氏', '工', '律师', '记者', '董事长', '厂长', '队长', '班长', '老板'
]

/** Characters after which a 于 is a surname when a title follows, not 于 + noun. */
const breaks = /[\s，。！？；：、,.!?;:「」“”‘’（）()《》【】\n]/

/** Jieba's dictionary without its HMM: the words of a text, and the tag of a dictionary word (`undefined`: not one). */
export interface DictionaryWords {
  cut: (text: string) => Array<string>
  tagOf: (word: string) => string | undefined
}

/**
 * Whether the 于 at `offset` is the surname.
 *
 * @param text Simplified text.
 * @param offset Offset of a 于.
 * @param tag Jieba's tagger (HMM on) for the sentence around it.
 * @param dictionary Jieba's words without the HMM, when at hand: the
 *   tagger (and its HMM) is then asked only where the HMM can change the
 *   answer.
 * @returns Whether to keep 于.
 */
export function isSurnameYu(text: string, offset: number, tag: (text: string) => Array<{word: string; tag: string}>, dictionary?: DictionaryWords): boolean {
  if (text.charAt(offset - 1) === '姓') return true
  let start = offset
  while (start > 0 && offset - start < 40 && !breaks.test(text.charAt(start - 1))) start--
  let end = offset + 1
  while (end < text.length && end - offset < 40 && !breaks.test(text.charAt(end))) end++
  if (dictionary) {
    const known = surnameWithoutHmm(dictionary, text.slice(start, end), offset - start)
    if (known !== undefined) return known
  }

  const words = tag(text.slice(start, end))
  let at = start
  for (let index = 0; index < words.length; index++) {
    const {word, tag: kind} = words[index]!
    if (at === offset) {
      // 于 + a title as the next word (于老师), or a name Jieba guessed (于小明).
      if (word === '于') return surnameTitles.includes(words[index + 1]?.word ?? '')
      const length = [...word].length
      return length >= 2 && length <= 3 && (kind === 'nr' || kind === 'x')
    }

    at += word.length
    if (at > offset) return false
  }

  return false
}

/**
 * {@link isSurnameYu}'s answer from the dictionary's words alone, where
 * Jieba's HMM cannot change it. With the HMM on, Jieba keeps every word of
 * two or more characters of its dictionary route and re-cuts only runs of
 * single characters, and inside such a run only stretches of two or more
 * Han characters (U+4E00–U+9FD5): a 于 inside a longer word stays there, one
 * starting a longer word starts it, and a lone 于 without a single Han
 * character beside it stays a word of its own, followed by the route's next
 * word.
 *
 * @returns The answer, or `undefined` where the HMM must be asked.
 */
function surnameWithoutHmm(dictionary: DictionaryWords, sentence: string, offset: number): boolean | undefined {
  const words = dictionary.cut(sentence)
  let at = 0
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!
    if (at + word.length <= offset) {
      at += word.length
      continue
    }

    // Inside a longer word (对于): not where a name starts.
    if (at !== offset) return false
    if (word.length > 1) {
      const length = [...word].length
      if (length < 2 || length > 3) return false
      const kind = dictionary.tagOf(word)
      return kind === undefined ? undefined : kind === 'nr' || kind === 'x'
    }

    // Jieba's HMM re-cuts only runs of single characters: with a single Han
    // character after it, 于 may begin a name it guesses (于小明); with one
    // only before it, the HMM either leaves 于 alone or ends a word with it
    // (应于, 兹于), and the answer can differ only where a title follows.
    if (singleHan(words[index + 1])) return undefined
    const titled = surnameTitles.includes(words[index + 1] ?? '')
    return titled && singleHan(words[index - 1]) ? undefined : titled
  }

  return false
}

/** Whether a word is one Han character of the range Jieba's HMM reads. */
function singleHan(word: string | undefined): boolean {
  if (word?.length !== 1) return false
  const code = word.charCodeAt(0)
  return code >= 0x4e00 && code <= 0x9fd5
}
