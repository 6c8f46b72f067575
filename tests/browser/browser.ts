/**
 * Browser test helpers: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), and a tiny static server on 127.0.0.1 that serves a
 * built `html/` folder under a sub-path.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {chromium, type BrowserContext} from 'playwright-core'

/** Chromium to drive: `CHROMIUM_PATH`, or Debian's package. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where screenshots go (gitignored). */
export const screenshots = path.resolve(import.meta.dirname, '..', '.output', 'screenshots')

export interface Browser {
  context: BrowserContext
  close: () => Promise<void>
}

/**
 * Launch Chromium headless with a fresh profile.
 *
 * @returns A browser context and a function that closes it and removes the profile.
 */
export async function launch(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    // A missing browser is a failure, never a skip: CI installs it (.ci/run).
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's (\`apt-get install chromium fonts-noto-cjk\`) or set CHROMIUM_PATH`
    )
  }

  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'zhpress-chromium-'))
  // launchPersistentContext is how playwright takes --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: {width: 1280, height: 900}
  })
  return {
    context,
    async close() {
      await context.close()
      await fsp.rm(profile, {recursive: true, force: true})
    }
  }
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png'
}

export interface Server {
  /** Origin, `http://127.0.0.1:PORT`. */
  origin: string
  /** URL of the served folder, ending in `/`. */
  base: string
  close: () => Promise<void>
}

/**
 * Serve a folder from 127.0.0.1 under a sub-path.
 *
 * @param folder The folder (a built `html/`).
 * @param prefix Sub-path it is published under, `/site/`.
 */
export async function serve(folder: string, prefix = '/site/'): Promise<Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let name = decodeURIComponent(url.pathname)
    if (!name.startsWith(prefix)) return void response.writeHead(404).end()
    name = name.slice(prefix.length)
    if (name === '' || name.endsWith('/')) name += 'index.html'
    const file = path.resolve(folder, name)
    if (!file.startsWith(folder + path.sep)) return void response.writeHead(403).end()
    fs.readFile(file, (error, data) => {
      if (error) return void response.writeHead(404).end()
      response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'}).end(data)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    base: origin + prefix,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
