/**
 * Rule `pinyin-annotation`: pinyin in parentheses after Han characters
 * (`導(dǎo)`, `導(dao)`, `導(dao3)`, `導語(dǎo yǔ)`) is removed. An annotation is
 * removed only when each syllable is a reading of the character before it
 * (pinyin-pro's dictionary), so `(LexinFintech)`, `(1)` and `(注)` stay.
 */
import {pinyin} from 'pinyin-pro'
import {isHan} from '../hanzi.ts'
import type {Edit} from '../types.ts'
import type {CleanRule} from './types.ts'

const annotation = /[(（]([a-zA-Z\u00C0-\u024F\u0300-\u036F1-5' ]{1,60})[)）]/g
const toneMarks = /[\u0101\u00E1\u01CE\u00E0\u0113\u00E9\u011B\u00E8\u012B\u00ED\u01D0\u00EC\u014D\u00F3\u01D2\u00F2\u016B\u00FA\u01D4\u00F9\u01D6\u01D8\u01DA\u01DC]/

/** Every way a reading may be written: with tone marks, tone numbers or no tone. */
function readings(char: string): Set<string> {
  const forms = new Set<string>()
  for (const toneType of ['symbol', 'num', 'none'] as const) {
    for (const reading of pinyin(char, {multiple: true, type: 'array', toneType})) {
      forms.add(reading)
      forms.add(reading.replaceAll('ü', 'v'))
      // `num` writes the neutral tone as 0; annotations use 5 or nothing.
      if (/0$/.test(reading)) forms.add(reading.slice(0, -1) + '5')
    }
  }

  return forms
}

export const pinyinAnnotation: CleanRule = {
  id: 'pinyin-annotation',
  summary: 'pinyin in parentheses after Han characters (`導(dǎo)` → `導`) is removed; other parentheses stay',
  run(draft, context) {
    const edits: Array<Edit> = []
    for (const match of draft.text.matchAll(annotation)) {
      const syllables = match[1]!.normalize('NFC').trim().toLowerCase().split(/[\s']+/)
      const before = [...draft.text.slice(Math.max(0, match.index - syllables.length * 2), match.index)].slice(-syllables.length)
      if (before.length !== syllables.length || !before.every((char) => isHan(char))) continue
      const annotated = before.join('')
      if (syllables.every((syllable, index) => readings(before[index]!).has(syllable))) {
        edits.push({start: match.index, end: match.index + match[0].length, text: ''})
        context.report({
          offset: match.index,
          ruleId: 'pinyin-annotation',
          params: {annotation: match[0], annotated}
        })
      } else if (toneMarks.test(match[1]!.normalize('NFC'))) {
        context.report({
          offset: match.index,
          ruleId: 'doubtful-pinyin',
          params: {annotation: match[0], annotated}
        })
      }
    }

    return edits
  }
}
