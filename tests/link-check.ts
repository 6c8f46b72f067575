/**
 * An independent link checker over built HTML pages (parse5, via
 * hast-util-from-html): what a reader's click finds, not what the build
 * believes.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {visit} from 'unist-util-visit'
import {listFiles} from './helpers.ts'

const read = (folder: string, name: string) => fs.readFile(path.join(folder, name), 'utf8')

interface Broken {
  page: string
  href: string
  problem: string
}

/**
 * Every internal link and image of every HTML page below `html`: the file it
 * points at must exist, and so must the element its fragment names.
 */
export async function checkLinks(html: string): Promise<{checked: number; broken: Array<Broken>}> {
  const pages = (await listFiles(html)).filter((name) => name.endsWith('.html'))
  const trees = new Map<string, Root>()
  for (const name of pages) trees.set(name, fromHtml(await read(html, name)))
  const broken: Array<Broken> = []
  const pending: Array<Promise<void>> = []
  let checked = 0
  for (const [name, tree] of trees) {
    visit(tree, 'element', (node: Element) => {
      const url = node.tagName === 'a' ? node.properties.href : node.tagName === 'img' ? node.properties.src : undefined
      if (typeof url !== 'string' || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return
      checked++
      const [pathAndQuery = '', fragment] = url.split('#') as [string, string | undefined]
      const target = pathAndQuery.split('?')[0]!
      const file = target === '' ? name : path.posix.normalize(path.posix.join(path.posix.dirname(name), decodeURI(target)))
      if (file.startsWith('..')) return void broken.push({page: name, href: url, problem: 'leaves the site'})
      if (!pages.includes(file) && !fragment) {
        pending.push(fs.access(path.join(html, file)).catch(() => void broken.push({page: name, href: url, problem: 'no such file'})))
        return
      }

      const targetTree = trees.get(file)
      if (!targetTree) return void broken.push({page: name, href: url, problem: 'no such page'})
      if (fragment === undefined || fragment === '') return
      // HTML's indicated part of the document: the fragment as written first, then percent-decoded.
      const id = decodeURIComponent(fragment)
      let found = false
      visit(targetTree, 'element', (element: Element) => {
        for (const wanted of [fragment, id]) if (element.properties.id === wanted || element.properties.name === wanted) found = true
      })
      if (!found) broken.push({page: name, href: url, problem: `no element with id ${id}`})
    })
  }

  await Promise.all(pending)
  return {checked, broken}
}
