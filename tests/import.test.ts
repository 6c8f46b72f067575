/**
 * `zhpress import` end to end: the seed article, encodings, refusals, the
 * JSON report and the command line.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import iconv from 'iconv-lite'
import {applySourceFixes} from '../scripts/commands/fix.ts'
import {sourceFixes} from '../scripts/convert/index.ts'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {parseImport, UsageError} from '../scripts/commands/args.ts'
import {help} from '../scripts/commands/index.ts'
import {rules} from '../scripts/clean/index.ts'
import {parseArticle} from '../scripts/parse.ts'
import {expectFile, fixtures, root, runCli, temporaryFolder} from './helpers.ts'

const seed = path.join(fixtures, 'import', 'lexin-overdue.raw.txt')
const reference = path.join(root, 'source', 'lexin-overdue.md')

describe('import the seed', () => {
  it('reproduces source/lexin-overdue.md in standard forms (what `check --fix` writes) except on the line of the mojibake run', async () => {
    const out = await temporaryFolder()
    const result = await runCli(['import', seed, '--slug', 'lexin-overdue', '--out', out])
    expect(result.code, result.stderr).toBe(0)
    const imported = await fs.readFile(path.join(out, 'lexin-overdue.md'), 'utf8')
    const written = await fs.readFile(reference, 'utf8')
    const file = new VFile({path: 'lexin-overdue.md', value: written})
    const expected = applySourceFixes(written, sourceFixes(parseArticle(file), file)).text
    expect(expected).not.toBe(written)
    const importedLines = imported.split('\n')
    const expectedLines = expected.split('\n')
    expect(importedLines).toHaveLength(expectedLines.length)
    const different = importedLines.flatMap((line, index) => (line === expectedLines[index] ? [] : [index]))
    // Only a person can restore the `。可` lost to `??`; the tool recovers `以通過`.
    expect(different).toHaveLength(1)
    expect(expectedLines[different[0]!]).toContain('及時修復信用。可以通過按時還款')
    expect(importedLines[different[0]!]).toContain('及時修復信用??以通過按時還款')
    expect(imported.replace('信用??以通過', '信用。可以通過')).toBe(expected)
  })

  it('reads CRLF line endings the same way', async () => {
    const folder = await temporaryFolder()
    const text = await fs.readFile(seed, 'utf8')
    await fs.writeFile(path.join(folder, 'crlf.txt'), text.replaceAll('\n', '\r\n'))
    await fs.writeFile(path.join(folder, 'lf.txt'), text)
    const crlf = await runCli(['import', 'crlf.txt', '--slug', 'crlf'], {cwd: folder})
    const lf = await runCli(['import', 'lf.txt', '--slug', 'lf'], {cwd: folder})
    expect(crlf.code, crlf.stderr).toBe(0)
    expect(crlf.stderr.replaceAll('crlf', 'lf')).toBe(lf.stderr)
    expect(await fs.readFile(path.join(folder, 'source', 'crlf.md'), 'utf8')).toBe(
      (await fs.readFile(path.join(folder, 'source', 'lf.md'), 'utf8')).replace('slug: lf', 'slug: crlf')
    )
  })

  it('reports every change (lexin-overdue.report.txt)', async () => {
    const out = await temporaryFolder()
    const result = await runCli(['import', seed, '--slug', 'lexin-overdue', '--out', out])
    const report = result.stderr.replaceAll(seed, 'lexin-overdue.raw.txt').replaceAll(out, 'OUT')
    expect(report).toBe(await expectFile(path.join(fixtures, 'import', 'lexin-overdue.report.txt'), report))

    expect(report.match(/\[pinyin-annotation\]/g)).toHaveLength(63)
    expect(report).toContain('lexin-overdue.raw.txt:1:1 info removed breadcrumb `首頁>>信用卡逾期>>正文`; `category: 信用卡逾期` [breadcrumb]')
    for (const line of ['最新發布', '最新文章', '隨機看看']) expect(report).toContain(`info removed navigation line \`${line}\` [site-chrome]`)
    expect(report).toContain('lexin-overdue.raw.txt:111:1 info removed footer line')
    expect(report).toContain('removed phone number `150******27`')
    expect(report).toContain('removed e-mail address `35********@qq.com`')
    expect(report).toContain('lexin-overdue.raw.txt:105:42 warning repaired mojibake `梢酝ㄟ^` → `以通過`')
    expect(report).toContain('lexin-overdue.raw.txt:105:40 warning `??` stands for text lost')
    for (const place of ['51:23', '61:15', '67:18']) expect(report).toContain(`lexin-overdue.raw.txt:${place} warning suspected missing word`)
    expect(report).toContain('63 pinyin-annotation')
  })

  it('never prints personal data whole, also not in --report json', async () => {
    const out = await temporaryFolder()
    const result = await runCli(['import', seed, '--slug', 'lexin-overdue', '--out', out, '--report', 'json'])
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as {files: Array<{input: string; output: string; encoding: {name: string}; messages: Array<{ruleId: string; line: number; column: number}>}>}
    expect(report.files[0]!.output).toBe(path.join(out, 'lexin-overdue.md'))
    expect(report.files[0]!.encoding.name).toBe('UTF-8')
    expect(report.files[0]!.messages.filter((message) => message.ruleId === 'personal-data')).toHaveLength(2)
    for (const text of [result.stdout, result.stderr, await fs.readFile(path.join(out, 'lexin-overdue.md'), 'utf8')]) {
      expect(text).not.toContain('15070879527')
      expect(text).not.toContain('3590931873')
    }
  })

  it('writes an article the build accepts', async () => {
    const out = await temporaryFolder()
    await runCli(['import', seed, '--out', out])
    // Without --slug, the slug is the pinyin of the title.
    const file = new VFile({path: 'le-xin-yu-qi-hui-bao-tong-xun-lu-ma.md', value: await fs.readFile(path.join(out, 'le-xin-yu-qi-hui-bao-tong-xun-lu-ma.md'), 'utf8')})
    parseArticle(file)
    expect(file.messages.filter((message) => message.fatal)).toEqual([])
    expect(file.data.frontmatter).toMatchObject({title: '樂信逾期會爆通訊錄嗎', slug: 'le-xin-yu-qi-hui-bao-tong-xun-lu-ma', lang: 'zh-Hant', category: '信用卡逾期'})
    const check = await runCli(['check', '--source', out])
    expect(check.code, check.stderr).toBe(0)
  })
})

describe('import reads every encoding it promises', async () => {
  const text = await fs.readFile(path.join(fixtures, 'import', 'encodings.txt'), 'utf8')
  const utf8 = await importBytes(new TextEncoder().encode(text))

  async function importBytes(bytes: Uint8Array): Promise<{code: number; markdown: string; stderr: string}> {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'input.txt'), bytes)
    const result = await runCli(['import', 'input.txt', '--slug', 'a', '--out', 'out'], {cwd: folder})
    const markdown = result.code === 0 ? await fs.readFile(path.join(folder, 'out', 'a.md'), 'utf8') : ''
    return {code: result.code, markdown, stderr: result.stderr}
  }

  it('UTF-8', () => {
    expect(utf8.code, utf8.stderr).toBe(0)
    expect(utf8.stderr).toContain('input.txt:1:1 info read as UTF-8 (valid UTF-8) [detected-encoding]')
    expect(utf8.markdown).toContain('## 三、樂信逾期是否會爆通訊錄？')
  })

  const cases: Array<[string, string, boolean, string]> = [
    ['UTF-8 with BOM', 'utf-8', true, 'read as UTF-8 with BOM (byte order mark)'],
    ['UTF-16LE with BOM', 'utf-16le', true, 'read as UTF-16LE with BOM (byte order mark)'],
    ['UTF-16BE with BOM', 'utf-16be', true, 'read as UTF-16BE with BOM (byte order mark)'],
    ['GBK', 'gbk', false, 'read as GB18030 (chardet: GB18030, confidence'],
    ['GB18030', 'gb18030', false, 'read as GB18030 (chardet: GB18030, confidence'],
    ['Big5', 'big5', false, 'read as Big5 (chardet: Big5, confidence']
  ]
  for (const [name, codec, bom, message] of cases) {
    it(name, async () => {
      const bytes = iconv.encode(text, codec, {addBOM: bom})
      // The fixture must survive the encoding, or the comparison proves nothing.
      expect(iconv.decode(bytes, codec)).toBe(text)
      const result = await importBytes(bytes)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(message)
      expect(result.markdown).toBe(utf8.markdown)
    })
  }

  // Ten characters give chardet too little to go on: the decoding with the most common characters wins.
  for (const [codec, name, title] of [['gbk', 'GB18030', '乐信逾期会爆通讯录吗'], ['big5', 'Big5', '樂信逾期會爆通訊錄嗎']] as const) {
    it(`a short ${name} text chardet is unsure about`, async () => {
      const result = await importBytes(iconv.encode(title + '\n', codec))
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toMatch(new RegExp(`read as ${name} \\(chardet unsure \\(.*\\); ${name} looks most like real text \\(common characters, one script\\)\\)`))
      expect(result.markdown).toContain(`title: ${title}`)
    })
  }

  it('refuses binary input with exit 1 and no stack trace', async () => {
    const result = await importBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('input.txt:1:1 error binary content: a NUL byte at byte 8; import reads text')
    expect(result.stderr).toContain('[binary-file]')
    expect(result.stderr).toContain('input.txt not imported')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses bytes no supported encoding decodes with exit 1', async () => {
    const result = await importBytes(new Uint8Array([0xff, 0xff, 0xfe, 0x80, 0xff, 0x41, 0xff]))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/input\.txt:1:1 error cannot decode: the bytes are not valid UTF-8, UTF-16 \(with a byte order mark\), GB18030\/GBK or Big5.*\[undecodable-file\]/)
  })

  it('refuses text full of control characters', async () => {
    const result = await importBytes(new Uint8Array([0x61, 0x01, 0x02, 0x03, 0x62]))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[binary-file]')
  })
})

describe('import output', () => {
  it('refuses to overwrite without --force', async () => {
    const folder = await temporaryFolder()
    await fs.copyFile(path.join(fixtures, 'import', 'encodings.txt'), path.join(folder, 'a.txt'))
    expect((await runCli(['import', 'a.txt', '--slug', 'a'], {cwd: folder})).code).toBe(0)
    await fs.writeFile(path.join(folder, 'source', 'a.md'), 'edited by hand\n')
    const again = await runCli(['import', 'a.txt', '--slug', 'a'], {cwd: folder})
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('a.txt:1:1 error source/a.md exists; pass --force to overwrite it, or --slug to name the article differently [file-exists]')
    expect(await fs.readFile(path.join(folder, 'source', 'a.md'), 'utf8')).toBe('edited by hand\n')
    const forced = await runCli(['import', 'a.txt', '--slug', 'a', '--force'], {cwd: folder})
    expect(forced.code).toBe(0)
    expect(await fs.readFile(path.join(folder, 'source', 'a.md'), 'utf8')).toMatch(/^---\ntitle: 樂信逾期會爆通訊錄嗎\n/)
  })

  it('reads chrome patterns from --chrome, and refuses a broken file', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'a.txt'), '標題\n\n正文。\n\n本站專用導航\n')
    await fs.writeFile(path.join(folder, 'chrome.yaml'), 'navigation: [本站專用導航]\n')
    const result = await runCli(['import', 'a.txt', '--chrome', 'chrome.yaml', '--slug', 'a'], {cwd: folder})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('a.txt:5:1 info removed navigation line `本站專用導航` [site-chrome]')

    await fs.writeFile(path.join(folder, 'broken.yaml'), 'navigation: [unclosed\n')
    const broken = await runCli(['import', 'a.txt', '--chrome', 'broken.yaml', '--slug', 'b'], {cwd: folder})
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+ error broken chrome patterns: the YAML does not parse: .*\[broken-chrome-file\]/)

    await fs.writeFile(path.join(folder, 'bad.yaml'), 'footers: ["("]\n')
    const bad = await runCli(['import', 'a.txt', '--chrome', 'bad.yaml', '--slug', 'c'], {cwd: folder})
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^bad\.yaml:1:1 error broken chrome patterns: `footers`: .*\[broken-chrome-file\]/)
  })

  it('refuses an unsafe --slug', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'a.txt'), '標題\n\n正文。\n')
    const result = await runCli(['import', 'a.txt', '--slug', '../evil'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[unsafe-slug]')
    await expect(fs.access(path.join(folder, 'evil.md'))).rejects.toThrow()
  })

  it('refuses an input with no text', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'a.txt'), '\n\n最新文章\n')
    const result = await runCli(['import', 'a.txt'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[no-text]')
  })
})

describe('parseImport', () => {
  it('defaults', () =>
    expect(parseImport(['a.txt'])).toEqual({files: ['a.txt'], out: 'source', slug: undefined, force: false, report: 'text', typography: true, chrome: undefined}))
  it('every option', () =>
    expect(parseImport(['a.txt', '--out', 'x', '--slug', 's', '--force', '--report', 'json', '--no-typography', '--chrome', 'c.yaml'])).toEqual({
      files: ['a.txt'],
      out: 'x',
      slug: 's',
      force: true,
      report: 'json',
      typography: false,
      chrome: 'c.yaml'
    }))
  it('help', () => expect(parseImport(['--help'])).toBe('help'))
  it('import --help lists the rules and exits 0', async () => {
    const result = await runCli(['import', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: zhpress import FILE…/)
    expect(result.stdout).toContain('breadcrumb, pinyin-annotation, personal-data, site-chrome')
  })
  it('the help names every rule, in order', () => {
    expect(help.import.replace(/\s+/g, ' ')).toContain('Rules, in order: ' + rules.map((rule) => rule.id).join(', ') + ';')
  })
  it('no file', () => expect(() => parseImport([])).toThrow(UsageError))
  it('--slug with two files', () => expect(() => parseImport(['a', 'b', '--slug', 's'])).toThrow(UsageError))
  it('unknown --report', () => expect(() => parseImport(['a', '--report', 'xml'])).toThrow(UsageError))
  it('exit code 2 on the command line', async () => {
    for (const argv of [['import'], ['import', 'a', 'b', '--slug', 's'], ['import', 'a', '--bogus']]) {
      const result = await runCli(argv)
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^zhpress: /)
    }
  })
  it('a missing input is a usage error', async () => {
    const result = await runCli(['import', 'does-not-exist.txt', '--out', await temporaryFolder()])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('cannot read or write')
  })
})
