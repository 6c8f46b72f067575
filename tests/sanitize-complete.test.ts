/**
 * What the sanitizer schema alone let through: later `srcset` candidates,
 * author heading ids equal to the page's own or a footnote's, control
 * characters in pages and JSON, and control characters of file names
 * printed raw to the terminal.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Nodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {beforeAll, describe, expect, it} from 'vitest'
import {isSafeUrl, srcsetUrls} from '../scripts/html-safety.ts'
import {escapeTerminal} from '../scripts/report.ts'
import {runCli, temporaryFolder} from './helpers.ts'

const article = `---
title: "控制\\u0007字元\\u0085測試"
lang: zh-TW
date: 2026-11-28
---

正文\u0001裡有\u001B[31m控制字元\u009B和\u0008退格。

<img src="a.png" alt="圖" srcset="a.png 1x, javascript:alert(1) 2x">

<picture><source srcset="b.png 1x,b2.png 2x"><img src="b.png" alt="圖"></picture>

<picture><source srcset="c.webp 1x, data:image/svg+xml,&lt;svg onload=alert(1)&gt; 2x"><img src="c.png" alt="圖"></picture>

<picture><source srcset="d.webp 1x, JaVa&#x09;Script:alert(1) 2x"><img src="d.png" alt="圖"></picture>

## toc-title

## user-content-fn-1

## user-content-fnref-1

有註腳[^1]。${'頭髮和軟體都在互聯網上。'.repeat(50)}

[^1]: 註腳內容。
`

let html: string
let json: {html: string; title: string}

beforeAll(async () => {
  const cwd = await temporaryFolder()
  await fs.mkdir(path.join(cwd, 'source'))
  await fs.writeFile(path.join(cwd, 'source', 'payload.md'), article)
  const result = await runCli(['build', '--no-cache', '--locales', 'zh-TW'], {cwd})
  expect(result.code, result.stderr).toBe(0)
  html = await fs.readFile(path.join(cwd, 'dist/html/zh-TW/payload.html'), 'utf8')
  json = JSON.parse(await fs.readFile(path.join(cwd, 'dist/json/zh-TW/payload.json'), 'utf8')) as typeof json
})

function elements(tree: Nodes): Array<Element> {
  const found: Array<Element> = []
  const walk = (node: Nodes) => {
    if (node.type === 'element') found.push(node)
    if ('children' in node) for (const child of node.children) walk(child)
  }

  walk(tree)
  return found
}

describe('every srcset candidate', () => {
  it('no srcset on the page or in the JSON html holds a javascript: or data: candidate', () => {
    for (const source of [html, json.html]) {
      const sets = elements(fromHtml(source)).flatMap((node) => (node.properties.srcSet === undefined ? [] : [String(node.properties.srcSet)]))
      for (const set of sets) expect(set).not.toMatch(/javascript|data:/i)
      // The safe one stays.
      expect(sets.join(' ')).toContain('b2.png')
    }
  })

  it.each([
    ['a.png 1x, javascript:alert(1) 2x', ['a.png', 'javascript:alert(1)']],
    ['a.png 1x,b.png 2x', ['a.png', 'b.png']],
    [' a.png   100w ', ['a.png']]
  ])('srcsetUrls(%j)', (value, urls) => {
    expect(srcsetUrls(value)).toEqual(urls)
  })

  it.each([
    ['https://example.org/a.png', true],
    ['a.png', true],
    ['/a:b.png', true],
    ['javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    [' \u0001javascript:alert(1)', false],
    ['DATA:text/html,x', false]
  ])('isSafeUrl(%j) → %s', (url, safe) => {
    expect(isSafeUrl(url, ['http', 'https'])).toBe(safe)
  })
})

describe('author heading ids never clash with the page’s own', () => {
  it('every id on the page is unique, and the page’s toc-title and the footnote ids are the page’s', () => {
    const nodes = elements(fromHtml(html))
    const ids = nodes.flatMap((node) => (typeof node.properties.id === 'string' ? [node.properties.id] : []))
    expect(ids.length).toBe(new Set(ids).size)
    expect(nodes.find((node) => node.properties.id === 'toc-title')?.tagName).toBe('summary')
    expect(nodes.find((node) => node.properties.id === 'user-content-fn-1')?.tagName).toBe('li')
    const headings = nodes.filter((node) => node.tagName === 'h2').map((node) => node.properties.id)
    expect(headings).toEqual(expect.arrayContaining(['toc-title-1', 'h-fn-1-1', 'h-fnref-1-1']))
    // The table of contents links to the renamed ids.
    expect(html).toContain('href="#toc-title-1"')
  })
})

describe('control characters', () => {
  it('none reach the page or the JSON html (tab and line feed aside)', () => {
    const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
    expect(html).not.toMatch(controls)
    expect(json.html).not.toMatch(controls)
    expect(html).toContain('正文裡有[31m控制字元和退格。')
    expect(html).toContain('<title>控制字元測試')
  })

  it('file names are escaped in terminal output (a subprocess-free check of the printed lines)', async () => {
    const cwd = await temporaryFolder()
    await fs.mkdir(path.join(cwd, 'source'))
    const name = 'bad\u001B[2J\u0007\u202Egpj.md'
    await fs.writeFile(path.join(cwd, 'source', name), '---\nlang: zh-TW\n---\n\n沒有標題\n')
    const result = await runCli(['check'], {cwd})
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/[\u001B\u0007\u202E]/)
    expect(result.stderr).toContain('source/bad\\x1B[2J\\x07\\u202Egpj.md:1:1 error')
  })

  it.each([
    ['a\u001Bb', 'a\\x1Bb'],
    ['a\nb', 'a\\x0Ab'],
    ['a\tb', 'a\tb'],
    ['\u202Eabc', '\\u202Eabc'],
    ['中文', '中文']
  ])('escapeTerminal(%j)', (line, escaped) => {
    expect(escapeTerminal(line)).toBe(escaped)
  })
})
