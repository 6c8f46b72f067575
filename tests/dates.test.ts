/**
 * Front matter dates: what is accepted, the calendar day shown (never moved
 * by a time zone), and what is refused.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {calendarDay, parseArticleDate} from '../scripts/dates.ts'
import {uiI18n} from '../scripts/i18n.ts'

const accepts = (value: string, day: string, hasTime: boolean, iso = day) => () =>
  expect(parseArticleDate(value)).toEqual({value: value.trim(), day, hasTime, iso})
const refuses = (value: string, problem: RegExp) => () => {
  const result = parseArticleDate(value)
  expect('problem' in result && result.problem).toMatch(problem)
}

describe('parseArticleDate', () => {
  it('2026-03-15', accepts('2026-03-15', '2026-03-15', false))
  it('2024-02-29 (leap year)', accepts('2024-02-29', '2024-02-29', false))
  it('2026-03-15T07:30:00+08:00', accepts('2026-03-15T07:30:00+08:00', '2026-03-15', true, '2026-03-15T07:30:00+08:00'))
  it('2026-03-15T23:30:00-05:00 (still the 15th as written)', accepts('2026-03-15T23:30:00-05:00', '2026-03-15', true, '2026-03-15T23:30:00-05:00'))
  it('2026-03-15 07:30 (a local time)', accepts('2026-03-15 07:30', '2026-03-15', true, '2026-03-15T07:30:00'))
  it('2026-03-15T07:30:00.250Z', accepts('2026-03-15T07:30:00.250Z', '2026-03-15', true, '2026-03-15T07:30:00.250Z'))
  it('2026-03-15T07:30:00+0800', accepts('2026-03-15T07:30:00+0800', '2026-03-15', true, '2026-03-15T07:30:00+08:00'))
  it('2026-03-15t07:30z', accepts('2026-03-15t07:30z', '2026-03-15', true, '2026-03-15T07:30:00Z'))
  it('2025/10/01 (year first, slashes) as 2025-10-01', () => expect(parseArticleDate('2025/10/01')).toEqual({value: '2025-10-01', day: '2025-10-01', hasTime: false, iso: '2025-10-01'}))
  it('2025/1/5 8:30 as 2025-01-05 08:30', () =>
    expect(parseArticleDate(' 2025/1/5 8:30 ')).toEqual({value: '2025-01-05 08:30', day: '2025-01-05', hasTime: true, iso: '2025-01-05T08:30:00'}))
  it('2019-10-8 13:14:10 as 2019-10-08 13:14:10', () =>
    expect(parseArticleDate('2019-10-8 13:14:10')).toEqual({value: '2019-10-08 13:14:10', day: '2019-10-08', hasTime: true, iso: '2019-10-08T13:14:10'}))
  it('refuses 2019/10-8 (two separators)', refuses('2019/10-8', /is not a date/))
  it('refuses 2026/02/30', refuses('2026/02/30', /2026-02 has 28 days/))
  it('refuses 2026/03/15/', refuses('2026/03/15/', /`2026\/03\/15\/` is not a date; write YYYY-MM-DD/))
  it('refuses 2026-02-30', refuses('2026-02-30', /2026-02 has 28 days/))
  it('refuses 2025-02-29', refuses('2025-02-29', /2025-02 has 28 days/))
  it('refuses 2026-13-01', refuses('2026-13-01', /no month 13/))
  it('refuses yesterday', refuses('yesterday', /is not a date/))
  it('refuses 2026-03-15T24:00', refuses('2026-03-15T24:00', /no time 24:00/))
  it('refuses an offset of +15:00', refuses('2026-03-15T07:00+15:00', /beyond ±14:00/))
  it('refuses 15/03/2026', refuses('15/03/2026', /is not a date/))

  it('keeps the calendar day of any valid date and time, whatever the offset', () => {
    fc.assert(
      fc.property(
        fc.date({min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true}),
        fc.integer({min: 0, max: 23}),
        fc.integer({min: -14, max: 14}),
        (date, hour, offset) => {
          const day = date.toISOString().slice(0, 10)
          const zone = (offset < 0 ? '-' : '+') + String(Math.abs(offset)).padStart(2, '0') + ':00'
          const value = `${day}T${String(hour).padStart(2, '0')}:30:00${zone}`
          expect(parseArticleDate(value)).toEqual({value, day, hasTime: true, iso: value})
          expect(calendarDay(value)?.toISOString().slice(0, 10)).toBe(day)
        }
      )
    )
  })

  it('refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.integer({min: 1900, max: 2999}), fc.integer({min: 1, max: 12}), (year, month) => {
        const length = new Date(Date.UTC(year, month, 0)).getUTCDate()
        const text = (day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
        expect('problem' in parseArticleDate(text(length))).toBe(false)
        for (let day = length + 1; day <= 31; day++) expect('problem' in parseArticleDate(text(day))).toBe(true)
      })
    )
  })
})

describe('the shown date', () => {
  it('is the day as written in every locale, early morning east of UTC included', () => {
    const shown = (locale: 'zh-Hans' | 'zh-TW', value: string) =>
      uiI18n(locale).t('publishedOn', {date: calendarDay(value), formatParams: {date: {dateStyle: 'long', timeZone: 'UTC'}}})
    expect(shown('zh-TW', '2026-03-15T07:30:00+08:00')).toBe('發布於2026年3月15日')
    expect(shown('zh-Hans', '2026-03-15T23:30:00-05:00')).toBe('发布于2026年3月15日')
    expect(shown('zh-Hans', '2026-03-15')).toBe('发布于2026年3月15日')
  })
})
