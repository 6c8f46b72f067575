/**
 * Symbolic links in the source folder: followed, under their own name, when
 * their target's real path is inside the source folder; every other link is
 * a `skipped-link` warning naming it and saying why — never silently
 * skipped — and a link that leads back into its own folder does not loop.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {listSourceTree} from '../scripts/ingest.ts'
import {runCli, temporaryFolder} from './helpers.ts'

const article = (title: string, text: string) => `---\ntitle: ${title}\nlang: zh-Hans\n---\n\n${text}\n`

/** A project with links of every kind; returns the working folder. */
async function project(): Promise<string> {
  const cwd = await temporaryFolder()
  const source = path.join(cwd, 'source')
  await fs.mkdir(path.join(source, 'posts'), {recursive: true})
  await fs.mkdir(path.join(cwd, 'outside'))
  await fs.writeFile(path.join(source, 'posts', 'hair.md'), article('头发', '头发很长。'))
  await fs.writeFile(path.join(cwd, 'outside', 'secret.md'), article('外面', '外面的软件。'))
  const link = (target: string, name: string) => fs.symlink(target, path.join(source, name))
  await link('posts/hair.md', 'latest.md') // an article inside: followed
  await link('posts', 'archive') // a folder inside: followed
  await link('../outside/secret.md', 'secret.md') // outside: reported
  await link('../outside', 'elsewhere') // a folder outside: reported
  await link('nowhere.md', 'broken.md') // to nothing: reported
  await link('..', 'posts/up') // the folder holding it: a loop, reported
  await link('ring-b.md', 'ring-a.md') // links leading to each other
  await link('ring-a.md', 'ring-b.md')
  await link('/dev/zero', 'zero.md') // a device outside: reported, never read
  return cwd
}

describe('symbolic links in the source folder', () => {
  it('the listing follows links inside the source folder and lists every other one with its reason', async () => {
    const cwd = await project()
    const tree = await listSourceTree('source', cwd)
    expect(tree.articles).toEqual(['archive/hair.md', 'latest.md', 'posts/hair.md'])
    const real = await fs.realpath(cwd)
    expect(tree.links).toEqual([
      {name: 'archive/up', target: path.join(real, 'source'), problem: 'loop'},
      {name: 'broken.md', target: 'nowhere.md', problem: 'missing'},
      {name: 'elsewhere', target: path.join(real, 'outside'), problem: 'outside'},
      {name: 'posts/up', target: path.join(real, 'source'), problem: 'loop'},
      {name: 'ring-a.md', target: 'ring-b.md', problem: 'loop'},
      {name: 'ring-b.md', target: 'ring-a.md', problem: 'loop'},
      {name: 'secret.md', target: path.join(real, 'outside', 'secret.md'), problem: 'outside'},
      {name: 'zero.md', target: '/dev/zero', problem: 'outside'}
    ])
  })

  it('a build publishes the linked articles under their own names and warns about each link it does not follow', async () => {
    const cwd = await project()
    const result = await runCli(['build', '--no-cache'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    for (const name of ['latest', 'archive/hair', 'posts/hair']) {
      expect(await fs.readFile(path.join(cwd, 'dist/markdown/zh-TW', `${name}.md`), 'utf8')).toContain('頭髮很長。')
    }

    const real = await fs.realpath(cwd)
    const warnings = result.stderr.split('\n').filter((line) => line.includes('[skipped-link]') && !line.startsWith(' '))
    expect(warnings).toEqual([
      `source/archive/up:1:1 warning symbolic link not followed: it leads back to itself or to a folder that holds it (${real}/source), a loop; remove the link [skipped-link]`,
      'source/broken.md:1:1 warning symbolic link not followed: it leads to nothing (nowhere.md); remove the link or restore its target [skipped-link]',
      `source/elsewhere:1:1 warning symbolic link not followed: it leads outside the source folder (${real}/outside); zhpress reads only the source folder: copy or move what it points to into it [skipped-link]`,
      `source/posts/up:1:1 warning symbolic link not followed: it leads back to itself or to a folder that holds it (${real}/source), a loop; remove the link [skipped-link]`,
      'source/ring-a.md:1:1 warning symbolic link not followed: it leads back to itself or to a folder that holds it (ring-b.md), a loop; remove the link [skipped-link]',
      'source/ring-b.md:1:1 warning symbolic link not followed: it leads back to itself or to a folder that holds it (ring-a.md), a loop; remove the link [skipped-link]',
      `source/secret.md:1:1 warning symbolic link not followed: it leads outside the source folder (${real}/outside/secret.md); zhpress reads only the source folder: copy or move what it points to into it [skipped-link]`,
      'source/zero.md:1:1 warning symbolic link not followed: it leads outside the source folder (/dev/zero); zhpress reads only the source folder: copy or move what it points to into it [skipped-link]'
    ])
    // Nothing from outside the source folder is published.
    const published = await fs.readdir(path.join(cwd, 'dist'), {recursive: true})
    expect(published.some((name) => /secret|elsewhere|zero/.test(String(name)))).toBe(false)
    const all = await Promise.all(
      published.map(async (name) => {
        const file = path.join(cwd, 'dist', String(name))
        return (await fs.stat(file)).isFile() ? fs.readFile(file, 'utf8') : ''
      })
    )
    expect(all.some((text) => text.includes('外面'))).toBe(false)
  })

  it('check reports the same links', async () => {
    const cwd = await project()
    const result = await runCli(['check'], {cwd})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.match(/^source\/\S+:1:1 warning symbolic link not followed/gm)).toHaveLength(8)
  })
})
