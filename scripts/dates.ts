/**
 * Front matter dates (`date`, `updated`): a calendar date (`2026-03-15`,
 * YAML's own date form, or `2026/03/15`) or an ISO 8601 / RFC 3339 date and time with or
 * without an offset (`2026-03-15T07:30:00+08:00`, `2026-03-15 07:30`).
 * The date shown to readers is the calendar date as written: never moved
 * into the build machine's time zone, nor into UTC.
 */

/** A valid front matter date. */
export interface ArticleDate {
  /** The value as written (trimmed): what `<time datetime>` and the JSON carry. */
  value: string
  /** The calendar date as written, `YYYY-MM-DD`. */
  day: string
  /** Whether the value carries a time of day. */
  hasTime: boolean
  /**
   * The value in the one form the JSON bundle carries: `YYYY-MM-DD` for a
   * calendar date (JSON Schema `format: date`); `YYYY-MM-DDTHH:MM:SS` with
   * the fraction as written and the offset as `Z` or `±HH:MM` for a date and
   * time (`format: date-time`, RFC 3339); without an offset, the same with
   * none (a local time: ajv-formats' `iso-date-time`).
   */
  iso: string
}

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:\s*([Zz]|[+-](\d{2}):?(\d{2})))?)?$/

/** Year first with slashes or one-digit parts, as many blogs write it (`2025/10/01`, `2025/1/5 8:30`, `2019-10-8 13:14`). */
const slashed = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?:([Tt ])(\d{1,2})(:.*))?$/

/**
 * Read a front matter date. A year-first date with slashes or one-digit
 * parts (`2025/10/01`, `2025/1/5 8:30`, `2019-10-8`) is read as its
 * two-digit dash form (`2025-10-01`, `2025-01-05 08:30`, `2019-10-08`),
 * which the outputs then carry; `15/03/2026` (day or month first) stays an
 * error.
 *
 * @param input The value as written in the front matter.
 * @returns The date, or a reason (English, for a diagnostic) when it is not one.
 */
export function parseArticleDate(input: string): ArticleDate | {problem: string} {
  const written = input.trim()
  const slash = slashed.exec(written)
  const two = (digits: string) => digits.padStart(2, '0')
  const value = slash ? `${slash[1]}-${two(slash[3]!)}-${two(slash[4]!)}${slash[5] ? `${slash[5]}${two(slash[6]!)}${slash[7]}` : ''}` : written
  const match = pattern.exec(value)
  if (!match) return {problem: `\`${written}\` is not a date; write YYYY-MM-DD, optionally with a time: 2026-03-15 or 2026-03-15T07:30:00+08:00`}
  const [, year, month, day, hour, minute, second, fraction, zone, offsetHour, offsetMinute] = match
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  if (m < 1 || m > 12) return {problem: `\`${value}\` has no month ${m}`}
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (d < 1 || d > length) return {problem: `\`${value}\`: ${year}-${month} has ${length} days`}
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) {
    return {problem: `\`${value}\` has no time ${hour}:${minute}${second ? ':' + second : ''}`}
  }

  if (offsetHour !== undefined && (Number(offsetHour) > 14 || Number(offsetMinute) > 59)) {
    return {problem: `\`${value}\` has an offset beyond ±14:00`}
  }

  const calendar = `${year}-${month}-${day}`
  const offset = zone === undefined ? '' : offsetHour === undefined ? 'Z' : `${zone[0]}${offsetHour}:${offsetMinute}`
  const iso = hour === undefined ? calendar : `${calendar}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${offset}`
  return {value, day: calendar, hasTime: hour !== undefined, iso}
}

/**
 * The calendar date of a valid date value, as a Date at midnight UTC:
 * format it with `timeZone: 'UTC'` to show the day as written.
 *
 * @param value A value {@link parseArticleDate} accepts.
 * @returns The Date, or `undefined` for anything else.
 */
export function calendarDay(value: string | null | undefined): Date | undefined {
  if (!value) return undefined
  const date = parseArticleDate(value)
  if ('problem' in date) return undefined
  return new Date(date.day + 'T00:00:00Z')
}
