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

  it('every page offers "Edit this page" and "Last updated"; the contents follow each page\'s frontmatter status; the 404 page helps', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    await page.goto(baseUrl + '/ch03/01-analytic-recon', { waitUntil: 'load' })
    const edit = page.locator('.VPDocFooter .edit-link a')
    assert.match(await edit.getAttribute('href'), /^https:\/\/github\.com\/[^/]+\/[^/]+\/edit\/[^/]+\/docs\/ch03\/01-analytic-recon\.md$/)
    assert.match(await edit.textContent(), /Edit this page/)
    assert.match(await page.locator('.VPLastUpdated').textContent(), /Last updated/)
    // Home contents: 'live' for status: ready, 'coming soon' for status: draft.
    await page.goto(baseUrl + '/', { waitUntil: 'load' })
    const badge = (link) => page.locator(`.book-contents li:has(a[href="${link}"]) span`).textContent()
    assert.equal((await badge('/ch05/01-preprocessing')).trim(), 'live')
    assert.equal((await badge('/ch04/01-setup')).trim(), 'coming soon')
    // A mistyped address: the 404 page points to search and lists the contents.
    const r = await page.goto(baseUrl + '/ch05/01-preprocesing', { waitUntil: 'load' })
    assert.equal(r.status(), 404)
    const notFound = page.locator('[data-testid="not-found"]')
    await notFound.waitFor({ timeout: 15_000 })
    assert.match(await notFound.textContent(), /Search with/)
    assert.ok(await notFound.locator('.book-contents a[href="/ch05/01-preprocessing"]').count() === 1, 'the 404 page lists the chapters')
    assert.deepEqual(log.external, [])
    await context.close()
  })

  it('mermaid diagrams stay readable on a 390 px phone: labels >= 11 px, the page itself does not scroll sideways', async () => {
    const { page, context } = await openPage(browser, baseUrl)
    await page.setViewportSize({ width: 390, height: 844 })
    for (const path of ['/guide/', '/ch05/01-preprocessing']) {
      await page.goto(baseUrl + path, { waitUntil: 'load' })
      const diagram = page.locator('[data-testid="mermaid"] svg').first()
      await diagram.scrollIntoViewIfNeeded()
      await diagram.waitFor({ timeout: 30_000 })
      const { smallest, pageOverflow } = await page.evaluate(() => {
        const svg = document.querySelector('[data-testid="mermaid"] svg')
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
        const labels = [...svg.querySelectorAll('.nodeLabel, .edgeLabel, text')].filter((el) => el.textContent.trim())
        const sizes = labels.map((el) => parseFloat(getComputedStyle(el).fontSize) * scale)
        return { smallest: Math.min(...sizes), pageOverflow: document.documentElement.scrollWidth - window.innerWidth }
      })
      assert.ok(smallest >= 11, `${path}: smallest diagram label ${smallest.toFixed(1)} px at 390 px width`)
      assert.ok(pageOverflow <= 0, `${path}: the page is ${pageOverflow} px wider than the phone`)
    }
    await context.close()
  })
})
