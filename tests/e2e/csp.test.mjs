// The Content-Security-Policy every page carries: only this origin, inline scripts by hash. The
// chapter with the live figures (wasm, workers, plots, diagrams) runs under it without a single
// violation, and a script injected into the page is refused.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, startServer } from './support.mjs'

let server, baseUrl, browser

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  server?.close()
})

const recordViolations = () => {
  window.__cspViolations = []
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`))
}

describe('content security policy', () => {
  it('every page sends a policy that allows only its own origin and no inline script by default', async () => {
    const { page, context } = await openPage(browser, baseUrl)
    for (const path of ['/', '/ch05/01-preprocessing', '/appendix/e-sample-data']) {
      await page.goto(baseUrl + path, { waitUntil: 'load' })
      const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'))
      assert.match(csp, /default-src 'self'/)
      assert.match(csp, /object-src 'none'/)
      const script = csp.split(';').find((d) => d.trim().startsWith('script-src'))
      assert.ok(script && !script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'") && !script.includes('*'), `script-src is strict: ${script}`)
      assert.match(script, /'sha256-[A-Za-z0-9+/=]+'/)
    }
    await context.close()
  })

  it('chapter 5.1 runs its figures with no violation, and an injected inline script does not run', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    await page.addInitScript(recordViolations)
    await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
    const ids = await page.$$eval('[data-testid$="-demo"]', (els) => els.map((e) => e.getAttribute('data-testid')))
    assert.ok(ids.length >= 5, `figures found: ${ids.join(', ')}`)
    for (const id of ids) {
      await page.locator(`[data-testid="${id}"]`).first().scrollIntoViewIfNeeded()
      await page.waitForFunction((i) => ['ready', 'error'].includes(document.querySelector(`[data-testid="${i}"]`)?.getAttribute('data-state')), id, { timeout: 180_000 })
    }
    await page.locator('[data-testid="mermaid"] svg').first().waitFor({ timeout: 60_000 })
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'no CSP violation while the figures ran')
    for (const id of ids) assert.notEqual(await page.getAttribute(`[data-testid="${id}"]`, 'data-state'), 'error', `${id} ended in error`)
    const ran = await page.evaluate(async () => {
      window.__injected = false
      const s = document.createElement('script')
      s.textContent = 'window.__injected = true'
      document.body.appendChild(s)
      await new Promise((r) => setTimeout(r, 100))
      return window.__injected
    })
    assert.equal(ran, false, 'an injected inline script must not run')
    assert.ok((await page.evaluate(() => window.__cspViolations)).some((v) => v.startsWith('script-src')), 'the refusal is reported as a script-src violation')
    assert.deepEqual(log.pageErrors, [])
    await context.close()
  })
})
