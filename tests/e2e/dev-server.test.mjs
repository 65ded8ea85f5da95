// The README's first command, `npm run dev`, serves a working site: the live chapter loads its
// CT and decodes it in the worker, with no console error and no request to another host.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
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
  dev = spawn(process.execPath, ['node_modules/vitepress/bin/vitepress.js', 'dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev server did not start:\n${output}`)), 60_000)
    const onData = (chunk) => {
      output += chunk
      if (output.includes(`:${port}`)) {
        clearTimeout(timer)
        resolve()
      }
    }
    dev.stdout.on('data', onData)
    dev.stderr.on('data', onData)
    dev.on('exit', (code) => reject(new Error(`dev server exited with ${code}:\n${output}`)))
  })
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
    await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state')), null, { timeout: 180_000 })
    const state = await page.locator('[data-testid="wl-demo"]').getAttribute('data-state')
    assert.equal(state, 'ready', await page.locator('[data-testid="wl-error"]').textContent().catch(() => ''))
    assert.match(await page.locator('[data-testid="wl-demo"]').textContent(), /512×512×\d+/)
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
    await context.close()
  })
})
