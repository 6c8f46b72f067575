/**
 * MediaWiki's `-{…}-` syntax as Chinese Wikipedia uses it, one table per
 * form. The expected outputs follow MediaWiki's documented behaviour
 * (Help:高级字词转换语法, LanguageConverter/ConverterRule and its parser
 * tests); the sentences are our own. Where zhpress chooses to differ, the
 * case says so.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDocument} from 'yaml'
import {cgroupToYaml, readCGroup} from '../scripts/convert/cgroup.ts'
import {glossaryFromYaml, type GlossaryProblem} from '../scripts/convert/glossary.ts'
import {convertText, convertTextReport} from '../scripts/convert/index.ts'
import type {Locale} from '../scripts/locales.ts'
import {fixtures, runCli} from './helpers.ts'

type Case = [input: string, expected: Partial<Record<Locale, string>>]

/** Convert a Simplified text into every locale listed, quotes kept. */
function table(cases: Array<Case>, from: Locale = 'zh-Hans'): void {
  for (const [input, expected] of cases) {
    for (const [to, output] of Object.entries(expected) as Array<[Locale, string]>) {
      it(`${input} → ${to}`, () => {
        const report = convertTextReport(input, {from, to, quotes: 'keep'})
        expect(report.messages.map(String)).toEqual([])
        expect(report.value).toBe(output)
      })
    }
  }
}

describe('the two silent cases of the issue', () => {
  it('`-{|a test}-` shows the text after the bar, with a warning (never `|a test`)', () => {
    const report = convertTextReport('这是-{|一次测试}-', {from: 'zh-Hans', to: 'zh-TW'})
    expect(report.value).toBe('這是一次测试')
    expect(report.messages.map((message) => [message.ruleId, message.fatal])).toEqual([['rule-flag-ignored', false]])
  })

  it('one-way rules without a flag show the variant value, not the markup', () => {
    const text = '这里是-{国名=>zh:中国;国名=>zh-tw:台湾}-'
    expect(convertText(text, {from: 'zh-Hans', to: 'zh-TW'})).toBe('這裡是台湾')
    expect(convertText(text, {from: 'zh-Hans', to: 'zh-Hans'})).toBe('这里是中国')
  })
})

describe('variants, aliases and their priority', () => {
  table([
    ['-{zh:利兹;zh-hans:利兹;zh-hant:里茲}-', {'zh-Hans': '利兹', 'zh-Hant': '里茲', 'zh-TW': '里茲', 'zh-HK': '里茲'}],
    ['-{zh-sg:狮城用语;zh-cn:大陆用语}-', {'zh-Hans': '大陆用语'}],
    ['-{zh-cn:大陆用语;zh-sg:狮城用语}-', {'zh-Hans': '大陆用语'}],
    ['-{zh-my:大马用语;zh-tw:臺灣用語}-', {'zh-Hans': '大马用语', 'zh-HK': '臺灣用語'}],
    ['-{zh-mo:澳門用語;zh-hk:香港用語}-', {'zh-HK': '香港用語', 'zh-TW': '香港用語'}],
    ['-{zh-mo:澳門用語;zh-hant:繁體用語}-', {'zh-HK': '澳門用語', 'zh-TW': '繁體用語'}],
    ['-{zh-cn:零;zh-sg:一;zh-tw:二;zh-hk:三}-', {'zh-Hans': '零', 'zh-Hant': '二', 'zh-TW': '二', 'zh-HK': '三'}],
    ['-{zh-Hant-TW:臺灣;zh-Hans-CN:大陆}-', {'zh-TW': '臺灣', 'zh-Hans': '大陆'}],
    ['-{zh:原文;zh-tw:臺灣}-', {'zh-TW': '臺灣', 'zh-Hans': '原文'}],
    ['-{zh-cn:先写的;zh-cn:后写的}-', {'zh-Hans': '后写的'}],
    ['-{zh-hans:甲;乙;zh-hant:丙}-', {'zh-Hans': '甲;乙', 'zh-TW': '丙'}],
    ['-{zh-cn:;zh-tw:只有臺灣}-', {'zh-Hans': '只有台湾'}],
    ['空-{zh-hant:;\nzh-cn:}-的', {'zh-TW': '空的', 'zh-Hans': '空的'}]
  ])
})

describe('keep as written and the phrase breaker', () => {
  table([
    ['用-{头发}-编织', {'zh-TW': '用头发編織'}],
    ['-{附注: 头发}-', {'zh-TW': '附注: 头发'}],
    ['鼠-{}-标和鼠标', {'zh-TW': '鼠標和滑鼠', 'zh-Hans': '鼠标和鼠标'}],
    ['X-{ 外 -{ 内 }- 外 }-X', {'zh-TW': 'X 外  内  外 X'}]
  ])
})

describe('one-way rules `from=>variant:to`', () => {
  table([
    ['-{代号=>zh-tw:臺灣名;代号=>zh-cn:大陆名}-', {'zh-TW': '臺灣名', 'zh-Hans': '大陆名'}],
    ['-{代号=>zh-tw:臺灣名}-', {'zh-Hans': '代号'}],
    ['-{H|=>zh-cn:空的来源;}-空', {'zh-Hans': '空'}]
  ])
})

describe('A and H: from their position to the end of the article', () => {
  table([
    ['内存之前-{H|zh-cn:内存;zh-tw:記憶體}-，記憶體之后', {'zh-Hans': '内存之前，内存之后'}],
    ['記憶體-{A|zh-cn:内存;zh-tw:記憶體}-記憶體', {'zh-Hans': '記憶體内存内存'}],
    ['-{H|zh:原名;zh-tw:臺灣名}-臺灣名与原名', {'zh-TW': '臺灣名與臺灣名', 'zh-Hans': '原名与原名'}],
    ['-{H|代号=>zh-tw:臺灣名}-代号', {'zh-TW': '臺灣名', 'zh-Hans': '代号'}],
    ['-{H|头发}-头发', {'zh-TW': '头发'}],
    ['-{H|zh-cn:甲;zh-tw:乙}-乙-{H|乙}-乙', {'zh-Hans': '甲乙'}],
    ['-{H|零=>zh-cn:乙}--{H|零=>zh-cn:丙;零=>zh-cn:丁}--{H|零=>zh-hans:甲}-零-{A|zh-tw:零;zh-cn:戊;}-零', {'zh-Hans': '丁戊戊'}],
    ['-{H|zh-cn:有;zh-tw:;}-有无', {'zh-Hans': '有无'}],
    ['-{H|}-空', {'zh-Hans': '空'}],
    // zh-Hant is MediaWiki's zh-hant view: its manual level is one-way, so
    // two-way pairs do not convert there; a one-way rule written for it does.
    ['-{H|zh-cn:甲方;zh-tw:乙方}-甲方', {'zh-Hant': '甲方', 'zh-TW': '乙方', 'zh-HK': '乙方', 'zh-Hans': '甲方'}],
    ['-{A|zh-cn:甲方;zh-tw:乙方}-甲方', {'zh-Hant': '乙方甲方', 'zh-TW': '乙方乙方'}],
    ['-{H|甲方=>zh-hant:丙方}-甲方', {'zh-Hant': '丙方', 'zh-TW': '甲方'}]
  ])

  it('an H rule wins over the glossary where both match', () => {
    const glossary = {entries: [{terms: ['内存'], variants: [{variant: 'zh-tw' as const, text: '主記憶體'}]}]}
    expect(convertText('-{H|zh-cn:内存;zh-tw:記憶體}-内存', {from: 'zh-Hans', to: 'zh-TW', glossary})).toBe('記憶體')
    expect(convertText('内存', {from: 'zh-Hans', to: 'zh-TW', glossary})).toBe('主記憶體')
  })
})

describe('- removes an earlier H/A rule', () => {
  table([
    ['-{A|zh:原名;zh-tw:臺灣名}-，原名-{-|zh:原名;zh-tw:臺灣名}-，原名', {'zh-TW': '臺灣名，臺灣名，原名'}],
    ['-{H|代号=>zh-tw:臺灣名}-代号-{-|代号=>zh-tw:臺灣名}-代号', {'zh-TW': '臺灣名代號'}]
  ])

  it('a `-` rule with nothing to remove is a warning (OpenCC cannot be told to forget)', () => {
    const report = convertTextReport('-{-|zh-cn:内存;zh-tw:記憶體}-内存', {from: 'zh-Hans', to: 'zh-TW'})
    expect(report.value).toBe('記憶體')
    expect(report.messages.map((message) => message.ruleId)).toEqual(['rule-not-applied'])
  })
})

describe('T: the title', () => {
  it('shows nothing and gives the title of the locale', () => {
    const report = convertTextReport('标题规则-{T|zh-cn:大陆标题;zh-tw:臺灣標題}-在这里', {from: 'zh-Hans', to: 'zh-TW'})
    expect(report.value).toBe('標題規則在這裡')
    expect(report.title).toBe('臺灣標題')
    expect(convertTextReport('-{T|原样标题}-', {from: 'zh-Hans', to: 'zh-TW'}).title).toBe('原样标题')
  })

  it('T alone adds no rule; T;H adds one', () => {
    expect(convertText('-{T|zh-cn:甲;zh-tw:乙}-甲', {from: 'zh-Hans', to: 'zh-TW'})).toBe('甲')
    expect(convertText('-{T;H|zh-cn:甲;zh-tw:乙}-甲', {from: 'zh-Hans', to: 'zh-TW'})).toBe('乙')
  })
})

describe('R, D and N', () => {
  table([
    ['-{R|zh-cn:原样;zh-tw:照寫}-', {'zh-TW': 'zh-cn:原样;zh-tw:照寫'}],
    ['-{R|外 -{zh-cn:大陆;zh-tw:臺灣}- 外}-', {'zh-TW': '外 臺灣 外', 'zh-Hans': '外 大陆 外'}],
    ['-{R||}- -{R|R|头发}- -{D;R|选项}-', {'zh-TW': '| R|头发 选项'}],
    ['-{D|zh-cn:内存;zh-tw:記憶體}-', {'zh-TW': '大陆：内存；臺灣：記憶體；'}],
    ['-{D|甲=>zh-tw:乙}-', {'zh-Hans': '甲⇒臺灣：乙；'}],
    ['-{A;D|zh-cn:甲;zh-tw:乙}-甲', {'zh-TW': '乙'}],
    ['-{D;H|zh-cn:甲;zh-tw:乙}-甲', {'zh-TW': '大陆：甲；臺灣：乙；乙'}],
    ['-{D|zh-cn:甲;zh-tw:乙}-甲', {'zh-TW': '大陆：甲；臺灣：乙；甲'}],
    ['-{N|zh-cn}-、-{N|zh-tw}-、-{N|zh-hk}-', {'zh-Hans': '大陆、臺灣、香港'}]
  ])
})

describe('variant filters', () => {
  table([
    // Not listed, an output takes the first of its fallbacks that is, and
    // the text is converted into that variant (MediaWiki's ConverterRule):
    // zh-TW looks at zh-hant, zh-hk, zh-mo; zh-HK at zh-hant, zh-mo, zh-tw.
    ['看-{zh-hans;zh-hant|软件与网络}-', {'zh-TW': '看軟件與網絡', 'zh-Hant': '看軟件與網絡', 'zh-Hans': '看软件与网络'}],
    ['看-{zh-tw|软件}-', {'zh-TW': '看軟體', 'zh-HK': '看軟體', 'zh-Hans': '看软件'}],
    ['看-{zh-cn|軟體}-', {'zh-Hans': '看软件', 'zh-TW': '看軟體'}, ],
    ['看-{zh;zh-hans;zh-hant|博客, 软件}-', {'zh-TW': '看博客, 軟件'}],
    ['看-{zh-tw;zh-hk|博客, 软件}-', {'zh-TW': '看部落格, 軟體', 'zh-HK': '看博客, 軟件'}]
  ])
})

describe('nested rules', () => {
  table([
    [
      '嵌套：-{zh-hans:你好 -{zh-cn:北京;zh-sg:新加坡;}-;zh-hant:您好 -{zh-tw:臺北;zh-hk:香-{港}- 特-{}-區;}-;}-！',
      {'zh-Hans': '嵌套：你好 北京！', 'zh-TW': '巢狀：您好 臺北！', 'zh-HK': '嵌套：您好 香港 特區！'}
    ],
    ['-{zh-cn:外层 -{H|zh-cn:甲;zh-tw:乙}-;zh-tw:外層}-乙', {'zh-Hans': '外层甲'}]
  ])
})

describe('placeholders in names are text, not rules', () => {
  // Technical documentation writes `name-{version}` and `--{flag}`; only a `-{`
  // that continues a Latin name and encloses one ASCII token is text.
  table([
    ['下载 prometheus-{version}-linux-{arch}.tar.gz 文件', {
      'zh-Hans': '下载 prometheus-{version}-linux-{arch}.tar.gz 文件',
      'zh-TW': '下載 prometheus-{version}-linux-{arch}.tar.gz 檔案'
    }],
    ['参数 --{component}（默认为空）', {'zh-HK': '參數 --{component}（默認為空）'}],
    ['iPhone-{zh-cn:手机;zh-tw:手機}-', {'zh-Hans': 'iPhone手机', 'zh-TW': 'iPhone手機'}],
    ['App-{头发}-和头发', {'zh-TW': 'App头发和頭髮'}]
  ])

  it('a `-{` after a space or Chinese still needs its `}-`', () => {
    for (const text of ['版本 -{version} 之后', '文件-{version}']) {
      const report = convertTextReport(text, {from: 'zh-Hans', to: 'zh-TW'})
      expect(report.messages.map((message) => message.ruleId)).toEqual(['unterminated-rule'])
    }
  })
})

describe('problems', () => {
  it('convertText reports every problem of the text, not just the last', () => {
    const text = '-{zh-xx:甲}- -{zh-yy:乙}- -{丙'
    let thrown: unknown
    try {
      convertText(text, {from: 'zh-Hans', to: 'zh-TW'})
    } catch (error) {
      thrown = error
    }

    expect(thrown).toBeInstanceOf(AggregateError)
    const errors = (thrown as AggregateError).errors as Array<{ruleId: string; column: number}>
    expect(errors.map((error) => [error.ruleId, error.column])).toEqual([
      ['malformed-rule', 1],
      ['malformed-rule', 13],
      ['unterminated-rule', 25]
    ])
    expect((thrown as Error).message).toContain('3 problems')

    const report = convertTextReport(text, {from: 'zh-Hans', to: 'zh-TW'})
    expect(report.value).toBe(text)
    expect(report.messages).toHaveLength(3)
  })

  it('warnings do not stop convertText', () => {
    expect(convertText('-{X|头发}-', {from: 'zh-Hans', to: 'zh-TW'})).toBe('头发')
  })
})

describe('the glossary agrees with the rules: CGroup lines and import-cgroup', () => {
  const read = (yaml: string) => {
    const problems: Array<GlossaryProblem> = []
    const glossary = glossaryFromYaml(parseDocument(yaml).contents, (problem) => problems.push(problem))
    return {glossary, problems}
  }

  it('an entry with zh-cn and zh-sg both given loads; zh-cn wins for zh-Hans', () => {
    const {glossary, problems} = read('variants:\n  - {zh-sg: 内存条, zh-cn: 内存, zh-tw: 記憶體}\n')
    expect(problems).toEqual([])
    expect(convertText('記憶體', {from: 'zh-TW', to: 'zh-Hans', glossary})).toBe('内存')
    expect(convertText('内存条', {from: 'zh-Hans', to: 'zh-TW', glossary})).toBe('記憶體')
  })

  it('a CGroup rule pasted line for line loads as an entry', () => {
    const {glossary, problems} = read('variants:\n  - zh-cn:光盘; zh-sg:光碟; zh-tw:光碟; zh-hk:光碟;\n')
    expect(problems).toEqual([])
    expect(glossary.entries).toEqual([
      {
        terms: ['光盘', '光碟'],
        variants: [
          {variant: 'zh-cn', text: '光盘'},
          {variant: 'zh-sg', text: '光碟'},
          {variant: 'zh-tw', text: '光碟'},
          {variant: 'zh-hk', text: '光碟'}
        ]
      }
    ])
    expect(convertText('光碟', {from: 'zh-TW', to: 'zh-Hans', glossary})).toBe('光盘')
  })

  it('a pasted line with flags or one-way rules is a glossary problem', () => {
    expect(read('variants:\n  - H|zh-cn:光盘; zh-tw:光碟;\n').problems).toHaveLength(1)
    expect(read('variants:\n  - 光盘=>zh-tw:光碟;\n').problems).toHaveLength(1)
    expect(read('variants:\n  - zh-xx:光盘;\n').problems[0]!.reason).toContain('unknown variant `zh-xx`')
  })

  it('readCGroup reads the items of a Lua module and cgroupToYaml writes a glossary that loads', async () => {
    const text = await fs.readFile(path.join(fixtures, 'cgroup', 'computing.lua'), 'utf8')
    const {items, problems} = readCGroup(text)
    expect(items.map((item) => [item.original, item.line, item.variants.length])).toEqual([
      ['Memory', 11, 4],
      ['Optical disc', 12, 3],
      [undefined, 13, 4]
    ])
    expect(problems.map((problem) => problem.line)).toEqual([14, 15])
    const {glossary, problems: yamlProblems} = read(cgroupToYaml(items, 'computing.lua'))
    expect(yamlProblems).toEqual([])
    expect(convertText('用滑鼠把記憶體存進光碟', {from: 'zh-TW', to: 'zh-Hans', glossary})).toBe('用鼠标把内存存进光盘')
  })

  it('zhpress import-cgroup prints the glossary and warns about skipped items', async () => {
    const result = await runCli(['import-cgroup', path.join(fixtures, 'cgroup', 'computing.lua')])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('  - {zh-cn: 内存, zh-sg: 内存, zh-tw: 記憶體, zh-hk: 記憶體} # Memory\n')
    expect(result.stderr).toMatch(/computing\.lua:14:2 warning one-way rules .+ \[cgroup-item-skipped\]/)
    const broken = await runCli(['import-cgroup', '-'], {cwd: fixtures})
    expect(broken.code).toBe(2)
  })

  it('a file that is not Lua is an error with its line and column', () => {
    expect(readCGroup('local p = {').problems).toEqual([{line: 1, column: 12, reason: "not a Lua module: '}' expected near '<eof>'"}])
  })
})
