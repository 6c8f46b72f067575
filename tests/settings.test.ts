/**
 * Project settings (`zhpress.yaml`) and the source tree walk.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {ignoreMatcher, listSourceTree, readSettings} from '../scripts/ingest.ts'
import {formatReport} from '../scripts/report.ts'
import {localizedText, parseSettings} from '../scripts/settings.ts'
import {temporaryFolder} from './helpers.ts'

function parse(text: string) {
  const file = new VFile({path: 'source/zhpress.yaml', value: text})
  const settings = parseSettings(file)
  return {settings, lines: formatReport([file])}
}

describe('parseSettings', () => {
  it('reads every setting', () => {
    const {settings, lines} = parse(
      [
        'ignore: [drafts/, "**/_*.md"]',
        'site:',
        '  title: 我的文档',
        '  description: {zh-CN: 简体说明, zh-tw: 台灣說明}',
        'baseUrl: https://example.org/docs',
        'defaultLocale: zh-tw',
        ''
      ].join('\n')
    )
    expect(lines).toEqual([])
    expect(settings).toEqual({
      ignore: ['drafts/', '**/_*.md'],
      site: {title: {text: '我的文档', locales: {}}, description: {locales: {'zh-Hans': '简体说明', 'zh-TW': '台灣說明'}}},
      baseUrl: 'https://example.org/docs/',
      defaultLocale: 'zh-TW'
    })
  })

  it('an empty file is the defaults', () => {
    expect(parse('').settings).toEqual({ignore: [], site: {}, defaultLocale: 'zh-Hans'})
    expect(parse('# 只有注释\n').lines).toEqual([])
  })

  it('reports every mistake with its line and column', () => {
    const {settings, lines} = parse(
      ['ignore: [3, ok/]', 'site:', '  titel: 错', '  title: {zh-XX: 甲}', 'baseUrl: ftp://example.org/', 'defaultLocale: en', 'extra: 1', ''].join('\n')
    )
    expect(lines).toEqual([
      'source/zhpress.yaml:1:10 error `ignore` takes a list of path patterns (`drafts/`, `**/_*.md`) [broken-settings]',
      'source/zhpress.yaml:3:3 error unknown key `site.titel`; use site.title or site.description [broken-settings]',
      'source/zhpress.yaml:4:11 error unknown locale `zh-XX` in `site.title`; use zh-Hans, zh-Hant, zh-TW, zh-HK [broken-settings]',
      'source/zhpress.yaml:5:10 error `baseUrl` takes the absolute http(s) URL of the published html/ folder, such as https://example.org/docs/: `ftp://example.org/` is not an http or https URL [broken-settings]',
      'source/zhpress.yaml:6:16 error unknown locale in `defaultLocale`; use zh-Hans, zh-Hant, zh-TW, zh-HK [broken-settings]',
      'source/zhpress.yaml:7:1 error unknown key `extra` in zhpress.yaml; use ignore, site, baseUrl, defaultLocale, assets, math [broken-settings]'
    ])
    expect(settings.ignore).toEqual(['ok/'])
    expect(settings.defaultLocale).toBe('zh-Hans')
  })

  it('reports broken YAML at its place', () => {
    expect(parse('site:\n  title: [未闭合\n').lines[0]).toMatch(/^source\/zhpress\.yaml:\d+:\d+ error broken YAML: .* \[broken-settings\]$/)
    expect(parse('- a\n- b\n').lines).toEqual([
      'source/zhpress.yaml:1:1 error zhpress.yaml must be a mapping of `key: value` lines (ignore, site, baseUrl, defaultLocale, assets, math) [broken-settings]'
    ])
  })

  it('picks a localized text along the fallback chain', () => {
    const title = {text: '文档', locales: {'zh-TW': '文件', 'zh-HK': '文檔'} as const}
    expect(localizedText(title, 'zh-TW')).toEqual({text: '文件', writtenIn: 'zh-TW'})
    expect(localizedText(title, 'zh-Hant')).toEqual({text: '文件', writtenIn: 'zh-TW'})
    expect(localizedText(title, 'zh-Hans')).toEqual({text: '文档', writtenIn: undefined})
    expect(localizedText({locales: {'zh-HK': '文檔'}}, 'zh-Hans')).toEqual({text: '文檔', writtenIn: 'zh-HK'})
    expect(localizedText(undefined, 'zh-Hans')).toBeUndefined()
  })
})

describe('ignoreMatcher', () => {
  const ignored = ignoreMatcher(['drafts/', '*.draft.md', 'guide/old/', '/notes.md'])
  it.each([
    ['drafts', true, true],
    ['guide/drafts', true, true],
    ['drafts', false, false],
    ['a/b.draft.md', false, true],
    ['guide/old', true, true],
    ['x/guide/old', true, false],
    ['notes.md', false, true],
    ['guide/notes.md', false, false],
    ['guide/intro.md', false, false]
  ])('%s (folder: %s) → %s', (name, folder, expected) => {
    expect(ignored(name, folder)).toBe(expected)
  })
})

describe('listSourceTree', () => {
  it('walks folders, skips hidden, node_modules and ignored, sorts by path', async () => {
    const folder = await temporaryFolder()
    const files = [
      'index.md',
      'b.md',
      'a/z.md',
      'a/README.md',
      'a/b/c/deep.md',
      'a/img.png',
      '.hidden.md',
      '.vitepress/config.md',
      '.gitbook/assets/pic.png',
      'node_modules/pkg/readme.md',
      'drafts/wip.md',
      'zhpress.yaml'
    ]
    for (const name of files) {
      await fs.mkdir(path.dirname(path.join(folder, name)), {recursive: true})
      await fs.writeFile(path.join(folder, name), '# 标题\n')
    }

    const tree = await listSourceTree('.', folder, ['drafts/'])
    expect(tree.articles).toEqual(['a/README.md', 'a/b/c/deep.md', 'a/z.md', 'b.md', 'index.md'])
    expect(tree.files).toEqual(['.gitbook/assets/pic.png', 'a/img.png', 'zhpress.yaml'])
  })

  it('reads settings from the source folder, defaults without a file', async () => {
    const folder = await temporaryFolder()
    expect((await readSettings('.', folder)).settings.defaultLocale).toBe('zh-Hans')
    await fs.writeFile(path.join(folder, 'zhpress.yaml'), 'defaultLocale: zh-HK\n')
    expect((await readSettings('.', folder)).settings.defaultLocale).toBe('zh-HK')
  })
})
