/**
 * Chinese Wikipedia's conversion groups (CGroup): a Lua module such as
 * `Module:CGroup/IT` lists items
 * `{ type = 'item', original = 'Memory', rule = 'zh-cn:内存; zh-tw:記憶體;' }`.
 * They become glossary entries: every form of an item converts to the
 * variant's form, as the group's `-{H|…}-` rules do on Wikipedia.
 */
import luaparse from 'luaparse'
import {stringify} from 'yaml'
import {parseRule, type Variant} from './rules.ts'

/** One item of a conversion group. */
export interface CGroupItem {
  /** The item's `original` (often the English name), when given. */
  original?: string
  /** Two-way forms, in written order. */
  variants: Array<Variant>
  /** 1-based line of the item in the module. */
  line: number
}

/** An item that cannot become a glossary entry. */
export interface CGroupProblem {
  line: number
  column: number
  reason: string
}

interface LuaNode {
  type: string
  loc?: {start: {line: number; column: number}}
  [key: string]: unknown
}

/**
 * Read the items of a CGroup Lua module.
 *
 * @param text The module's source.
 * @returns Its items, and the problems of items that are not rules
 *   (a Lua syntax error is one problem).
 */
export function readCGroup(text: string): {items: Array<CGroupItem>; problems: Array<CGroupProblem>} {
  const items: Array<CGroupItem> = []
  const problems: Array<CGroupProblem> = []
  let chunk: LuaNode
  try {
    chunk = luaparse.parse(text, {locations: true, comments: false, luaVersion: '5.1'}) as unknown as LuaNode
  } catch (error) {
    const {line = 1, column = 0, message} = error as {line?: number; column?: number; message: string}
    problems.push({line, column: column + 1, reason: `not a Lua module: ${message.replace(/^\[\d+:\d+\]\s*/, '')}`})
    return {items, problems}
  }

  visit(chunk, (table) => {
    const fields = new Map<string, LuaNode>()
    for (const field of (table.fields as Array<LuaNode>) ?? []) {
      if (field.type !== 'TableKeyString') continue
      fields.set((field.key as {name: string}).name, field.value as LuaNode)
    }

    if (stringValue(fields.get('type')) !== 'item') return
    const line = table.loc?.start.line ?? 1
    const column = (table.loc?.start.column ?? 0) + 1
    const rule = stringValue(fields.get('rule'))
    if (rule === undefined) {
      problems.push({line, column, reason: 'an item without a `rule` string is skipped'})
      return
    }

    const parsed = parseRule(rule)
    const variants: Array<Variant> = [...parsed.bid].map(([variant, value]) => ({variant, text: value}))
    if (parsed.unid.size > 0) {
      problems.push({line, column, reason: `one-way rules (\`…=>zh-xx:…\`) are skipped: a glossary entry converts every form; write them as \`-{H|…}-\` in the article (${rule.trim()})`})
    }

    for (const problem of parsed.problems) problems.push({line, column, reason: problem.reason})
    if (variants.length === 0) {
      if (parsed.unid.size === 0 && parsed.problems.length === 0) problems.push({line, column, reason: `the rule \`${rule.trim()}\` has no variant value; it is skipped`})
      return
    }

    const item: CGroupItem = {variants, line}
    const original = stringValue(fields.get('original'))
    if (original !== undefined && original.trim() !== '') item.original = original.trim()
    items.push(item)
  })

  return {items, problems}
}

/**
 * Write items as `glossary.yaml` text (the `variants:` list, with each
 * item's `original` as a comment).
 *
 * @param items Items of a conversion group.
 * @param name Where they come from, for the heading comment.
 * @returns YAML text for `source/glossary.yaml`.
 */
export function cgroupToYaml(items: ReadonlyArray<CGroupItem>, name: string): string {
  let text = `# Imported from the conversion group ${name} by \`zhpress import-cgroup\`.\nvariants:\n`
  for (const item of items) {
    // One flow mapping per line, as a CGroup has one item per line; yaml quotes what needs it.
    const pairs = item.variants.map((variant) => `${variant.variant}: ${stringify(variant.text, {lineWidth: 0}).trimEnd()}`)
    text += `  - {${pairs.join(', ')}}${item.original ? ` # ${item.original.replace(/\s+/g, ' ')}` : ''}\n`
  }

  return text
}

function visit(node: unknown, onTable: (table: LuaNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, onTable)
    return
  }

  if (!node || typeof node !== 'object') return
  const lua = node as LuaNode
  if (lua.type === 'TableConstructorExpression') onTable(lua)
  for (const [key, value] of Object.entries(lua)) {
    if (key !== 'loc' && key !== 'range' && value && typeof value === 'object') visit(value, onTable)
  }
}

/** The value of a Lua string literal (luaparse leaves non-ASCII strings to us through `raw`). */
function stringValue(node: LuaNode | undefined): string | undefined {
  if (!node || node.type !== 'StringLiteral') return undefined
  const raw = String(node.raw)
  const long = /^\[(=*)\[\n?([\s\S]*)\]\1\]$/.exec(raw)
  if (long) return long[2]!
  return raw.slice(1, -1).replace(/\\(u\{[\da-fA-F]+\}|\d{1,3}|x[\da-fA-F]{2}|.)/gs, (_, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(Number.parseInt(escape.slice(2, -1), 16))
    if (/^\d/.test(escape)) return String.fromCharCode(Number(escape))
    if (escape.startsWith('x')) return String.fromCharCode(Number.parseInt(escape.slice(1), 16))
    return ({n: '\n', t: '\t', r: '\r', a: '\u0007', b: '\b', f: '\f', v: '\v', '\n': '\n'} as Record<string, string>)[escape] ?? escape
  })
}
