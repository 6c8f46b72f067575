/**
 * The second baseline: what a user converting a documentation tree without
 * zhpress would write. Every `.md` file of SOURCE (recursively), converted
 * as one whole string by opencc-js into each of the four locales, written to
 * OUT/<locale>/<same path>. No Markdown, no HTML. Run as a subprocess by the
 * benchmark: `whole-file.ts SOURCE OUT STATS`.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import * as OpenCC from 'opencc-js'

const [source, out, stats] = process.argv.slice(2) as [string, string, string]
const codes = {'zh-Hans': 'cn', 'zh-Hant': 't', 'zh-TW': 'twp', 'zh-HK': 'hk'} as const
type Tag = keyof typeof codes
const converters = new Map<string, (text: string) => string>()
const converter = (from: Tag, to: Tag) => {
  const key = from + to
  if (!converters.has(key)) converters.set(key, OpenCC.Converter({from: codes[from], to: codes[to]}))
  return converters.get(key)!
}

const entries = await fs.readdir(source, {withFileTypes: true, recursive: true})
const names = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => path.relative(source, path.join(entry.parentPath, entry.name))).sort()
for (const name of names) {
  const text = await fs.readFile(path.join(source, name), 'utf8')
  // Traditional when converting to Simplified changes the text.
  const sample = text.slice(0, 4000)
  const from: Tag = /^lang: zh-(?:Hant|TW|HK)$/m.test(text) || converter('zh-Hant', 'zh-Hans')(sample) !== sample ? 'zh-Hant' : 'zh-Hans'
  for (const to of Object.keys(codes) as Array<Tag>) {
    const target = path.join(out, to, name)
    await fs.mkdir(path.dirname(target), {recursive: true})
    await fs.writeFile(target, to === from ? text : converter(from, to)(text))
  }
}

await fs.writeFile(stats, JSON.stringify({maxRss: process.resourceUsage().maxRSS * 1024}))
