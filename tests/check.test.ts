/**
 * `check`, `convert` and `build` with the review report, the Traditional
 * lint, glossaries and script detection, on real folders.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {fixtures, runCli, temporaryFolder} from './helpers.ts'

/** A source folder with the given files, in a fresh temporary folder. */
async function sourceFolder(files: Record<string, string>): Promise<string> {
  const folder = await temporaryFolder()
  await fs.mkdir(path.join(folder, 'source'))
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(folder, 'source', name), content)
  return folder
}

/** `check` on a fresh source folder with the given files. */
async function checkFolder(files: Record<string, string>): Promise<{folder: string; result: Awaited<ReturnType<typeof runCli>>}> {
  const folder = await sourceFolder(files)
  return {folder, result: await runCli(['check'], {cwd: folder})}
}

describe('check on the seed article', () => {
  it('lists its review items and the lint of its Traditional text, exit 0', async () => {
    const result = await runCli(['check'])
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stderr.split('\n')
    // The seed's non-standard forms are published in standard form: once per word, as info.
    expect(lines).toContain("source/lexin-overdue.md:27:4 info 注冊 → 註冊 (2 times): published in OpenCC's standard form; `zhpress check --fix` writes it into the source [standard-form]")
    expect(lines).toContain("source/lexin-overdue.md:53:23 info 聯系 → 聯繫 (12 times): published in OpenCC's standard form; `zhpress check --fix` writes it into the source [standard-form]")
    // Regional forms (為, 群, 審核) are not reported.
    expect(result.stderr).not.toMatch(/ 為 is not|群 is not|審核 is not/)
    // 劃 → 划 is right 100 % of the time by word frequency: no longer reviewed.
    expect(result.stderr).not.toContain('劃 → 划')
    expect(result.stderr).toMatch(/checked 1 article: 0 errors, 0 warnings\n$/)
  })

  it('--strict makes the warnings fail', async () => {
    expect((await runCli(['check', '--strict'])).code).toBe(0)
    const folder = await sourceFolder({'a.md': '---\ntitle: 好\nlang: zh-Hans\n---\n\n这个钟很准。\n'})
    expect((await runCli(['check', '--strict'], {cwd: folder})).code).toBe(1)
  })
})

describe('check on a source folder', () => {
  it('reviews only what is ambiguous where it stands: a locative 里 is not, 干, a clause-initial 于 before a name and a phrase deciding a form are; regional vocabulary is not', async () => {
    const {result} = await checkFolder({
      'a.md': '---\ntitle: 审阅\nlang: zh-Hans\n---\n\n把它放在文件里，或者代码块里，或者 src 目录里。\n\n这事你来干。\n\n在函数里调用它。\n\n在命令行运行，点击按钮。\n\n于文华说会议于明天召开，于2020年成立。\n',
      'b.md': '---\ntitle: 審閱\nlang: zh-TW\n---\n\n這個函式的引數寫在命令列上。\n'
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes(' warning '))).toEqual([
      'source/a.md:8:5 warning 干 → 幹 (zh-Hant, zh-TW, zh-HK) has no phrase match; check it [ambiguous-conversion]',
      "source/a.md:10:2 warning 函数里 → 函式里 (zh-TW): OpenCC's phrase cuts through a word of the sentence; check it [disputed-phrase]",
      "source/a.md:10:3 warning 数里 → 數里 (zh-Hant, zh-HK): OpenCC's phrase cuts through a word of the sentence; check it [disputed-phrase]",
      // A clause-initial 于 before a name Jieba does not know may be the surname; the preposition before a time or number is not at risk.
      'source/a.md:14:1 warning 于 → 於 (zh-Hant, zh-TW, zh-HK) has no phrase match; check it [ambiguous-conversion]'
    ])
  })

  it('flags 后, 面 and 只 where their role does not settle them, and not where it does; once per term', async () => {
    const {result} = await checkFolder({
      'a.md':
        '---\ntitle: 审阅\nlang: zh-Hans\n---\n\n她是国际象棋棋后。\n\n我要一碗番茄肉面，再来一碗番茄肉面。\n\n院子里有3只猫。\n\n三天后再来，逾期后不办。这只发生在周末，我们只声明了它。\n\n页面的一面墙上，这里面有字。\n'
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes(' warning '))).toEqual([
      'source/a.md:6:8 warning 后 → 後 (zh-Hant, zh-TW, zh-HK) has no phrase match; check it [ambiguous-conversion]',
      'source/a.md:8:8 warning 面 → 面 (zh-Hant, zh-HK) has no phrase match, 2 times in the text; check it [ambiguous-conversion]',
      'source/a.md:8:8 warning 面 → 面 (zh-TW) has no phrase match, 2 times in the text; check it [ambiguous-conversion]',
      'source/a.md:10:6 warning 只 → 只 (zh-Hant, zh-TW, zh-HK) has no phrase match; check it [ambiguous-conversion]'
    ])
  })

  it('does not review the glyphs a Traditional source takes in zh-HK (啟 → 啓, 敘 → 敍, 線 → 綫)', async () => {
    const {result} = await checkFolder({
      'a.md': '---\ntitle: 審閱\nlang: zh-TW\n---\n\n請啟動服務，再敘述問題，最後檢查線路。\n'
    })
    expect(result).toMatchObject({code: 0, stderr: 'checked 1 article: 0 errors, 0 warnings\n'})
  })

  it('collapses locales that made the same choice, and a glossary silences the review', async () => {
    const {result} = await checkFolder({
      'a.md': '---\ntitle: 钟明\nlang: zh-Hans\n---\n\n这个钟明宁可不写。\n',
      'b.md': '---\ntitle: 钟明\nlang: zh-Hans\nglossary:\n  protect: [钟明]\n---\n\n这个钟明写了。\n'
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toBe(
      [
        // Once per term: the title's and the body's 钟 fold into one line.
        'source/a.md:2:8 warning 钟 → 鍾 (zh-Hant, zh-TW, zh-HK) has no phrase match, 2 times in the text; check it [ambiguous-conversion]',
        'checked 2 articles: 0 errors, 1 warning',
        ''
      ].join('\n')
    )
  })

  it('source/glossary.yaml applies to every article', async () => {
    const {result} = await checkFolder({
      'a.md': '---\ntitle: 钟明\nlang: zh-Hans\n---\n\n这个钟明宁可不写。\n',
      'glossary.yaml': 'protect: [钟明]\nvariants:\n  - {zh-Hans: 宁可, zh-Hant: 寧可}\n'
    })
    expect(result).toMatchObject({code: 0, stderr: 'checked 1 article: 0 errors, 0 warnings\n'})
  })

  it('broken glossary YAML is an error with file:line:column', async () => {
    const {folder, result} = await checkFolder({
      'a.md': '---\ntitle: 好\nlang: zh-Hans\n---\n\n头发\n',
      'glossary.yaml': 'protect:\n  - 于先生\nvariants:\n  - {zh-Hans: 出租车, zh-XX: 的士}\n'
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/glossary.yaml:4:20 error unknown locale `zh-XX` in glossary; use zh-Hans, zh-Hant, zh-TW or zh-HK (or the Wikipedia codes zh-cn, zh-sg, zh-my, zh-hans, zh-tw, zh-hk, zh-mo, zh-hant, zh) [broken-glossary]')

    await fs.writeFile(path.join(folder, 'source/glossary.yaml'), 'protect: [于先生\n')
    const broken = await runCli(['check'], {cwd: folder})
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^source\/glossary\.yaml:\d+:\d+ error broken glossary: .+ \[broken-glossary\]$/m)
  })

  it('a broken front matter glossary or quotes setting points into the front matter', async () => {
    const {result} = await checkFolder({
      'a.md': '---\ntitle: 好\nglossary:\n  protect: 于先生\n---\n\n头发\n',
      'b.md': '---\ntitle: 好\nquotes: square\n---\n\n头发\n'
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/a.md:4:12 error glossary `protect` must be a list [broken-glossary]')
    expect(result.stderr).toContain('source/b.md:3:9 error broken front matter: unknown quote style `square`; use corner, curly, keep [broken-frontmatter]')
  })

  it('unterminated and malformed rules are errors with line and column, and stop the build', async () => {
    const folder = await sourceFolder({'a.md': '---\ntitle: -{乐信\n---\n\n-{zh-XX:鼠标}-\n'})
    const result = await runCli(['build'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('source/a.md:2:8 error unterminated `-{`: close the rule with `}-` (or write `-\\{` for a literal `-{`) [unterminated-rule]')
    expect(result.stderr).toContain('source/a.md:5:1 error unknown variant `zh-XX` in rule; use zh-cn, zh-sg, zh-my, zh-hans, zh-tw, zh-hk, zh-mo, zh-hant or zh (or the zhpress tags zh-Hans, zh-Hant, zh-TW, zh-HK) [malformed-rule]')
  })

  it('reports the detected script with its confidence when `lang` is absent', async () => {
    const {result} = await checkFolder({
      'hans.md': '---\ntitle: 软件\n---\n\n鼠标和软件的网络信息。\n',
      'hant.md': '---\ntitle: 軟體\n---\n\n滑鼠與軟體的網路資訊，還有一些发。\n'
    })
    expect(result.stderr).toContain(
      'source/hans.md:1:1 info no `lang` in front matter: detected zh-Hans (confidence 1: 0 Traditional-only, 5 Simplified-only characters); add `lang: zh-Hans` to be sure [detected-locale]'
    )
    // Taiwan phrasing makes a Traditional text zh-TW.
    expect(result.stderr).toContain(
      'source/hant.md:1:1 info no `lang` in front matter: detected zh-TW (confidence 0.9: 9 Traditional-only, 1 Simplified-only characters; Taiwan phrasing 5× (軟體 2×, 滑鼠 1×, 網路 1×), Hong Kong phrasing 0×); add `lang: zh-TW` to be sure [detected-locale]'
    )
  })
})

describe('build with rules, glossary and review', () => {
  it('removes rule markup from every output, the source locale too, and reports the review in report.json', async () => {
    const folder = await sourceFolder({
      'a.md': '---\ntitle: -{乐信}-的钟明\nlang: zh-Hans\n---\n\n# -{乐信}-钟明\n\n“于先生”说：-{zh-Hans:鼠标;zh-TW:滑鼠}-。\n',
      'glossary.yaml': 'protect: [于先生]\n'
    })
    const result = await runCli(['build', '--out', 'dist'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    const read = (name: string) => fs.readFile(path.join(folder, 'dist', name), 'utf8')

    expect(await read('markdown/zh-Hans/a.md')).toBe('---\ntitle: 乐信的钟明\nlang: zh-Hans\n---\n\n# 乐信钟明\n\n“于先生”说：鼠标。\n')
    expect(await read('markdown/zh-TW/a.md')).toBe('---\ntitle: 乐信的鐘明\nlang: zh-TW\n---\n\n# 乐信鍾明\n\n「于先生」說：滑鼠。\n')
    for (const locale of ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']) {
      const document = JSON.parse(await read(`json/${locale}/a.json`))
      expect(JSON.stringify(document), locale).not.toMatch(/-\{|\}-/)
      expect(await read(`html/${locale}/a.html`), locale).not.toMatch(/-\{|\}-/)
      expect(document.stats.reviewCount, locale).toBe(locale === 'zh-Hans' ? 0 : 1)
    }

    const report = JSON.parse(await read('report.json'))
    const review = report.messages.filter((message: {ruleId: string}) => message.ruleId === 'ambiguous-conversion')
    // The title's 的钟 is an OpenCC phrase (的鐘): only the heading's 钟 is reviewed.
    expect(review).toEqual([
      {
        file: 'source/a.md',
        line: 6,
        column: 9,
        severity: 'warning',
        ruleId: 'ambiguous-conversion',
        message: '钟 → 鍾 (zh-Hant, zh-TW, zh-HK) has no phrase match; check it',
        expected: ['鍾', '鐘', '鈡'],
        note: 'context: -{乐信}-【钟】明; candidates: 鍾 鐘 鈡; pin the right one with a glossary entry or a -{…}- rule',
        docs: 'README.md#review-report'
      }
    ])
  })
})

describe('convert', () => {
  it('done when: 理**发**店，“于先生”说：-{乐信}- with a glossary for the surname', async () => {
    const folder = path.join(fixtures, 'convert/phrase-quote-surname-rule')
    const result = await runCli(['convert', '--to', 'zh-TW', '--markdown', path.join(folder, 'input.md')])
    expect(result).toEqual({code: 0, stdout: '理**髮**店，「于先生」說：乐信\n', stderr: ''})

    const explicit = await runCli(['convert', '--to', 'zh-TW', '--markdown', '--glossary', path.join(folder, 'glossary.yaml'), '-'], {
      stdin: '理**发**店，“于先生”说：-{乐信}-'
    })
    expect(explicit).toEqual({code: 0, stdout: '理**髮**店，「于先生」說：乐信', stderr: ''})
  })

  it('plain text: rules apply, --quotes sets the style, review goes to stderr', async () => {
    const result = await runCli(['convert', '--to', 'zh-TW', '--quotes', 'keep', '-'], {stdin: '“钟明”-{乐信}-'})
    expect(result).toEqual({
      code: 0,
      stdout: '“鍾明”乐信',
      stderr: '<stdin>:1:2 warning 钟 → 鍾 (zh-TW) has no phrase match; check it [ambiguous-conversion]\n'
    })
    expect((await runCli(['convert', '--to', 'zh-TW', '--quotes', 'square', '-'])).code).toBe(2)
    expect((await runCli(['convert', '--to', 'zh-TW', '--glossary', 'missing.yaml', '-'])).code).toBe(2)
  })
})
