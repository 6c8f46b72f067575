/**
 * The fast core's contracts: big plain texts stream through `convert` in
 * chunks cut at boundaries (same output as converting the whole text), the
 * size limit holds for build articles only and is known before reading,
 * `--jobs` is capped at the cores available, and `check` writes nothing.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {convertText} from '../scripts/convert/index.ts'
import {cutPoint, maxArticleBytes, readTextChunks} from '../scripts/ingest.ts'
import {listFiles, root, runCli, temporaryFolder} from './helpers.ts'

async function chunksOf(file: string, chunk: number): Promise<{chunks: Array<string>; messages: Array<string>}> {
  const vfile = new VFile({path: file, cwd: '/'})
  const chunks: Array<string> = []
  for await (const text of readTextChunks(vfile, {chunk})) chunks.push(text)
  return {chunks, messages: vfile.messages.map((message) => `${message.ruleId}: ${message.reason}`)}
}

describe('streaming plain text', () => {
  it('chunks join to the whole text and end at a paragraph, line or sentence boundary', async () => {
    const folder = await temporaryFolder()
    const pieces = ['头发', '理发店。', '軟體！', '\n', '\n\n', '信息？', '𠮷', 'abc ', '“引号”']
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), {minLength: 1, maxLength: 200}), fc.integer({min: 8, max: 64}), async (parts, size) => {
        const text = parts.join('')
        const file = path.join(folder, 'text.txt')
        await fs.writeFile(file, '\uFEFF' + text)
        const {chunks, messages} = await chunksOf(file, size)
        expect(messages).toEqual([])
        expect(chunks.join('')).toBe(text)
        for (const chunk of chunks.slice(0, -1)) {
          expect(chunk.length).toBeLessThanOrEqual(size)
          // Cut where the chunk was full only when its second half has no boundary.
          if (!/[\n。！？!?]$/u.test(chunk)) expect(chunk.slice(size >> 1)).not.toMatch(/[\n。！？!?]/u)
        }
      }),
      {numRuns: 60}
    )
  })

  it('decodes characters cut by the end of a read (reads of 1 MiB), and invalid UTF-8 beyond the first read', async () => {
    const folder = await temporaryFolder()
    // 1 + 3k and 2 + 4k bytes: the 1 MiB read ends inside a character in both files.
    const texts = ['a' + '头发\n'.repeat(200_000), 'ab' + '𠮷𠮷。\n'.repeat(150_000)]
    for (const [index, text] of texts.entries()) {
      const file = path.join(folder, `long-${index}.txt`)
      await fs.writeFile(file, '\uFEFF' + text)
      const {chunks, messages} = await chunksOf(file, 1 << 18)
      expect(messages).toEqual([])
      expect(chunks.join('') === text).toBe(true)
    }

    const bad = Buffer.concat([Buffer.from('头发\n'.repeat(200_000)), Buffer.from([0xe5, 0xa4, 0x41])])
    await fs.writeFile(path.join(folder, 'bad-late.txt'), bad)
    expect((await chunksOf(path.join(folder, 'bad-late.txt'), 1 << 18)).messages[0]).toMatch(/^invalid-utf8: /)
    // A character cut short by the end of the file.
    await fs.writeFile(path.join(folder, 'cut.txt'), Buffer.concat([Buffer.from('头发'), Buffer.from([0xe5, 0xa4])]))
    expect((await chunksOf(path.join(folder, 'cut.txt'), 64)).messages[0]).toMatch(/^invalid-utf8: .*byte 6\b/)
  })

  it('prefers a paragraph break to a line break, and never splits a surrogate pair', () => {
    expect(cutPoint('一二三四\n\n五六\n七八九十', 10)).toBe(6)
    expect(cutPoint('一二三四五六\n七八九十', 10)).toBe(7)
    expect(cutPoint('一二三四五六七八九\uD842\uDFB7', 10)).toBe(9)
  })

  it('reports NUL bytes, invalid UTF-8 and empty files', async () => {
    const folder = await temporaryFolder()
    await fs.writeFile(path.join(folder, 'nul.txt'), Buffer.from('头发\u0000', 'utf8'))
    await fs.writeFile(path.join(folder, 'bad.txt'), Buffer.from([0xe5, 0xa4, 0xb4, 0xff, 0x41]))
    await fs.writeFile(path.join(folder, 'empty.txt'), '')
    expect((await chunksOf(path.join(folder, 'nul.txt'), 64)).messages).toEqual(['binary-file: binary content: a NUL byte at byte 6; text files are UTF-8'])
    expect((await chunksOf(path.join(folder, 'bad.txt'), 64)).messages[0]).toMatch(/^invalid-utf8: .*byte 3\b/)
    expect((await chunksOf(path.join(folder, 'empty.txt'), 64)).messages[0]).toMatch(/^empty-file: /)
  })

  it('convert takes a text larger than the article limit, streamed, with the output of converting it whole', async () => {
    const folder = await temporaryFolder()
    const seed = await fs.readFile(path.join(root, 'source', 'lexin-overdue.md'), 'utf8')
    const body = seed.slice(seed.indexOf('\n---', 4) + 4).replaceAll('-{', '').replaceAll('}-', '')
    let text = ''
    while (Buffer.byteLength(text) <= maxArticleBytes + 4096) text += body
    await fs.writeFile(path.join(folder, 'book.txt'), text)
    const result = await runCli(['convert', '--from', 'zh-Hant', '--to', 'zh-Hans', 'book.txt'], {cwd: folder})
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(convertText(text, {from: 'zh-Hant', to: 'zh-Hans'}))
    // Warnings keep their place in the whole file.
    const lines = text.split('\n').length
    for (const match of result.stderr.matchAll(/^book\.txt:(\d+):(\d+) /gm)) expect(Number(match[1])).toBeLessThanOrEqual(lines)
    // The script detected on the first chunk's worth of text (the stream's first chunks are smaller).
    const detected = await runCli(['convert', '--to', 'zh-Hans', 'book.txt'], {cwd: folder})
    expect(detected.stdout === result.stdout).toBe(true)
  })
})

describe('build limits and workers', () => {
  it('refuses a too-large article from its size on disk, and builds the others', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'ok.md'), '---\ntitle: 头发\nlang: zh-Hans\n---\n\n头发。\n')
    const handle = await fs.open(path.join(folder, 'source', 'huge.md'), 'w')
    await handle.truncate(maxArticleBytes + 1)
    await handle.close()
    const result = await runCli(['build', '--jobs', '1', '--no-cache'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`source/huge.md:1:1 error article too large: ${maxArticleBytes + 1} bytes`)
  })

  it('caps --jobs at the cores available, with a warning, and builds the same bytes', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    for (const [name, text] of [['a', '头发'], ['b', '软件'], ['c', '信息']]) {
      await fs.writeFile(path.join(folder, 'source', `${name}.md`), `---\ntitle: ${text}\nlang: zh-Hans\n---\n\n${text}。\n`)
    }

    const many = await runCli(['build', '--jobs', '1000', '--no-cache', '--out', 'many'], {cwd: folder})
    const cores = os.availableParallelism()
    expect(many.code).toBe(0)
    expect(many.stderr).toContain(`--jobs 1000 is more than the ${cores} core${cores === 1 ? '' : 's'} available; using ${cores}`)
    const one = await runCli(['build', '--jobs', '1', '--no-cache', '--out', 'one'], {cwd: folder})
    expect(one.stderr).not.toContain('more than')
    const files = await listFiles(path.join(folder, 'many'))
    expect(files).toEqual(await listFiles(path.join(folder, 'one')))
    for (const file of files) {
      if (file.endsWith('manifest.json') || file.endsWith('report.json')) continue
      expect(await fs.readFile(path.join(folder, 'many', file), 'utf8'), file).toBe(await fs.readFile(path.join(folder, 'one', file), 'utf8'))
    }
  })

  it('check runs on the pool and writes nothing: no output folder, no cache', async () => {
    const folder = await temporaryFolder()
    await fs.mkdir(path.join(folder, 'source'))
    await fs.writeFile(path.join(folder, 'source', 'a.md'), '---\ntitle: 头发\nlang: zh-Hans\n---\n\n头发。\n')
    await fs.writeFile(path.join(folder, 'source', 'b.md'), '---\ntitle: 头发\nslug: a\nlang: zh-Hans\n---\n\n头发。\n')
    const result = await runCli(['check'], {cwd: folder})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[duplicate-slug]')
    expect(result.stderr).toContain('checked 2 articles: 1 error')
    expect((await fs.readdir(folder)).sort()).toEqual(['source'])
  })
})
