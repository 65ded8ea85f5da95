// The whole site, in Chromium: every page reachable from "/" loads without a 404, a console
// error or a request to another host; search, dark mode, math and live mermaid diagrams work.
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

describe('site', () => {
  it('reaches every page of the book from the home page, with no 404, console error or external request', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    const seen = new Set(['/'])
    const queue = ['/']
    const pages = []
    while (queue.length) {
      const path = queue.shift()
      const response = await page.goto(baseUrl + path, { waitUntil: 'load' })
      assert.equal(response.status(), 200, `${path} answered ${response.status()}`)
      pages.push(path)
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))
      for (const href of links) {
        if (!href || href.startsWith('#') || /^[a-z]+:/i.test(href)) continue
        const url = new URL(href, baseUrl + path)
        const p = url.pathname.replace(/\.html$/, '')
        // Only pages: data files linked from pages are checked by fetching them below.
        if (/\.[a-z0-9]+$/i.test(p) && !p.endsWith('.html')) {
          const r = await page.request.get(baseUrl + p)
          assert.ok(r.ok(), `${p} linked from ${path} answered ${r.status()}`)
          continue
        }
        if (!seen.has(p)) {
          seen.add(p)
          queue.push(p)
        }
      }
    }
    // Every page of the sidebar (the book's outline) was reached from the home page.
    await page.goto(baseUrl + '/guide/', { waitUntil: 'load' })
    const outline = await page.$$eval('.VPSidebar a[href]', (as) => as.map((a) => new URL(a.href).pathname.replace(/\.html$/, '')))
    assert.ok(outline.length >= 30, `the sidebar lists ${outline.length} pages`)
    for (const p of outline) assert.ok(pages.includes(p), `${p} is in the sidebar but not reachable from /`)
    assert.ok(pages.includes('/ch05/01-preprocessing'), 'the live chapter is linked from the site')
    assert.deepEqual(log.failed, [], 'responses with errors')
    assert.deepEqual(log.external, [], 'requests to other hosts')
    assert.deepEqual(log.pageErrors, [], 'uncaught exceptions')
    assert.deepEqual(log.consoleErrors, [], 'console errors')
    await context.close()
  })

  it('draws mermaid diagrams live as SVG and typesets math', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    await page.goto(baseUrl + '/guide/', { waitUntil: 'load' })
    const diagram = page.locator('[data-testid="mermaid"] svg')
    await diagram.first().waitFor({ timeout: 30_000 })
    const labels = await page.locator('[data-testid="mermaid"]').first().textContent()
    assert.match(labels, /readDicomSeries/, 'the diagram text is rendered from the markdown source')
    assert.ok((await page.locator('mjx-container').count()) > 0, 'math is typeset')
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.consoleErrors, [])
    await context.close()
  })

  it('finds the windowing chapter with the local search', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    await page.goto(baseUrl + '/', { waitUntil: 'load' })
    await page.locator('.VPNavBarSearch button').first().click()
    await page.locator('.VPLocalSearchBox input').fill('Hounsfield')
    const result = page.locator('.VPLocalSearchBox .result').first()
    await result.waitFor({ timeout: 15_000 })
    const text = await page.locator('.VPLocalSearchBox .results').textContent()
    assert.match(text, /Preprocessing/)
    assert.deepEqual(log.external, [])
    await context.close()
  })

  it('switches to dark mode and keeps it', async () => {
    const { page, context } = await openPage(browser, baseUrl)
    await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
    const before = await page.evaluate(() => document.documentElement.classList.contains('dark'))
    await page.locator('.VPNavBarAppearance button, .VPSwitchAppearance').first().click()
    const afterToggle = await page.evaluate(() => document.documentElement.classList.contains('dark'))
    assert.notEqual(afterToggle, before)
    await page.reload({ waitUntil: 'load' })
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), afterToggle)
    await context.close()
  })
})
