/**
 * A deterministic corpus of articles for the benchmark (and for tests that
 * need many articles): seeded random, the same corpus for the same seed.
 * Text comes from what the project ships: the seed article (Traditional),
 * OpenCC's golden input (Simplified) and phrases of OpenCC's dictionaries.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import STPhrases from 'opencc-js/dict/STPhrases'
import TSPhrases from 'opencc-js/dict/TSPhrases'

export interface CorpusOptions {
  /** Number of articles. */
  articles: number
  /** Seed of the random choices. */
  seed?: number
  /** Smallest and largest article, in bytes of UTF-8. */
  minBytes?: number
  maxBytes?: number
}

const root = path.resolve(import.meta.dirname, '..', '..')

/** A small fast seeded PRNG (mulberry32): floats in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

interface Texts {
  sentences: Array<string>
  phrases: Array<string>
}

/** Sentences of a text: split after Chinese full stops, without Markdown syntax. */
function sentencesOf(text: string): Array<string> {
  return text
    .replace(/^---[\s\S]*?---/, '')
    .split('\n')
    .map((line) => line.replace(/^[#\-*>\d.\s|]+/, '').replaceAll('|', '').trim())
    .filter((line) => /\p{Script=Han}/u.test(line))
    .flatMap((line) => line.split(/(?<=[。！？；])/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 4)
}

function phrasesOf(dictionary: string, every: number): Array<string> {
  return dictionary
    .split('|')
    .filter((_, index) => index % every === 0)
    .map((line) => line.split(' ')[0]!)
    .filter((phrase) => phrase.length >= 2)
}

async function loadTexts(): Promise<{simplified: Texts; traditional: Texts}> {
  const golden = await fs.readFile(path.join(root, 'tests/fixtures/opencc/golden/input/us_constitution_zhs.txt'), 'utf8')
  const seed = await fs.readFile(path.join(root, 'source/lexin-overdue.md'), 'utf8')
  return {
    simplified: {sentences: sentencesOf(golden), phrases: phrasesOf(STPhrases, 7)},
    traditional: {sentences: sentencesOf(seed), phrases: phrasesOf(TSPhrases, 7)}
  }
}

/**
 * A plain Traditional text of distinct lines, as a book is (the big-file
 * bench): each line two to five of the seed's sentences, half of them with
 * two of OpenCC's phrases put in, so no line repeats and per-line memos
 * cannot stand in for conversion.
 *
 * @param bytes Size to reach, in bytes of UTF-8.
 * @param seed Seed of the random choices.
 * @returns The text, lines ending in `\n`.
 */
export async function generateBook(bytes: number, seed = 20261201): Promise<string> {
  const {traditional} = await loadTexts()
  const next = random(seed)
  const pick = <T>(list: ReadonlyArray<T>): T => list[Math.floor(next() * list.length)]!
  const lines: Array<string> = []
  let size = 0
  while (size < bytes) {
    const line =
      Array.from({length: 2 + Math.floor(next() * 4)}, () => {
        const base = pick(traditional.sentences)
        return next() < 0.5 ? base : base.replace(/[，、]/, `，${pick(traditional.phrases)}${pick(traditional.phrases)}，`)
      }).join('') + '\n'
    lines.push(line)
    size += Buffer.byteLength(line)
  }

  return lines.join('')
}

/**
 * Generate the corpus in memory.
 *
 * @param options Size and seed.
 * @returns File names (`a00001.md`…) and contents, in name order.
 */
export async function generateCorpus(options: CorpusOptions): Promise<Array<{name: string; content: string}>> {
  const {articles, seed = 20240601, minBytes = 2048, maxBytes = 20480} = options
  const texts = await loadTexts()
  const next = random(seed)
  const pick = <T>(list: ReadonlyArray<T>): T => list[Math.floor(next() * list.length)]!
  const result: Array<{name: string; content: string}> = []

  for (let number = 1; number <= articles; number++) {
    const simplified = next() < 0.5
    const {sentences, phrases} = simplified ? texts.simplified : texts.traditional
    const sentence = () => {
      // Mix a real sentence with dictionary phrases, so phrase matching works hard.
      const base = pick(sentences)
      return next() < 0.5 ? base : base.replace(/[，、]/, `，${pick(phrases)}${pick(phrases)}，`)
    }

    const paragraph = () => Array.from({length: 2 + Math.floor(next() * 4)}, sentence).join('')
    const inline = (text: string) => {
      const roll = next()
      if (roll < 0.15) return text.replace(/^(.{2})(.{2})/u, '$1**$2**')
      if (roll < 0.25) return text + ` 見 \`config.set("${pick(phrases)}")\``
      if (roll < 0.35) return text.replace(/^(.{3})/u, `[$1](https://example.com/${number}/${Math.floor(next() * 100)})`)
      return text
    }

    const slug = `article-${String(number).padStart(5, '0')}`
    const lang = next() < 0.2 ? '' : `lang: ${simplified ? 'zh-Hans' : 'zh-Hant'}\n`
    const title = pick(phrases) + pick(phrases)
    const month = String(1 + Math.floor(next() * 12)).padStart(2, '0')
    // JSON strings are YAML double-quoted strings: any text is safe.
    const yaml = JSON.stringify
    let content =
      `---\ntitle: ${yaml(title)}\nslug: ${slug}\n${lang}date: 2024-${month}-${String(1 + (number % 28)).padStart(2, '0')}\n` +
      `description: ${yaml(pick(sentences))}\ntags: [${yaml(pick(phrases))}, ${yaml(pick(phrases))}]\n---\n\n${inline(paragraph())}\n`
    const target = minBytes + Math.floor(next() * (maxBytes - minBytes))
    let section = 0

    while (Buffer.byteLength(content) < target) {
      const roll = next()
      if (roll < 0.12) {
        section++
        content += `\n## ${section}. ${pick(phrases)}${pick(phrases)}\n`
      } else if (roll < 0.2) {
        content += `\n### ${section}.${Math.floor(next() * 9) + 1} ${pick(phrases)}\n`
      } else if (roll < 0.32) {
        content += '\n' + Array.from({length: 2 + Math.floor(next() * 4)}, () => `- ${inline(sentence())}`).join('\n') + '\n'
      } else if (roll < 0.38) {
        const rows = Array.from({length: 2 + Math.floor(next() * 3)}, () => `| ${pick(phrases)} | ${pick(phrases)} | ${inline(pick(phrases))} |`)
        content += `\n| ${pick(phrases)} | ${pick(phrases)} | ${pick(phrases)} |\n| --- | --- | --- |\n${rows.join('\n')}\n`
      } else if (roll < 0.44) {
        content += '\n```js\n' + `// ${pick(phrases)}\nconst value = ${JSON.stringify(pick(phrases))}\nconsole.log(value)\n` + '```\n'
      } else {
        content += `\n${inline(paragraph())}\n`
      }
    }

    result.push({name: `a${String(number).padStart(5, '0')}.md`, content})
  }

  return result
}

/**
 * Write the corpus into a folder.
 *
 * @param folder Where the articles go (created).
 * @param options Size and seed.
 * @returns Bytes written.
 */
export async function writeCorpus(folder: string, options: CorpusOptions): Promise<number> {
  await fs.mkdir(folder, {recursive: true})
  let bytes = 0
  for (const {name, content} of await generateCorpus(options)) {
    await fs.writeFile(path.join(folder, name), content)
    bytes += Buffer.byteLength(content)
  }

  return bytes
}
