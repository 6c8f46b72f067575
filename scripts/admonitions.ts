/**
 * MkDocs' admonitions and content tabs (Python-Markdown's `admonition`,
 * PyMdown's `details` and `tabbed`, as Material for MkDocs sites write them):
 *
 * ```markdown
 * !!! note "標題"
 *     四個空格縮排的內容。
 *
 * ???+ example
 *     可摺疊，預設展開。
 *
 * === "Python"
 *     分頁的內容。
 * ```
 *
 * CommonMark reads the opening line as a paragraph and the indented content
 * as code. This is a micromark container, as a block quote or a footnote
 * definition is: the opening line (marker, type, quoted title) starts it,
 * and it goes on over blank lines and lines indented by four spaces (or a
 * tab). In the tree it is a `blockquote` whose `data.admonition` says what
 * it is, with the title as its first paragraph (`data.admonitionTitle`);
 * the title's text is ordinary text with its source positions, so it is
 * converted like the rest, and the Markdown outputs keep the syntax as
 * written. `containers.ts` gives the box its look in the page's locale.
 */
import type {Blockquote, Paragraph} from 'mdast'
import type {CompileContext, Extension as FromMarkdownExtension, Token as MdastToken} from 'mdast-util-from-markdown'
import {blankLine} from 'micromark-core-commonmark'
import {factorySpace} from 'micromark-factory-space'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import type {Code, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/** What an admonition is, on its `blockquote`. */
export interface Admonition {
  /** `!!!` (always open), `???` (folded), `???+` (foldable, open), `===` (a content tab). */
  marker: '!!!' | '???' | '???+' | '==='
  /** The type (`note`, `warning`…, lowercased); `tab` for a content tab. */
  kind: string
  /** `""` was written: no title at all. */
  untitled?: boolean
}

declare module 'mdast' {
  interface BlockquoteData {
    /** An MkDocs admonition or content tab (see `scripts/admonitions.ts`). */
    admonition?: Admonition
  }

  interface ParagraphData {
    /** The title line of an admonition. */
    admonitionTitle?: boolean
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    admonition: 'admonition'
    admonitionMarker: 'admonitionMarker'
    admonitionKind: 'admonitionKind'
    admonitionClasses: 'admonitionClasses'
    admonitionTitle: 'admonitionTitle'
    admonitionTitleQuote: 'admonitionTitleQuote'
    admonitionTitleClose: 'admonitionTitleClose'
    admonitionIndent: 'admonitionIndent'
    admonitionRest: 'admonitionRest'
  }
}

const exclamation = 33
const quote = 34
const plus = 43
const equals = 61
const question = 63
const tab = 9

const isWordCode = (code: Code) =>
  code !== null && ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45)

const admonitionConstruct = {name: 'admonition', tokenize: tokenizeStart, continuation: {tokenize: tokenizeContinuation}, exit: exitAdmonition}

/**
 * The micromark extension: the opening lines `!!!`, `???`, `???+` and `===`.
 *
 * @returns The syntax extension.
 */
export function admonitionSyntax(): Extension {
  return {document: {[exclamation]: admonitionConstruct, [question]: admonitionConstruct, [equals]: admonitionConstruct}}
}

function tokenizeStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let markerCode: Code = null
  let markerSize = 0
  /** How many `"` the title line holds after the opening one: the last is the closing one. */
  let quotesAfter = 0
  let seen = 0
  const kind = wordRun('admonitionKind')
  const classes = wordRun('admonitionClasses')
  return start

  function start(code: Code): State | undefined {
    markerCode = code
    effects.enter('admonition', {_container: true})
    effects.enter('admonitionMarker')
    return marker(code)
  }

  function marker(code: Code): State | undefined {
    if (code === markerCode && markerSize < 3) {
      markerSize++
      effects.consume(code)
      return marker
    }

    if (markerSize < 3) return nok(code)
    // `???+` opens a folded box open; `===+`/`===!` select a tab or start a new set.
    if ((markerCode === question && code === plus) || (markerCode === equals && (code === plus || code === exclamation))) {
      effects.consume(code)
      return markerEnd
    }

    return markerEnd(code)
  }

  function markerEnd(code: Code): State | undefined {
    effects.exit('admonitionMarker')
    if (markerCode === equals) return markdownSpace(code) ? factorySpace(effects, titleOpen, 'whitespace')(code) : titleOpen(code)
    // Python-Markdown takes `!!!note` as well as `!!! note`.
    return markdownSpace(code) ? factorySpace(effects, kindStart, 'whitespace')(code) : kindStart(code)
  }

  function kindStart(code: Code): State | undefined {
    if (!isWordCode(code)) return nok(code)
    effects.enter('admonitionKind')
    return kind(code)
  }

  /** A run of word characters as one token of `type` (opened by the caller), then {@link afterKind}. */
  function wordRun(type: 'admonitionKind' | 'admonitionClasses'): State {
    const run = (code: Code): State | undefined => {
      if (isWordCode(code)) {
        effects.consume(code)
        return run
      }

      effects.exit(type)
      return afterKind(code)
    }

    return run
  }

  /** After the type: more class names, a title, or the end of the line. */
  function afterKind(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return ok(code)
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, afterSpace, 'whitespace')(code)
  }

  function afterSpace(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return ok(code)
    if (code === quote) return titleOpen(code)
    if (!isWordCode(code)) return nok(code)
    effects.enter('admonitionClasses')
    return classes(code)
  }

  /** At the opening `"`: the line must end with the closing one (and spaces). */
  function titleOpen(code: Code): State | undefined {
    if (code !== quote) return nok(code)
    return effects.check({tokenize: tokenizeTitleRest, partial: true}, titleStart, nok)(code)
  }

  function tokenizeTitleRest(this: TokenizeContext, check: Effects, good: State, bad: State): State {
    let count = 0
    let closed = false
    return (code: Code) => {
      check.enter('admonitionRest')
      check.consume(code)
      return rest
    }

    function rest(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) {
        check.exit('admonitionRest')
        if (!closed) return bad(code)
        quotesAfter = count
        return good(code)
      }

      if (code === quote) {
        count++
        closed = true
      } else if (!markdownSpace(code)) {
        closed = false
      }

      check.consume(code)
      return rest
    }
  }

  function titleStart(code: Code): State | undefined {
    effects.enter('admonitionTitleQuote')
    effects.consume(code)
    effects.exit('admonitionTitleQuote')
    return titleFirst
  }

  function titleFirst(code: Code): State | undefined {
    if (code === quote && quotesAfter === 1) return titleClose(code)
    effects.enter('admonitionTitle')
    effects.enter('chunkText', {contentType: 'text'})
    return title(code)
  }

  function title(code: Code): State | undefined {
    if (code === quote && ++seen === quotesAfter) {
      effects.exit('chunkText')
      effects.exit('admonitionTitle')
      return titleClose(code)
    }

    effects.consume(code)
    return title
  }

  function titleClose(code: Code): State | undefined {
    effects.enter('admonitionTitleClose')
    effects.consume(code)
    effects.exit('admonitionTitleClose')
    return factorySpace(effects, lineEnd, 'whitespace')
  }

  function lineEnd(code: Code): State | undefined {
    return code === null || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/** A blank line, or a line indented by four spaces or a tab, goes on. */
function tokenizeContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return effects.check(blankLine, ok, effects.attempt({tokenize: tokenizeIndent, partial: true}, ok, nok))
}

function tokenizeIndent(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return factorySpace(effects, afterPrefix, 'admonitionIndent', 4 + 1)

  function afterPrefix(code: Code): State | undefined {
    const tail = self.events.at(-1)
    if (!tail || tail[1].type !== 'admonitionIndent') return nok(code)
    // Tabs are expanded: a tab at the start of the line is four spaces.
    return tail[2].sliceSerialize(tail[1], true) === '    ' ? ok(code) : nok(code)
  }
}

function exitAdmonition(this: TokenizeContext, effects: Effects): undefined {
  effects.exit('admonition')
}

/**
 * The tree: a `blockquote` with `data.admonition`, its title a first
 * paragraph with `data.admonitionTitle`.
 *
 * @returns The mdast extension.
 */
export function admonitionFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      admonition(this: CompileContext, token: MdastToken) {
        const node: Blockquote = {type: 'blockquote', children: [], data: {admonition: {marker: '!!!', kind: ''}}}
        this.enter(node, token)
      },
      admonitionTitle(this: CompileContext, token: MdastToken) {
        const node: Paragraph = {type: 'paragraph', children: [], data: {admonitionTitle: true}}
        this.enter(node, token)
      }
    },
    exit: {
      admonition(this: CompileContext, token: MdastToken) {
        this.exit(token)
      },
      admonitionMarker(this: CompileContext, token: MdastToken) {
        const admonition = current(this)
        const marker = this.sliceSerialize(token)
        admonition.marker = marker.startsWith('=') ? '===' : marker === '???+' ? '???+' : marker === '???' ? '???' : '!!!'
        // A tab's quotes may hold nothing: `=== ""` is still a tab.
        if (admonition.marker === '===') admonition.kind = 'tab'
      },
      admonitionKind(this: CompileContext, token: MdastToken) {
        current(this).kind = this.sliceSerialize(token).toLowerCase()
      },
      admonitionTitle(this: CompileContext, token: MdastToken) {
        this.exit(token)
      },
      admonitionTitleClose(this: CompileContext) {
        // The closing quote and no title paragraph before it: `""`.
        if ((this.stack.at(-1) as Blockquote).children.length === 0) current(this).untitled = true
      }
    }
  }

  function current(context: CompileContext): Admonition {
    const node = context.stack.at(-1) as Blockquote
    return node.data!.admonition!
  }
}

/**
 * unified plugin: parse admonitions and content tabs.
 */
export function remarkAdmonitions(this: Processor): void {
  const data = this.data() as {micromarkExtensions?: Array<Extension>; fromMarkdownExtensions?: Array<FromMarkdownExtension>}
  ;(data.micromarkExtensions ??= []).push(admonitionSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(admonitionFromMarkdown())
}
