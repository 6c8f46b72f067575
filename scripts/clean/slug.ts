/**
 * The slug of an imported article: pinyin of its title, from pinyin-pro.
 */
import {pinyin} from 'pinyin-pro'
import {getConverter} from '../convert/engine.ts'
import type {Locale} from '../locales.ts'

/**
 * A file-name slug from a Chinese title: `樂信逾期會爆通訊錄嗎` →
 * `le-xin-yu-qi-hui-bao-tong-xun-lu-ma`.
 *
 * @param title Article title.
 * @param locale Script of the title; Traditional titles are read through their Simplified form, which pinyin-pro's phrase dictionary knows best.
 * @returns Lowercase ASCII words joined by `-`; empty when the title has no letter, digit or Han character.
 */
export function pinyinSlug(title: string, locale: Locale): string {
  const simplified = locale === 'zh-Hans' ? title : getConverter(locale, 'zh-Hans').convert(title)
  const words = pinyin(simplified, {toneType: 'none', type: 'array', nonZh: 'consecutive', v: true})
  return words
    .join('-')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
