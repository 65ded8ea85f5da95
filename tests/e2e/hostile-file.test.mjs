// A hostile DICOM opened as the reader's own file: tag values that hold HTML and script are shown
// as text in the header inspector, nothing in them runs, and the page keeps working.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openChapterFigure, openPage, startServer } from './support.mjs'
import { readFileSync } from 'node:fs'

let server, baseUrl, browser

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  server?.close()
})

// Made by tests/e2e/fixtures/make-hostile-dicom.ts (PatientName and SeriesDescription hold HTML).
const PAYLOAD_NAME = '<img src=x onerror="window.__xss=1">'
const PAYLOAD_DESCRIPTION_START = '<b id="pwn">'
const HOSTILE = readFileSync(new URL('./fixtures/hostile-html.dcm', import.meta.url))

describe('hostile DICOM in the window/level figure', () => {
  it('shows HTML in tag values as text, runs none of it, and keeps the page working', async () => {
    const { page, context, log } = await openPage(browser, baseUrl)
    let dialogs = 0
    page.on('dialog', (d) => { dialogs++; void d.dismiss() })
    await openChapterFigure(page, baseUrl, 'wl-demo')
    const fig = page.locator('[data-testid="wl-demo"]')
    await fig.locator('[data-testid="figure-file-input"]').setInputFiles({ name: 'hostile', mimeType: '', buffer: HOSTILE })
    await page.waitForFunction(() => document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 })
    const header = fig.locator('[data-testid="wl-header"]')
    await header.locator('summary').click()
    await header.locator('table').waitFor({ timeout: 30_000 })
    const text = await header.innerText()
    assert.ok(text.includes(PAYLOAD_NAME), 'PatientName is shown literally')
    assert.ok(text.includes(PAYLOAD_DESCRIPTION_START), 'SeriesDescription is shown literally')
    assert.equal(await page.locator('#pwn').count(), 0, 'no element was created from a tag value')
    assert.equal(await page.locator('img[src="x"]').count(), 0)
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script from a tag value ran')
    assert.equal(dialogs, 0)
    // The page still works: the figure answers a preset change.
    assert.equal(await fig.getAttribute('data-state'), 'ready')
    assert.deepEqual(log.pageErrors, [])
    await context.close()
  })
})
