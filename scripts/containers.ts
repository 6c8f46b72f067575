/**
 * Custom containers of documentation sites, as labelled boxes:
 * VitePress `::: tip 提示` … `:::`, Docusaurus `:::warning` … `:::`,
 * GitBook `{% hint style="info" %}` … `{% endhint %}`, and the alerts of
 * GitHub, VitePress and DocFX (`> [!NOTE]` opening a block quote).
 * MkDocs' admonitions and content tabs (parsed by `admonitions.ts`) get
 * the same boxes. A paragraph of Hugo shortcodes alone (`{{< copyable "sql" >}}`) is left
 * out of the page; what a paired shortcode encloses stays.
 * CommonMark reads them as paragraphs and block quotes; this finds the
 * opening and closing lines and wraps the blocks between them. Runs on the
 * converted tree, so the label and the text are already in the page's
 * locale.
 */
import type {Blockquote, Paragraph, Parent, Root, RootContent, Text} from 'mdast'
import {convertText} from './convert/index.ts'
import type {Locale} from './locales.ts'

const opening = /^(?::{3,}[ \t]*([A-Za-z][\w-]*)(?:[ \t]+(.*?))?|\{%[ \t]*hint[ \t]+style=["']?(\w+)["']?[ \t]*%\})[ \t]*$/
const closing = /^(?::{3,}|\{%[ \t]*endhint[ \t]*%\})[ \t]*$/

/**
 * A paragraph of Hugo shortcodes only (`{{< copyable "sql" >}}`,
 * `{{% notice tip %}}`, `{{< /tabs >}}`), each on its own line.
 */
const shortcodes = /^(?:[ \t]*(?:\{\{<[^\n]*?>\}\}|\{\{%[^\n]*?%\}\})[ \t]*(?:\n|$))+$/

/** The line that makes a block quote an alert (GitHub's five kinds), alone on its line. */
const alertLine = /^\[!(note|tip|important|warning|caution)\][ \t]*$/i

/** The box of each alert kind: GitHub shows CAUTION as its most severe. */
const alertKinds: Record<string, (typeof containerKinds)[number]> = {note: 'note', tip: 'tip', important: 'note', warning: 'warning', caution: 'danger'}

/** The label of each alert kind (zh-Hant, converted into the page's locale). */
const alertLabels: Record<string, string> = {note: '注意', tip: '提示', important: '重要', warning: '警告', caution: '小心'}

/** Default label of each kind, written in zh-Hant with inline rules; converted into the page's locale. */
const labels: Record<string, string> = {
  tip: '提示',
  success: '提示',
  info: '-{zh-Hans:信息;zh-Hant:資訊;zh-HK:信息}-',
  note: '注意',
  warning: '注意',
  caution: '注意',
  danger: '警告',
  important: '重要',
  details: '詳情'
}

/**
 * Default labels of MkDocs' admonition types beyond the containers' own
 * (Material for MkDocs shows the type's name), in zh-Hant with inline rules.
 */
const admonitionLabels: Record<string, string> = {
  abstract: '摘要',
  summary: '摘要',
  tldr: '摘要',
  todo: '待辦',
  hint: '提示',
  check: '完成',
  done: '完成',
  question: '問題',
  help: '說明',
  faq: '常見問題',
  attention: '注意',
  failure: '失敗',
  fail: '失敗',
  missing: '缺失',
  error: '錯誤',
  bug: '-{zh-Hans:缺陷;zh-Hant:錯誤}-',
  example: '-{zh-Hans:示例;zh-Hant:範例}-',
  quote: '引用',
  cite: '引用'
}

/** The box of each MkDocs admonition type beyond the containers' own. */
const admonitionKinds: Record<string, (typeof containerKinds)[number]> = {
  hint: 'tip',
  check: 'tip',
  done: 'tip',
  attention: 'warning',
  failure: 'danger',
  fail: 'danger',
  missing: 'danger',
  error: 'danger',
  bug: 'danger'
}

/** The kinds, as class names: everything else is shown as `info`. */
export const containerKinds = ['tip', 'info', 'note', 'warning', 'danger', 'details'] as const

const kindOf: Record<string, (typeof containerKinds)[number]> = {
  tip: 'tip',
  success: 'tip',
  info: 'info',
  note: 'note',
  important: 'note',
  warning: 'warning',
  caution: 'warning',
  danger: 'danger',
  details: 'details'
}

/**
 * Wrap custom containers into labelled boxes (`<div class="zh-container
 * zh-container-tip">` with a `<p class="zh-container-title">`, or
 * `<details>` with a `<summary>`), in place. An opening line without its
 * closing line is left as the text it is.
 *
 * @param tree Body tree (converted).
 * @param locale Locale of the page, for default labels.
 */
export function wrapContainers(tree: Root, locale: Locale): void {
  wrapIn(tree, locale)
}

function wrapIn(parent: Parent, locale: Locale): void {
  const children = parent.children as Array<RootContent>
  for (let index = 0; index < children.length; index++) {
    const node = children[index]!
    if (isShortcodes(node)) {
      // Hugo renders them; zhpress's pages have nothing to show for them (the Markdown outputs keep them).
      children.splice(index--, 1)
      continue
    }

    if (node.type === 'blockquote' && node.data?.admonition) {
      styleAdmonition(node, locale)
      wrapIn(node, locale)
      continue
    }

    if (node.type === 'blockquote') wrapAlert(node, locale)
    const open = node.type === 'paragraph' ? openingOf(node) : undefined
    if (!open) {
      if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') wrapIn(node as Parent, locale)
      continue
    }

    const close = findClosing(children, index)
    if (!close) continue
    const paragraph = node as Paragraph
    const inner: Array<RootContent> = []
    // What follows the opening line in its paragraph.
    const first = removeFirstLine(paragraph)
    if (close.index === index) {
      removeLastLine(paragraph)
      if (first) inner.push(paragraph)
    } else {
      if (first) inner.push(paragraph)
      inner.push(...children.slice(index + 1, close.index))
      const last = children[close.index] as Paragraph
      removeLastLine(last)
      if (last.children.length > 0) inner.push(last)
    }

    const kind = kindOf[open.name.toLowerCase()] ?? 'info'
    const label = open.label || convertText(labels[open.name.toLowerCase()] ?? labels.info!, {from: 'zh-Hant', to: locale, quotes: 'keep'})
    const title: Paragraph = {
      type: 'paragraph',
      children: [{type: 'text', value: label}],
      data: {hName: kind === 'details' ? 'summary' : 'p', hProperties: kind === 'details' ? {} : {className: ['zh-container-title']}}
    }
    wrapIn({type: 'root', children: inner} as Root, locale)
    const box = {
      type: 'blockquote',
      children: [title, ...inner],
      data: {hName: kind === 'details' ? 'details' : 'div', hProperties: kind === 'details' ? {} : {className: ['zh-container', `zh-container-${kind}`]}}
    } as unknown as RootContent
    children.splice(index, close.index - index + 1, box)
  }
}

/**
 * Make a block quote that opens with `[!NOTE]` (`[!TIP]`, `[!IMPORTANT]`,
 * `[!WARNING]`, `[!CAUTION]`) on a line of its own a labelled box, in place.
 */
function wrapAlert(quote: Blockquote, locale: Locale): void {
  const paragraph = quote.children[0]
  const first = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined
  if (first?.type !== 'text') return
  const match = alertLine.exec(first.value.split('\n')[0]!)
  if (!match) return
  const name = match[1]!.toLowerCase()
  if (!removeFirstLine(paragraph as Paragraph)) quote.children.shift()
  const label = convertText(alertLabels[name]!, {from: 'zh-Hant', to: locale, quotes: 'keep'})
  quote.children.unshift({type: 'paragraph', children: [{type: 'text', value: label}], data: {hName: 'p', hProperties: {className: ['zh-container-title']}}} as Paragraph)
  quote.data = {...quote.data, hName: 'div', hProperties: {className: ['zh-container', `zh-container-${alertKinds[name]!}`]}}
}

/**
 * Give an MkDocs admonition (see `admonitions.ts`) its box, in place: `!!!`
 * a labelled box like a container's, `???` a closed `<details>`, `???+` and
 * a content tab (`=== "標籤"`, shown one after another) an open one. The
 * title is the one written, else the type's label in the page's locale;
 * `""` means none (a `<details>` still needs its summary: the label).
 */
function styleAdmonition(quote: Blockquote, locale: Locale): void {
  const {marker, kind: name, untitled} = quote.data!.admonition!
  const folded = marker !== '!!!'
  const kind = kindOf[name] ?? admonitionKinds[name] ?? 'info'
  const first = quote.children[0]
  let title = first?.type === 'paragraph' && first.data?.admonitionTitle ? first : undefined
  if (!title && (folded || !untitled)) {
    const label = convertText(labels[name] ?? admonitionLabels[name] ?? labels.info!, {from: 'zh-Hant', to: locale, quotes: 'keep'})
    title = {type: 'paragraph', children: [{type: 'text', value: name === 'tab' ? '' : label}]}
    quote.children.unshift(title)
  }

  if (title) {
    const index = quote.children.indexOf(title)
    quote.children[index] = {...title, data: {...title.data, hName: folded ? 'summary' : 'p', hProperties: folded ? {} : {className: ['zh-container-title']}}}
  }

  quote.data = {
    ...quote.data,
    hName: folded ? 'details' : 'div',
    hProperties: folded ? (marker === '???' ? {} : {open: true}) : {className: ['zh-container', `zh-container-${kind}`]}
  }
}

function isShortcodes(node: RootContent): boolean {
  return node.type === 'paragraph' && node.children.length === 1 && node.children[0]!.type === 'text' && shortcodes.test(node.children[0].value)
}

function openingOf(paragraph: Paragraph): {name: string; label: string} | undefined {
  const first = paragraph.children[0]
  if (first?.type !== 'text') return undefined
  const line = first.value.split('\n')[0]!
  const match = opening.exec(line)
  if (!match) return undefined
  // The label may continue past the first text node (`::: tip **重要**`): keep it simple, text only.
  return {name: match[1] ?? match[3]!, label: (match[2] ?? '').trim()}
}

function findClosing(children: ReadonlyArray<RootContent>, from: number): {index: number} | undefined {
  for (let index = from; index < children.length; index++) {
    const node = children[index]!
    if (index > from && node.type === 'paragraph' && openingOf(node)) return undefined
    if (node.type !== 'paragraph') continue
    const last = node.children.at(-1)
    if (last?.type !== 'text') continue
    const lines = last.value.split('\n')
    if (index === from && node.children.length === 1 && lines.length < 2) continue
    if (closing.test(lines.at(-1)!)) return {index}
  }

  return undefined
}

/** Remove the opening line; returns whether the paragraph keeps some content. */
function removeFirstLine(paragraph: Paragraph): boolean {
  const first = paragraph.children[0] as Text
  const newline = first.value.indexOf('\n')
  if (newline === -1) {
    paragraph.children.shift()
    // A soft break after the opening line is a line ending inside the next text node.
    const next = paragraph.children[0]
    if (next?.type === 'text') next.value = next.value.replace(/^\n/, '')
  } else {
    first.value = first.value.slice(newline + 1)
  }

  return paragraph.children.length > 0 && !(paragraph.children.length === 1 && paragraph.children[0]!.type === 'text' && (paragraph.children[0] as Text).value.trim() === '')
}

function removeLastLine(paragraph: Paragraph): void {
  const last = paragraph.children.at(-1) as Text
  const newline = last.value.lastIndexOf('\n')
  if (newline === -1) paragraph.children.pop()
  else last.value = last.value.slice(0, newline)
  const tail = paragraph.children.at(-1)
  if (tail?.type === 'text') tail.value = tail.value.replace(/\n$/, '')
  if (tail?.type === 'break') paragraph.children.pop()
}
