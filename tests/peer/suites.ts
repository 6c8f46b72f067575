/**
 * The peer test suites of MediaWiki's LanguageConverter syntax: MediaWiki's
 * parser tests, XOWA's converter tests and zhconv's doctests, read from
 * copies of their files (never committed: `ZHPRESS_PEER_SUITES` names a
 * folder holding `mediawiki/*.txt`, `xowa/*.java` and `zhconv/zhconv.py`).
 * Each case becomes an input, the variant MediaWiki renders, and the text
 * it expects; cases whose syntax zhpress does not take (wikitext, HTML, the
 * untranslated `zh` view…) carry the reason they are left out.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Locale} from '../../scripts/locales.ts'

export interface PeerCase {
  suite: 'mediawiki' | 'xowa' | 'zhconv'
  /** The case's name in its suite (and the variant, for one case run in several). */
  name: string
  input: string
  /** The peer's variant code (`zh-tw`, `zh-sg`…). */
  variant: string
  /** zhpress's output for that variant. */
  locale?: Locale
  /** The converted text the peer expects (whitespace is compared collapsed). */
  expected: string
  /** The page title a `T` rule gives, when the case checks it (`null`: none). */
  title?: string | null
  /** Why the case is not run; undefined: it must pass. */
  excluded?: string
}

/** MediaWiki variants → the zhpress output that shows them (README, Coming from Wikipedia). */
export const variantOutputs: Record<string, Locale | undefined> = {
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-my': 'zh-Hans',
  'zh-hans': 'zh-Hans',
  'zh-tw': 'zh-TW',
  'zh-hk': 'zh-HK',
  'zh-mo': 'zh-HK',
  'zh-hant': 'zh-Hant'
}

const bcp47: Record<string, string> = {
  'zh-hans-cn': 'zh-cn',
  'zh-hans-sg': 'zh-sg',
  'zh-hans-my': 'zh-my',
  'zh-hant-tw': 'zh-tw',
  'zh-hant-hk': 'zh-hk',
  'zh-hant-mo': 'zh-mo'
}

/** The syntax forms a case uses, for the per-form counts. */
export function syntaxForms(input: string): Array<string> {
  const forms = new Set<string>()
  if (/-\{\}-/.test(input)) forms.add('empty -{}-')
  for (const match of input.matchAll(/-\{\s*([A-Za-z\-;\s]*?)\s*\|/g)) {
    const flags = match[1]!
    if (/zh/i.test(flags)) forms.add('variant filter')
    else
      for (const flag of flags
        .split(';')
        .map((each) => each.trim())
        .filter(Boolean))
        forms.add(`flag ${flag}`)
  }

  if (/=>/.test(input)) forms.add('one-way =>')
  if (/-\{[^{}]*-\{/.test(input)) forms.add('nested')
  if (/-\{\s*(?:[^|{}]*\|)?\s*zh(?:-[a-z]+)*\s*:/i.test(input)) forms.add('per-variant')
  if (/-\{\s*zh\s*:|;\s*zh\s*:/i.test(input)) forms.add('zh: fallback')
  if (forms.size === 0 && /-\{/.test(input)) forms.add('-{text}-')
  if (forms.size === 0) forms.add('no rule')
  return [...forms]
}

/** Why a MediaWiki or XOWA input is outside what zhpress's rules take, if it is. */
function outOfScope(input: string): string | undefined {
  if (/\[\[|\{\{|'''|''|^\s*\{\||^=+.*=+\s*$|^[*#:;]/m.test(input)) return 'wikitext (links, templates, tables, bold, lists): not Markdown'
  if (/<[a-z!/]/i.test(input) || /&[a-z#0-9]+;/i.test(input)) return 'raw HTML or HTML entities: zhpress takes rules in text, not in HTML'
  if (/__NO(?:CC|TC|CONTENTCONVERT|TITLECONVERT)__/.test(input)) return 'magic words: page-level switches of MediaWiki'
  return undefined
}

/** Read MediaWiki's parser test files: the cases with a Chinese variant and an `html/php` output. */
export function mediawikiCases(folder: string): Array<PeerCase> {
  const cases: Array<PeerCase> = []
  for (const name of fs
    .readdirSync(folder)
    .filter((each) => each.endsWith('.txt'))
    .sort()) {
    const text = fs.readFileSync(path.join(folder, name), 'utf8')
    for (const block of text.split(/^!! test\n/m).slice(1)) {
      const sections = new Map<string, string>()
      const title = block.slice(0, block.indexOf('\n')).trim()
      for (const part of block.split(/^!! /m).slice(1)) {
        const newline = part.indexOf('\n')
        sections.set(part.slice(0, newline).trim(), part.slice(newline + 1))
      }

      const options = sections.get('options') ?? ''
      if (!/language=zh\b/.test(options)) continue
      const input = (sections.get('wikitext') ?? '').replace(/\n$/, '')
      const tags = /(?:htmlVariantLanguage|variant)=(\S+)/.exec(options)?.[1]?.toLowerCase() ?? 'zh'
      for (const tag of tags.split(',')) {
        const variant = bcp47[tag] ?? tag
        const expectedHtml = sections.get('html/php') ?? sections.get('html')
        const base: PeerCase = {
          suite: 'mediawiki',
          name: `${name} › ${title}${tags.includes(',') ? ` (${variant})` : ''}`,
          input,
          variant,
          expected: expectedHtml === undefined ? '' : htmlText(expectedHtml)
        }
        const locale = variantOutputs[variant]
        if (locale) base.locale = locale
        if (/showtitle/.test(options)) {
          const metadata = sections.get('metadata+langconv') ?? sections.get('metadata')
          if (metadata !== undefined && !/</.test(metadata)) base.title = metadata.trim()
        }

        base.excluded =
          (expectedHtml === undefined ? 'no html/php output (a Parsoid-only or wikitext round-trip test)' : undefined) ??
          (/parsoid=\{|wt2wt|html2wt|selser/.test(options) || /^html2wt|^wt2wt/i.test(title)
            ? 'a Parsoid serializer test (HTML back to wikitext)'
            : undefined) ??
          (locale ? undefined : `variant \`${variant}\`: the untranslated view; a static site is built per variant`) ??
          outOfScope(input)
        cases.push(base)
      }
    }
  }

  return cases
}

/** The text of expected HTML: tags dropped, entities decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** A Java or Python string literal's value. */
function literal(source: string): string {
  return JSON.parse('"' + source.replace(/\\'/g, "'").replace(/\\\\n/g, '\\n') + '"') as string
}

/** Read XOWA's converter tests (`Vnt_convert_lang__*_tst.java`): `Test_parse`, `Test_parse_many`, `Test_parse_title`. */
export function xowaCases(folder: string): Array<PeerCase> {
  const cases: Array<PeerCase> = []
  for (const name of fs
    .readdirSync(folder)
    .filter((each) => /^Vnt_convert_lang__.*_tst\.java$/.test(each))
    .sort()) {
    const source = fs.readFileSync(path.join(folder, name), 'utf8')
    const rule = /rule = "((?:[^"\\]|\\.)*)";/.exec(source)?.[1]
    for (const method of source.split(/@Test\s+public void /).slice(1)) {
      const test = method.slice(0, method.indexOf('('))
      const variables = new Map<string, string>()
      if (rule !== undefined) variables.set('rule', literal(rule))
      for (const match of method.matchAll(/String (\w+) = "((?:[^"\\]|\\.)*)";/g)) variables.set(match[1]!, literal(match[2]!))
      let current = 'zh-cn'
      const value = (expression: string): string | undefined => {
        let result = ''
        for (const term of expression.split(/\s*\+\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
          const trimmed = term.trim()
          if (/^"(?:[^"\\]|\\.)*"$/.test(trimmed)) result += literal(trimmed.slice(1, -1))
          else if (variables.has(trimmed)) result += variables.get(trimmed)
          else return undefined
        }

        return result
      }

      const calls = method.matchAll(/fxt\.(Init_cur|Test_parse_many|Test_parse_title|Test_parse)\(((?:[^()"]|"(?:[^"\\]|\\.)*"|\([^()]*\))*)\)/g)
      for (const call of calls) {
        const args = call[2]!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((each) => each.trim())
        if (call[1] === 'Init_cur') {
          current = literal(args[0]!.slice(1, -1))
          continue
        }

        const input = value(args[0]!)
        const push = (variant: string, expected: string | undefined, title?: string | null) => {
          const base: PeerCase = {
            suite: 'xowa',
            name: `${test} (${variant})`,
            input: input ?? args[0]!,
            variant,
            expected: expected ?? ''
          }
          const locale = variantOutputs[variant]
          if (locale) base.locale = locale
          if (title !== undefined) base.title = title
          base.excluded =
            (input === undefined || expected === undefined ? 'built by Java code (a table of lines): wikitext' : undefined) ??
            (locale ? undefined : `variant \`${variant}\`: the untranslated view; a static site is built per variant`) ??
            outOfScope(input ?? '')
          cases.push(base)
        }

        if (call[1] === 'Test_parse') push(current, value(args[1]!))
        else if (call[1] === 'Test_parse_many') for (const variant of args.slice(2)) push(literal(variant.slice(1, -1)), value(args[1]!))
        else push(literal(args[3]!.slice(1, -1)), value(args[2]!), args[1] === 'null' ? null : value(args[1]!))
      }
    }
  }

  return cases
}

/** Read zhconv's doctests of `convert_for_mw`. */
export function zhconvCases(folder: string): Array<PeerCase> {
  const source = fs.readFileSync(path.join(folder, 'zhconv.py'), 'utf8')
  const cases: Array<PeerCase> = []
  const pattern = />>> (print\()?convert_for_mw\('((?:[^'\\]|\\.)*)', '([a-z-]+)'\)\)?(?: == '((?:[^'\\]|\\.)*)')?[^\n]*\n\s*([^\n]*)/g
  for (const match of source.matchAll(pattern)) {
    const variant = match[3]!
    const input = literal(match[2]!)
    const expected = match[1] ? match[5]!.trim() : match[5]!.trim() === 'True' ? literal(match[4] ?? '') : match[5]!.trim()
    const base: PeerCase = {
      suite: 'zhconv',
      name: `convert_for_mw(${JSON.stringify(input.slice(0, 24))}…, ${variant})`,
      input,
      variant,
      expected
    }
    const locale = variantOutputs[variant]
    if (locale) base.locale = locale
    base.excluded =
      (locale ? undefined : `variant \`${variant}\`: the untranslated view`) ??
      (/\{\{|&gt;/.test(input) ? 'wikitext (a template and an HTML entity)' : undefined)
    cases.push(base)
  }

  return cases
}

/**
 * Views of MediaWiki that no zhpress output is: zhpress's zh-Hans is the
 * zh-cn view and zh-HK the zh-hk view. MediaWiki's zh-hans view takes no
 * two-way `H`/`A` rule and one-way rules only when written for zh-hans;
 * zh-sg, zh-my and zh-mo take one-way rules written for them only.
 */
const otherViews = new Set(['zh-hans', 'zh-sg', 'zh-my', 'zh-mo'])

/**
 * Cases checked by hand whose only difference is the wording of the text
 * outside the rules: MediaWiki's dictionary (zhconv uses it) and OpenCC's
 * choose different words; the rules' output is the same.
 */
const dictionaryDifferences = [
  // 联系 → 聯繫 (MediaWiki) or 聯絡 (OpenCC's Taiwan phrases), after the rule.
  '-{zh-hant:資訊工程;zh-hans:计算机工程学;}-是电子工程'
]

/** The reason a case is left out, beyond its syntax. */
function differences(peer: PeerCase): string | undefined {
  if (peer.input.split('-{').length > peer.input.split('}-').length) {
    return 'documented difference: an unterminated `-{` is an error (`unterminated-rule`); MediaWiki shows it as text'
  }

  if (/-\{\s*(?:D\s*;\s*)?N\s*\|\s*(?!zh)/i.test(peer.input) || /-\{N\|(?!zh)/.test(peer.input)) {
    return 'documented difference: `N` of a language other than Chinese shows nothing, with a `rule-not-applied` warning'
  }

  if (dictionaryDifferences.some((prefix) => peer.input.startsWith(prefix))) return "dictionary: the text outside the rules is worded by OpenCC, not MediaWiki's dictionary"
  if (otherViews.has(peer.variant)) return `the ${peer.variant} view: zhpress builds zh-Hans as the zh-cn view and zh-HK as the zh-hk view`
  return undefined
}

/** XOWA writes a `D` rule's variants as codes (`ZH-CN:cn;`), MediaWiki as names (`大陆：cn；`). */
const xowaNames: Record<string, string> = {CN: '大陆', TW: '臺灣', HK: '香港', MO: '澳門', SG: '新加坡', MY: '大马', HANS: '简体', HANT: '繁體'}

/** Every case of the suites found under `root`. */
export function peerCases(root: string): Array<PeerCase> {
  const cases: Array<PeerCase> = []
  if (fs.existsSync(path.join(root, 'mediawiki'))) cases.push(...mediawikiCases(path.join(root, 'mediawiki')))
  if (fs.existsSync(path.join(root, 'xowa'))) cases.push(...xowaCases(path.join(root, 'xowa')))
  if (fs.existsSync(path.join(root, 'zhconv'))) cases.push(...zhconvCases(path.join(root, 'zhconv')))
  for (const peer of cases) {
    if (peer.suite === 'xowa' && /^Descrip/.test(peer.name)) {
      peer.expected = peer.expected.replace(/ZH-([A-Z]+):/g, (_, code: string) => `${xowaNames[code]}：`).replaceAll(';', '；')
    }

    peer.excluded ??= differences(peer)
  }

  return cases
}

/** Whitespace collapsed: paragraphs and line breaks are HTML's business, not the rules'. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
