// The README's first command, `npm run dev`, serves a working site: the live chapter loads its
// CT and decodes it in the worker, with no console error and no request to another host.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage } from './support.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
let dev, browser, baseUrl

function freePort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

before(async () => {
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  // `vitepress dev` is what `npm run dev` runs after `npm run data` (done by the build step of npm test).
  // Colours off: CI terminals may wrap the port number in ANSI codes. Readiness is judged by the
  // server answering HTTP, not by the text it prints.
  dev = spawn(process.execPath, ['node_modules/vitepress/bin/vitepress.js', 'dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  let output = ''
  let exited = null
  dev.stdout.on('data', (chunk) => (output += chunk))
  dev.stderr.on('data', (chunk) => (output += chunk))
  dev.on('exit', (code) => (exited = code))
  const deadline = Date.now() + 120_000
  for (;;) {
    if (exited !== null) throw new Error(`dev server exited with ${exited}:\n${output}`)
    if (Date.now() > deadline) throw new Error(`dev server did not answer on ${baseUrl} within 120 s:\n${output}`)
    const ok = await fetch(baseUrl + '/').then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 250))
  }
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  dev?.kill()
})

describe('npm run dev', () => {
  it('serves chapter 5.1 with its window/level viewer working', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
    // Figures start when they come near the viewport: bring the viewer there.
    await page.locator('[data-testid="wl-demo"]').scrollIntoViewIfNeeded()
    await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state')), null, { timeout: 180_000 })
    const state = await page.locator('[data-testid="wl-demo"]').getAttribute('data-state')
    assert.equal(state, 'ready', await page.locator('[data-testid="wl-error"]').textContent().catch(() => ''))
    // The default sample is the phantom's 256×256×72 figure copy (NIfTI), decoded in the worker.
    assert.match(await page.locator('[data-testid="wl-demo"]').textContent(), /256×256×72/)
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
    await context.close()
  })

  it('serves dependencies pre-bundled without any CDN default (offline-urls runs in the dev pre-bundling too)', () => {
    // The same hosts as OTHER_CDN in .vitepress/offline-urls.ts (and the itk-wasm CDN).
    const cdn = /https?:\/\/(?:cdn\.[a-z0-9.-]+|unpkg\.com|esm\.sh|fonts\.googleapis\.com|cdnjs\.[a-z0-9.-]+|[a-z0-9.-]*jsdelivr\.net)\//
    const deps = join(root, '.vitepress/cache/deps')
    assert.ok(existsSync(deps), 'the dev server pre-bundled its dependencies')
    const files = readdirSync(deps).filter((f) => /\.(js|map)$/.test(f))
    assert.ok(files.some((f) => f.startsWith('plotly')), `plotly is among the pre-bundled files: ${files.length} files`)
    const found = files.filter((f) => cdn.test(readFileSync(join(deps, f), 'utf8')))
    assert.deepEqual(found, [], 'pre-bundled files naming a CDN')
  })
})
