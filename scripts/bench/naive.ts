/**
 * The naive baseline a user would write without zhpress: for every article
 * and every other locale, opencc-js over the whole file string; for every
 * locale, remark-parse → remark-rehype → rehype-stringify for the HTML;
 * everything written to disk. Run as a subprocess by the benchmark:
 * `naive.ts SOURCE OUT STATS`.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import * as OpenCC from 'opencc-js'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'

const [source, out, stats] = process.argv.slice(2) as [string, string, string]
const codes = {'zh-Hans': 'cn', 'zh-Hant': 't', 'zh-TW': 'twp', 'zh-HK': 'hk'} as const
type Tag = keyof typeof codes
const converters = new Map<string, (text: string) => string>()
const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeStringify)

for (const name of (await fs.readdir(source)).filter((name) => name.endsWith('.md')).sort()) {
  const text = await fs.readFile(path.join(source, name), 'utf8')
  const from: Tag = /^lang: zh-Hant$/m.test(text) ? 'zh-Hant' : 'zh-Hans'
  for (const to of Object.keys(codes) as Array<Tag>) {
    let converted = text
    if (to !== from) {
      const key = from + to
      if (!converters.has(key)) converters.set(key, OpenCC.Converter({from: codes[from], to: codes[to]}))
      converted = converters.get(key)!(text)
    }

    const folder = path.join(out, to)
    await fs.mkdir(folder, {recursive: true})
    await fs.writeFile(path.join(folder, name), converted)
    await fs.writeFile(path.join(folder, name.replace(/\.md$/, '.html')), String(await processor.process(converted)))
  }
}

await fs.writeFile(stats, JSON.stringify({maxRss: process.resourceUsage().maxRSS * 1024}))
