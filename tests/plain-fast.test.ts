/**
 * The fast plain-text path of `convert` (`scripts/convert/plain.ts`):
 * without corrections it is opencc-js exactly, on random text drawn from
 * OpenCC's dictionary keys, for every locale pair; with or without
 * corrections it gives what the general path (`convertPlain`) gives, review
 * included (folded per term); the review of a long text comes once per
 * term; and a plain-text `convert` process loads none of the Markdown, HTML,
 * YAML or encoding-detection libraries.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import fc from 'fast-check'
import * as OpenCC from 'opencc-js'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {location} from 'vfile-location'
import {getConverter, openccCode} from '../scripts/convert/engine.ts'
import {convertPlain, roundTrips} from '../scripts/convert/index.ts'
import {comesBack, differingCharacters, lintClause, lintTraditional, mayDiffer} from '../scripts/convert/lint.ts'
import {createPlainConverter, watchedCharacters} from '../scripts/convert/plain.ts'
import {alternativesFor, isReliable, roleChecked, type ReviewItem} from '../scripts/convert/review.ts'
import {applyEdits} from '../scripts/render-markdown.ts'
import {locales, type Locale} from '../scripts/locales.ts'
import {root, runCli, temporaryFolder} from './helpers.ts'

/** Keys of every dictionary opencc-js ships (phrases and characters, both directions). */
function dictionaryKeys(): Array<string> {
  const preset = (OpenCC as unknown as {Locale: {from: Record<string, unknown>; to: Record<string, unknown>}}).Locale
  const keys = new Set<string>()
  for (const groups of [...Object.values(preset.from), ...Object.values(preset.to)]) {
    for (const dictionary of (groups as Array<unknown>).flat(3)) {
      if (typeof dictionary !== 'string') continue
      for (const entry of dictionary.split('|')) {
        const key = entry.split(' ')[0]
        if (key && [...key].length <= 4) keys.add(key)
      }
    }
  }

  return [...keys].sort()
}

const keys = dictionaryKeys()
const glue = ['，', '。', '\n', ' ', 'a', '的', '了', '着', '是', '在']
const piece = fc.oneof({weight: 4, arbitrary: fc.constantFrom(...keys)}, {weight: 1, arbitrary: fc.constantFrom(...glue)})
const text = fc.array(piece, {minLength: 1, maxLength: 30}).map((parts) => parts.join(''))

/** The fast path on one chunk: output and the folded review as lines. */
async function fast(input: string, from: Locale, to: Locale, corrections: boolean): Promise<{value: string | undefined; review: Array<string>}> {
  const converter = createPlainConverter({to, corrections})
  const chunk = new VFile({value: input})
  chunk.data.sourceLocale = from
  const value = await converter.convert(chunk)
  const file = new VFile({value: input})
  converter.finish(file)
  // The terms, without their counts.
  return {value, review: file.messages.map((message) => `${message.ruleId} ${message.reason.replace(/(?: has|:) .*$/, '')}`).sort()}
}

/** The general path: output, and its review folded per term the same way. */
function general(input: string, from: Locale, to: Locale, corrections: boolean): {value: string; review: Array<string>} {
  const chunk = new VFile({value: input})
  chunk.data.sourceLocale = from
  chunk.data.corrections = corrections
  const result = convertPlain(chunk, {to, corrections})
  const terms = new Set<string>()
  for (const item of result.review) {
    terms.add(
      item.kind === 'phrase'
        ? `disputed-phrase ${item.char} → ${item.output} (${item.locale})`
        : `ambiguous-conversion ${item.char} → ${item.output} (${item.locale})`
    )
  }

  return {value: applyEdits(input, result.edits), review: [...terms].sort()}
}

describe('fast plain text, exact mode, equals opencc-js', () => {
  for (const from of locales) {
    for (const to of locales) {
      if (from === to) continue
      it(`${from} → ${to}`, async () => {
        const reference = OpenCC.Converter({from: openccCode[from], to: openccCode[to]})
        await fc.assert(
          fc.asyncProperty(text, async (input) => {
            expect((await fast(input, from, to, false)).value).toBe(reference(input))
          }),
          {numRuns: 150}
        )
      })
    }
  }
})

describe('fast plain text equals the general path', () => {
  const quoted = fc
    .array(fc.oneof({weight: 6, arbitrary: piece}, {weight: 1, arbitrary: fc.constantFrom('“', '”', '「', '」', '‘', '’', ' “ ')}), {minLength: 1, maxLength: 30})
    .map((parts) => parts.join(''))
  const pairs: Array<[Locale, Locale]> = [
    ['zh-Hans', 'zh-TW'],
    ['zh-Hans', 'zh-Hant'],
    ['zh-Hant', 'zh-Hans'],
    ['zh-TW', 'zh-Hans'],
    ['zh-HK', 'zh-TW'],
    ['zh-TW', 'zh-TW']
  ]
  for (const [from, to] of pairs) {
    for (const corrections of [true, false]) {
      it(`${from} → ${to}, corrections ${corrections ? 'on' : 'off'}: output and review terms`, async () => {
        await fc.assert(
          fc.asyncProperty(quoted, async (input) => {
            expect(await fast(input, from, to, corrections)).toEqual(general(input, from, to, corrections))
          }),
          {numRuns: corrections ? 60 : 100}
        )
      })
    }
  }

  it('a Traditional source with non-standard forms and quotes, on every line', async () => {
    const input = '他們聯系了我們，對于后果「很擔心」。\n樂信成立于2013年，并采取了措施。\n\n“引號”和 “ ” 都在。'
    for (const to of locales) expect(await fast(input, 'zh-Hant', to, true)).toEqual(general(input, 'zh-Hant', to, true))
  })
})

describe('the round-trip pre-check of the lint', () => {
  const traditionalText = fc
    .array(fc.oneof({weight: 4, arbitrary: piece}, {weight: 1, arbitrary: fc.constantFrom('于', '后', '并', '系', '聯系', '對于', '著', '隨著', '看著')}), {minLength: 1, maxLength: 25})
    .map((parts) => parts.join(''))
  for (const from of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
    it(`${from}: a text that round-trips has no lint finding`, () => {
      fc.assert(
        fc.property(traditionalText, (input) => {
          if (roundTrips(input, from)) expect(lintTraditional(input, from)).toEqual([])
          // The plain path's first check, per character: a text with no character that may differ has no finding.
          if (!mayDiffer(input, 0, input.length, from)) expect(lintClause(input, from)).toEqual([])
        }),
        {numRuns: 400}
      )
    })
  }

  // The lint's second pre-check: a clause whose word-aware round trip gives
  // every character back in its place, by the exact conversion's matches,
  // has no finding — never one the full aligned lint would make.
  const risky = fc
    .array(
      fc.oneof(
        {weight: 4, arbitrary: piece},
        {weight: 3, arbitrary: fc.constantFrom('于', '后', '并', '系', '著', '發', '髮', '只', '隻', '裡', '裏', '後', '於', '乾', '干', '幹', '復', '複', '週', '周', '盡', '儘', '佈', '布', '註', '注', '採', '制', '製')},
        {weight: 2, arbitrary: fc.constantFrom('聯系', '對于', '隨著', '看著', '更復雜', '頭发', '並為', '這只發生', '逾期后', '隻有', '盡管', '發布', '于小明說', '姓于', '變數裡', '許多乾淨', '第四週', '合作夥伴', '編製', '记忆體', '記憶體', '軟體', '乾隆', '乾坤', '型別', '函式', '程式', '呼叫', '建立', '執行緒', '資料', '參數', '迴圈', '檔案', '模組', '欄位', '向量', '列舉', '訊息', '專案', '儲存', '物件', '項目', '發佈', '週期')}
      ),
      {minLength: 1, maxLength: 12}
    )
    .map((parts) => parts.join(''))
  for (const from of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
    it(`${from}: a clause that comes back in place has no finding of the full lint`, () => {
      let back = 0
      fc.assert(
        fc.property(risky, (input) => {
          if (!comesBack(input, from)) return
          back++
          expect(lintClause(input, from), input).toEqual([])
        }),
        {numRuns: 1500, seed: 7}
      )
      // Not vacuous: such clauses hold characters that could differ.
      expect(back).toBeGreaterThan(30)
    })
  }

  it('a clause with a finding never comes back', () => {
    for (const clause of ['他們聯系了我們', '對于后果很擔心', '并采取了措施', '更復雜的頭发', '逾期后的補救', '盡管如此']) {
      expect(lintClause(clause, 'zh-TW').length, clause).toBeGreaterThan(0)
      expect(comesBack(clause, 'zh-TW'), clause).toBe(false)
    }

    for (const clause of ['頭髮長了', '發現問題', '乾淨的碗', '後來他走了']) expect(comesBack(clause, 'zh-TW'), clause).toBe(true)
  })

  it('a Taiwan clause comes back through Taiwan\'s character variants, its words left as written', () => {
    // Taiwan's phrases make Mainland words of these on the way to Simplified
    // (記憶體 → 内存: the offsets move) or back (项目 → 專案, 参数 → 引數):
    // the trip without them brings each back, and the full lint agrees.
    for (const clause of ['記憶體裡的值', '這個項目的參數', '軟體發佈', '後來他把檔案存進記憶體']) {
      expect(lintClause(clause, 'zh-TW'), clause).toEqual([])
      expect(comesBack(clause, 'zh-TW'), clause).toBe(true)
    }

    // A non-standard form beside those words still takes the full lint, which finds it.
    for (const clause of ['記憶體的聯系方式', '這個項目并不複雜', '參數對于結果']) {
      expect(lintClause(clause, 'zh-TW').length, clause).toBeGreaterThan(0)
      expect(comesBack(clause, 'zh-TW'), clause).toBe(false)
    }
  })

  // The lint skips clauses with no character that could differ and lints
  // the others apart: it must find exactly what the lint of the whole text does.
  const clauses = fc
    .array(
      fc.oneof(
        {weight: 3, arbitrary: piece},
        {weight: 2, arbitrary: fc.constantFrom('聯系', '注冊', '更復雜', '頭发', '並為', '简体中文', '這只發生', '逾期后', '隻有', '盡管')},
        {weight: 2, arbitrary: fc.constantFrom('，', '。', '、', '；', '\n', '：')}
      ),
      {minLength: 1, maxLength: 30}
    )
    .map((parts) => parts.join(''))
  for (const from of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
    it(`${from}: clause by clause, the lint finds what it finds on the whole text`, () => {
      fc.assert(
        fc.property(clauses, (input) => {
          expect(lintTraditional(input, from)).toEqual(lintClause(input, from))
        }),
        {numRuns: 300, seed: 13}
      )
    })
  }
})

describe('the characters that may differ from their standard form, computed ahead of time', () => {
  it('are the characters the lint\'s pre-check takes, for every Traditional locale', () => {
    for (const locale of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
      const listed = new Set(differingCharacters(locale))
      for (const char of '发后于并發') expect(listed.has(char), `${locale} ${char}`).toBe(true)
      expect(listed.has('的')).toBe(false)
      fc.assert(
        fc.property(fc.integer({min: 0x2e80, max: 0xffff}), (code) => {
          if (code >= 0xd800 && code <= 0xdfff) return
          const char = String.fromCharCode(code)
          expect(mayDiffer(char, 0, 1, locale), `${locale} ${char}`).toBe(listed.has(char))
        }),
        {numRuns: 300}
      )
    }

    // 爲 is zh-Hant's form of 為, not zh-TW's.
    expect(differingCharacters('zh-TW')).toContain('爲')
  })
})

describe('fast plain text, exact mode: the review read from the conversion', () => {
  // Lines of dictionary keys and characters the review watches (unreliable
  // and role-checked ones, in both scripts), in their contexts.
  const watched = ['干', '里', '于', '后', '面', '只', '发', '系', '复', '钟', '瞭', '鍊', '麵', '乾', '3只猫', '于小明说', '这事你来干', '番茄肉面', '文件里', '𠮷']
  const line = fc.array(fc.oneof({weight: 3, arbitrary: piece}, {weight: 2, arbitrary: fc.constantFrom(...watched)}), {minLength: 1, maxLength: 12}).map((parts) => parts.join(''))
  const lines = fc.array(line, {minLength: 1, maxLength: 6}).map((parts) => parts.join('\n'))

  /** Each term of a folded review: rule, term, count, first place, candidates, context. */
  const folded = (file: VFile) =>
    file.messages
      .map((message) => {
        const count = /, (\d+) times in the text/.exec(message.reason)?.[1] ?? '1'
        const context = /first here: (.*?); (?:candidates|character by character)/.exec(message.note ?? '')?.[1]
        return `${message.ruleId} ${message.reason.replace(/ \(.*$/, '')} ×${count} ${message.line}:${message.column} [${(message.expected ?? []).join(' ')}] ${context}`
      })
      .sort()

  for (const from of locales) {
    for (const to of locales) {
      if (from === to) continue
      it(`${from} → ${to}: every term, its count, first place, candidates and context as the aligned review gives them`, async () => {
        let reviewed = 0
        await fc.assert(
          fc.asyncProperty(lines, async (input) => {
            const converter = createPlainConverter({to, corrections: false})
            const chunk = new VFile({value: input})
            chunk.data.sourceLocale = from
            await converter.convert(chunk)
            const file = new VFile({value: input})
            converter.finish(file)
            // The aligned review of the general path, folded per term by hand.
            const general = new VFile({value: input})
            general.data.sourceLocale = from
            general.data.corrections = false
            const where = location(input)
            const terms = new Map<string, {item: ReviewItem; count: number}>()
            for (const item of convertPlain(general, {to, corrections: false}).review) {
              const key = `${item.kind ?? ''} ${item.char} ${item.output}`
              const term = terms.get(key)
              if (term) term.count++
              else terms.set(key, {item, count: 1})
            }

            const expected = [...terms.values()]
              .map(({item, count}) => {
                const place = where.toPoint(item.offset)!
                const rule = item.kind === 'phrase' ? 'disputed-phrase' : 'ambiguous-conversion'
                return `${rule} ${item.char} → ${item.output} ×${count} ${place.line}:${place.column} [${item.alternatives.join(' ')}] ${item.context}`
              })
              .sort()
            expect(folded(file)).toEqual(expected)
            if (expected.length > 0) reviewed++
          }),
          {numRuns: 40}
        )
        // Not vacuous where the pair reviews anything (a Traditional source into Traditional, or into zh-HK, does not).
        if (watchedCharacters(from, to).length > 0) expect(reviewed).toBeGreaterThan(0)
      })
    }
  }
})

describe('the watched characters computed ahead of time', () => {
  it('are the characters the review watches, for every locale pair', () => {
    for (const from of locales) {
      for (const to of locales) {
        if (from === to) continue
        const watched = new Set(watchedCharacters(from, to))
        // Each listed character has alternatives; a sample of others has none to review (the lazy check).
        for (const char of watched) expect(alternativesFor(char, from, to), `${from}>${to} ${char}`).toBeDefined()
        fc.assert(
          fc.property(fc.integer({min: 0x3400, max: 0xffff}), (code) => {
            if (code >= 0xd800 && code <= 0xdfff) return
            const char = String.fromCharCode(code)
            const lazy = (!isReliable(char, from, to) || (from === 'zh-Hans' && roleChecked.has(char))) && alternativesFor(char, from, to) !== undefined
            expect(watched.has(char)).toBe(lazy)
          }),
          {numRuns: 300}
        )
      }
    }

    // The review's own examples are in.
    expect(watchedCharacters('zh-Hans', 'zh-Hant')).toContain('干')
  })
})

describe('the exact shortcut of the corrected conversion', () => {
  // Text rich in 著 (the word form a Traditional source's corrections decide) and in the phrases around it.
  const rich = fc
    .array(
      fc.oneof(
        {weight: 4, arbitrary: piece},
        {weight: 2, arbitrary: fc.constantFrom('著', '看著', '隨著', '著作', '顯著', '名著', '沿著', '他著有', '「', '」', '“', '”', '聯系', '對于')}
      ),
      {minLength: 1, maxLength: 40}
    )
    .map((parts) => parts.join(''))

  it('a Simplified source has no shortcut (every phrase is checked against the words)', () => {
    for (const to of locales) if (to !== 'zh-Hans') expect(getConverter('zh-Hans', to, {corrections: true}).exactUnless).toBeUndefined()
  })

  for (const from of ['zh-Hant', 'zh-TW', 'zh-HK'] as const) {
    for (const to of locales) {
      if (from === to) continue
      it(`${from} → ${to}: a line without the listed units converts exactly, and the plain path equals converting each line corrected`, async () => {
        const corrected = getConverter(from, to, {corrections: true})
        const exact = getConverter(from, to)
        const unless = corrected.exactUnless
        expect(unless).toBeDefined()
        await fc.assert(
          fc.asyncProperty(rich, async (input) => {
            for (const line of input.split('\n')) {
              if (![...line].some((char) => unless!.has(char.charCodeAt(0)) || (char.length > 1 && unless!.has(char.charCodeAt(1))))) {
                expect(corrected.convert(line)).toBe(exact.convert(line))
              }
            }

            // The shortcut (exact stretches between lines holding those units) against the full path.
            expect(await fast(input, from, to, true)).toEqual(general(input, from, to, true))
          }),
          {numRuns: 80}
        )
      })
    }
  }
})

describe('a Traditional source\'s lines converted once', () => {
  // Few distinct lines, repeated within and across chunks: each line in
  // standard forms is converted the first time it is met, and taken from
  // its entry afterwards (restyled quotation marks: converted each time).
  const line = fc
    .array(
      fc.oneof(
        {weight: 4, arbitrary: piece},
        {weight: 2, arbitrary: fc.constantFrom('著', '看著', '隨著', '著作', '聯系', '對于', '后果', '并且', '采取', '「', '」', '“', '”', '於')}
      ),
      {maxLength: 12}
    )
    .map((parts) => parts.join('').replaceAll('\n', ''))
  const chunks = fc.array(line, {minLength: 1, maxLength: 4}).chain((pool) =>
    fc.array(fc.array(fc.constantFrom(...pool), {minLength: 1, maxLength: 8}).map((lines) => lines.join('\n') + '\n'), {minLength: 1, maxLength: 4})
  )

  for (const [from, to] of [['zh-Hant', 'zh-Hans'], ['zh-TW', 'zh-Hans'], ['zh-HK', 'zh-TW']] as const) {
    it(`${from} → ${to}: chunk by chunk, each chunk as the general path converts it, the review as the whole text's`, async () => {
      await fc.assert(
        fc.asyncProperty(chunks, async (texts) => {
          const converter = createPlainConverter({to, corrections: true})
          for (const text of texts) {
            const chunk = new VFile({value: text})
            chunk.data.sourceLocale = from
            expect(await converter.convert(chunk)).toBe(general(text, from, to, true).value)
          }

          const file = new VFile({value: texts.join('')})
          converter.finish(file)
          const review = file.messages.map((message) => `${message.ruleId} ${message.reason.replace(/(?: has|:) .*$/, '')}`).sort()
          expect(review).toEqual(general(texts.join(''), from, to, true).review)
        }),
        {numRuns: 60}
      )
    })
  }
})

describe('convert folds the review of a plain text per term', () => {
  it('one warning per term with its count, at its first place', async () => {
    const folder = await temporaryFolder()
    const line = '干燥的天气里他在干什么，这事你来干。\n'
    await fs.writeFile(path.join(folder, 'a.txt'), '标题\n' + line.repeat(50))
    const result = await runCli(['convert', '--from', 'zh-Hans', '--to', 'zh-Hant', 'a.txt'], {cwd: folder})
    expect(result.code).toBe(0)
    const input = '标题\n' + line.repeat(50)
    expect(result.stdout).toBe(general(input, 'zh-Hans', 'zh-Hant', true).value)
    const warnings = result.stderr.split('\n').filter((each) => each.includes(' warning '))
    // Each term once, however often it occurs, at its first place.
    expect(warnings.length).toBeGreaterThan(0)
    expect(warnings.length).toBe(general(input, 'zh-Hans', 'zh-Hant', true).review.length)
    for (const warning of warnings) expect(warning).toMatch(/^a\.txt:2:\d+ warning /)
    // A locative 里 (天气里) is not reviewed; 干 with no phrase is.
    expect(result.stderr).toContain('干 → 幹 (zh-Hant) has no phrase match, 50 times in the text; check it')
    expect(result.stderr).not.toContain('里 → 裏')
  })
})

describe('convert of a plain text starts light', () => {
  it('loads neither the Markdown, HTML, YAML nor encoding-detection libraries', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'a.txt'), '简体中文的头发和软件\n')
    // Every module the process loads through the ESM loader (packages imported from ESM included), logged by a hook.
    const log = path.join(folder, 'modules.log')
    const hook = `import fs from 'node:fs'\nexport async function load(url, context, next) {\n  fs.appendFileSync(${JSON.stringify(log)}, url + '\\n')\n  return next(url, context)\n}\n`
    await fs.writeFile(path.join(folder, 'hook.mjs'), hook)
    await fs.writeFile(path.join(folder, 'register.mjs'), `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(path.join(folder, 'hook.mjs')).href)})\n`)
    const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
    const args = ['--import', tsx, '--import', pathToFileURL(path.join(folder, 'register.mjs')).href, path.join(root, 'scripts/cli.ts')]
    const run = (argv: Array<string>) =>
      new Promise<{code: number | null; stdout: string}>((resolve) => {
        const child = spawn(process.execPath, [...args, ...argv], {cwd: folder, env: {...process.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'inherit']})
        let stdout = ''
        child.stdout.on('data', (chunk) => void (stdout += chunk))
        child.on('close', (code) => resolve({code, stdout}))
      })

    const result = await run(['convert', '--no-cache', '--to', 'zh-TW', 'a.txt'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('簡體中文的頭髮和軟體\n')
    const loaded = (await fs.readFile(log, 'utf8')).split('\n')
    // The hook sees the modules (a control), and none of the heavy stacks.
    expect(loaded.some((url) => url.endsWith('/scripts/convert/plain.ts'))).toBe(true)
    expect(loaded.some((url) => url.includes('/node_modules/vfile/'))).toBe(true)
    const heavy = /\/node_modules\/(parse5|yaml|chardet|iconv-lite|minimatch|micromark[^/]*|mdast-util-[^/]*|unified|remark-[^/]*|rehype-[^/]*|hast-util-[^/]*|i18next)\//
    expect(loaded.filter((url) => heavy.test(url))).toEqual([])
    expect(loaded.some((url) => url.endsWith('/scripts/convert/index.ts'))).toBe(false)

    // The same command on Markdown loads the Markdown stack: the hook would see it.
    await fs.rm(log)
    await fs.writeFile(path.join(folder, 'a.md'), '# 头发\n')
    expect((await run(['convert', '--no-cache', '--markdown', '--to', 'zh-TW', 'a.md'])).code).toBe(0)
    expect((await fs.readFile(log, 'utf8')).split('\n').some((url) => heavy.test(url))).toBe(true)
  })
})
