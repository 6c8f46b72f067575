/**
 * opencc-js over one whole text file, as a one-off script would do it (the
 * big-file baseline): `opencc-file.ts FROM TO FILE OUT STATS`; FROM and TO
 * are opencc-js codes (`t`, `cn`, `tw`, `twp`, `hk`).
 */
import fs from 'node:fs'
import * as OpenCC from 'opencc-js'

const [from, to, file, out, stats] = process.argv.slice(2) as [string, string, string, string, string]
fs.writeFileSync(out, OpenCC.Converter({from: from as 't', to: to as 'cn'})(fs.readFileSync(file, 'utf8')))
fs.writeFileSync(stats, JSON.stringify({maxRss: process.resourceUsage().maxRSS * 1024}))
