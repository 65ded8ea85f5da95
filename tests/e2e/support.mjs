// Shared set-up for the browser tests: a static server over the built site and Debian's
// Chromium driven by playwright-core. Records every request so tests can fail on a request to
// another host, on a 404 and on console errors.
import { createServer } from 'node:http'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('../..', import.meta.url))
// E2E_DIST lets a second checkout test its own build (npx vitepress build --outDir <dir>).
export const distDir = process.env.E2E_DIST ?? join(root, '.vitepress', 'dist')

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.txt': 'text/plain', '.md': 'text/plain',
}

/** Finds Chromium: $CHROMIUM_PATH, then Debian's /usr/bin/chromium. Fails loudly otherwise. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
  const found = candidates.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      'No Chromium found for the browser tests. Install Debian\'s Chromium with\n' +
      '  sudo apt-get update && sudo apt-get install -y chromium\n' +
      'or set CHROMIUM_PATH to a Chromium/Chrome executable. (npx playwright install cannot download browsers here.)',
    )
  }
  return found
}

/** Serves the built site on 127.0.0.1 with VitePress clean URLs. */
export async function startServer() {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`No built site in ${distDir}: run "npm run build" first (npm test does it).`)
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '')
    if (path.includes('..')) {
      res.writeHead(400).end()
      return
    }
    let file = join(distDir, path)
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
    else if (!existsSync(file) && existsSync(file + '.html')) file += '.html'
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/html' })
      createReadStream(join(distDir, '404.html')).pipe(res)
      return
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size })
    createReadStream(file).pipe(res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return { server, baseUrl: `http://127.0.0.1:${port}` }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

/**
 * A page that records console errors, uncaught exceptions, failed responses (>= 400) and every
 * request to a host other than the local server. External requests are aborted, never sent.
 */
export async function openPage(browser, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const log = { consoleErrors: [], pageErrors: [], external: [], failed: [] }
  const origin = new URL(baseUrl).origin
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith(origin)) return route.continue()
    log.external.push(url)
    return route.abort()
  })
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => log.pageErrors.push(String(err)))
  page.on('response', (res) => {
    if (res.status() >= 400) log.failed.push(`${res.status()} ${res.url()}`)
  })
  return { page, context, log }
}

/**
 * Opens chapter 5.1 and brings one of its figures into view. Figures start only when scrolled
 * near (demos/shared/when-visible.ts), so nothing else on the page is waited for; the scroll is
 * repeated once in case a figure above changed height while the page settled.
 */
export async function openChapterFigure(page, baseUrl, testId) {
  await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
  const figure = page.locator(`[data-testid="${testId}"]`)
  await figure.scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await figure.scrollIntoViewIfNeeded()
}

/**
 * Serves the built site, opens `path` in a fresh page, scrolls figure `testId` into view and waits
 * for its data-state to be 'ready'. Returns the page, its log (see openPage) and close().
 */
export async function openFigurePage(path, testId, timeout = 120_000) {
  const { server, baseUrl } = await startServer()
  const browser = await launchBrowser()
  const { page, context, log } = await openPage(browser, baseUrl)
  await page.goto(baseUrl + path, { waitUntil: 'load' })
  await page.locator(`[data-testid="${testId}"]`).scrollIntoViewIfNeeded()
  await page.waitForFunction((x) => document.querySelector(`[data-testid="${x}"]`)?.getAttribute('data-state') === 'ready', testId, { timeout })
  return {
    page, log, baseUrl,
    async close() {
      await context.close()
      await browser.close()
      server.close()
    },
  }
}
