/**
 * TeX math (`$…$`, `$$…$$`) in sites that render it: parsed as math, so it
 * is never converted and holds no inline rules (`a-{\left…}` is TeX, not
 * `-{…}-`), and shown as code on the pages. On only where the site's
 * generator turns math on (MkDocs' arithmatex, VitePress `math: true`,
 * mdBook `mathjax-support`…) or the `math` setting says so: elsewhere a `$`
 * is a dollar sign.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {locales} from '../scripts/locales.ts'
import {fixtures, runCli, temporaryFolder} from './helpers.ts'

const sentence = '设 $f_{i,j}$ 为最大价值，$a-{\\left\\lfloor b \\right\\rfloor}$ 里没有规则，价格是 $5 或 $6。\n\n$$\n\\text{（一维数组）}\n$$\n'

async function site(files: Record<string, string>, source = 'docs') {
  const folder = await temporaryFolder()
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(folder, name)), {recursive: true})
    await fs.writeFile(path.join(folder, name), text)
  }

  const result = await runCli(['build', '--source', source, '--jobs', '1', '--no-cache'], {cwd: folder})
  return {folder, result}
}

describe('math in a site that renders it', () => {
  it('MkDocs with arithmatex (the fixture): math spans reach every Markdown output as written, and the pages as code', async () => {
    const folder = await temporaryFolder()
    await fs.cp(path.join(fixtures, 'docs-mkdocs'), folder, {recursive: true})
    const result = await runCli(['build', '--source', 'docs', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    const source = await fs.readFile(path.join(folder, 'docs', 'knapsack.md'), 'utf8')
    const spans = (text: string) => text.match(/\$\$[^$]+\$\$|\$[^$\n]+\$/g)
    for (const locale of locales) {
      expect(spans(await fs.readFile(path.join(folder, 'dist', 'markdown', locale, 'knapsack.md'), 'utf8')), locale).toEqual(spans(source))
      const main = select('main', fromHtml(await fs.readFile(path.join(folder, 'dist', 'html', locale, 'knapsack.html'), 'utf8')))!
      expect(selectAll('code.language-math', main).map((node) => toString(node))).toEqual(['W', 'f_{i,j}', 'i', 'a-{\\left\\lfloor b \\right\\rfloor}', 'f_j=\\max(f_j,f_{j-w_i}+v_i) \\quad \\text{（一维数组）}'])
    }
  })

  it('the `math` setting turns it on anywhere', async () => {
    const {folder, result} = await site({'docs/zhpress.yaml': 'math: true\n', 'docs/a.md': '# 公式\n\n' + sentence})
    expect(result.code, result.stderr).toBe(0)
    const output = await fs.readFile(path.join(folder, 'dist', 'markdown', 'zh-TW', 'a.md'), 'utf8')
    expect(output).toContain('$a-{\\left\\lfloor b \\right\\rfloor}$ 裡沒有規則')
    expect(output).toContain('\\text{（一维数组）}')
  })

  it('mdBook with mathjax-support, VitePress with math: true', async () => {
    for (const files of <Array<Record<string, string>>>[
      {'book.toml': '[output.html]\nmathjax-support = true\n'},
      {'docs/.vitepress/config.ts': 'export default {\n  markdown: {math: true}\n}\n'}
    ]) {
      const {result} = await site({...files, 'docs/a.md': '# 公式\n\n' + sentence})
      expect(result.code, result.stderr).toBe(0)
    }
  })
})

describe('elsewhere a dollar sign is text', () => {
  it('converts the text between dollars, and takes -{ for a rule', async () => {
    const prices = await site({'docs/a.md': '# 价格\n\n价格是 $5 或 $6，发票另计。\n'})
    expect(prices.result.code, prices.result.stderr).toBe(0)
    expect(await fs.readFile(path.join(prices.folder, 'dist', 'markdown', 'zh-TW', 'a.md'), 'utf8')).toContain('價格是 $5 或 $6，發票另計。')
    const rule = await site({'docs/a.md': '# 公式\n\n' + sentence})
    expect(rule.result.code).toBe(1)
    expect(rule.result.stderr).toContain('[unterminated-rule]')
  })

  it('a `math` setting that is no boolean is a settings error', async () => {
    const {result} = await site({'docs/zhpress.yaml': 'math: yes please\n', 'docs/a.md': '# 公式\n\n正文。\n'})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/docs\/zhpress\.yaml:1:\d+ .*`math` takes `true`/)
  })
})
