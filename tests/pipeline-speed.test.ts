/**
 * The shortcuts of the build's hot paths give what the general code gives:
 * the walker against unist-util-visit, the slug scan's pre-check against
 * parsing every front matter.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import fc from 'fast-check'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {frontmatterYaml, readFrontmatterValues} from '../scripts/frontmatter.ts'
import {scanSlug} from '../scripts/pages.ts'
import {walk} from '../scripts/walk.ts'

interface Tree {
  type: string
  children?: Array<Tree>
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{node: Tree}>((tie) => ({
  node: fc.oneof(
    {depthSize: 'small'},
    fc.record({type: fc.constantFrom('text', 'leaf')}),
    fc.record({type: fc.constantFrom('element', 'skipped', 'replaced'), children: fc.array(tie('node'), {maxLength: 4})})
  )
})).node

describe('walk', () => {
  it('visits what unist-util-visit visits, in its order, skips and replacements included', () => {
    fc.assert(
      fc.property(tree, (root) => {
        const run = (each: (copy: Tree, visitor: (node: Tree, index: number | undefined, parent: Tree | undefined) => 'skip' | undefined) => void) => {
          const copy = structuredClone(root)
          const seen: Array<string> = []
          let count = 0
          each(copy, (node, index, parent) => {
            seen.push(`${node.type}@${index ?? '-'}/${parent?.type ?? '-'}#${count++}`)
            if (node.type === 'skipped') return 'skip'
            if (node.type === 'replaced' && parent?.children && index !== undefined) {
              parent.children[index] = {type: 'leaf'}
              return 'skip'
            }

            return undefined
          })
          return {seen, copy}
        }

        const ours = run((copy, visitor) => walk(copy, visitor))
        const theirs = run((copy, visitor) => visit(copy as never, (node: Tree, index, parent) => visitor(node, index, parent as Tree | undefined)))
        expect(ours.seen).toEqual(theirs.seen)
        expect(ours.copy).toEqual(theirs.copy)
      }),
      {numRuns: 300}
    )
  })
})

/** The slug scan without its pre-check: every front matter read by the project's one reader. */
function parsedSlug(text: string): string | undefined {
  const yaml = frontmatterYaml(text)
  return yaml === undefined ? undefined : readFrontmatterValues(yaml).slug
}

describe('scanSlug', () => {
  it('finds the slug parsing every front matter finds, escapes, aliases and merges included', () => {
    const line = fc.constantFrom(
      'title: 标题',
      'slug: guide',
      'lang: zh-Hans',
      '"sl\\u0075g": escaped',
      '"sl\\x75g": escaped',
      '? slug\n: explicit',
      'base: &b {slug: aliased}',
      '<<: *b',
      'tags: [甲, 乙]',
      'slug: 12',
      'Slug: upper',
      "'slug': quoted",
      'sl: ug',
      '# slug in a comment'
    )
    fc.assert(
      fc.property(fc.array(line, {maxLength: 5}), (lines) => {
        const text = `---\n${lines.join('\n')}\n---\n\n# 正文\n`
        expect(scanSlug(text)).toBe(parsedSlug(text))
      }),
      {numRuns: 500}
    )
  })

  it('reads the slug as the article itself does: escapes, aliases, numbers; none from YAML that does not parse', () => {
    const slugOf = (yaml: string) => scanSlug(`---\n${yaml}\n---\n\n# 正文\n`)
    expect(slugOf('title: 标题\nslug: guide')).toBe('guide')
    expect(slugOf('"sl\\u0075g": escaped')).toBe('escaped')
    expect(slugOf('name: &n guide\nslug: *n')).toBe('guide')
    // YAML 1.2 has no merge keys: `<<` is a key like any other, as in the article's own parse.
    expect(slugOf('base: &b {slug: merged}\n<<: *b')).toBeUndefined()
    expect(slugOf('slug: 12')).toBe('12')
    expect(slugOf('title: 标题')).toBeUndefined()
    expect(slugOf('slug: [unclosed')).toBeUndefined()
    expect(scanSlug('# 没有前置元数据\n\nslug: guide\n')).toBeUndefined()
    // An alias bomb is refused by its expansion, not expanded.
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({length: 8}, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array.from({length: 10}, () => `*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'slug: boom']
    expect(slugOf(bomb.join('\n'))).toBeUndefined()
  })

  it('keeps none of the article alive: the slug is a string of its own, not a slice of the text', () => {
    // A slice of a V8 string holds its whole parent: the site's page map, one slug per article, kept every article.
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const slugs: Array<string | undefined> = []
    gc()
    const before = process.memoryUsage().heapUsed
    for (let index = 0; index < 40; index++) {
      // 400 KB each in memory (two-byte characters): 16 MB if the slugs held them.
      const text = `---\ntitle: 第${index}篇\nslug: article-number-${index}-of-forty\n---\n\n` + '正文内容'.repeat(50_000) + String(index)
      slugs.push(scanSlug(text))
    }

    gc()
    const after = process.memoryUsage().heapUsed
    expect(slugs[7]).toBe('article-number-7-of-forty')
    expect(after - before).toBeLessThan(4_000_000)
  })
})
