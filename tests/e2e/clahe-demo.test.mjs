// Chapter 5.1's CLAHE figure: sliders drive OpenCV-style CLAHE on the page; the clip limit in
// counts is checked against OpenCV's formula computed here.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, startServer, openChapterFigure } from './support.mjs'

let server, baseUrl, browser, page, context, log

async function waitReady() {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="clahe-demo"]')?.getAttribute('data-state')
    return s === 'ready' || s === 'error'
  }, null, { timeout: 60_000 })
  assert.equal(await page.locator('[data-testid="clahe-demo"]').getAttribute('data-state'), 'ready')
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/** Sum of grey values of a canvas, a cheap fingerprint of what it shows. */
function fingerprint(testId) {
  return page.locator(`[data-testid="${testId}"]`).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let s = 0
    for (let i = 0; i < d.length; i += 4) s += d[i] * ((i >> 2) % 7 + 1)
    return s
  })
}

async function setSlider(testId, value) {
  await page.locator(`[data-testid="${testId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await openChapterFigure(page, baseUrl, 'clahe-demo')
  await waitReady()
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 CLAHE figure', () => {
  it('states the clip limit in counts as OpenCV computes it', async () => {
    const [w, h] = await page.locator('[data-testid="clahe-result"]').evaluate((c) => [c.width, c.height])
    for (const [clip, gx, gy] of [[2, 8, 8], [4.5, 3, 5], [0.1, 16, 16]]) {
      await setSlider('clahe-clip', clip)
      await setSlider('clahe-tiles-x', gx)
      await setSlider('clahe-tiles-y', gy)
      const expected = Math.max(Math.trunc((clip * Math.ceil(w / gx) * Math.ceil(h / gy)) / 256), 1)
      const text = await page.locator('[data-testid="clahe-explain"]').textContent()
      assert.match(text, new RegExp(`clipped at ${expected} pixels`), `${clip} ${gx}×${gy}: ${text}`)
    }
  })

  it('changes only the CLAHE panel when the parameters move', async () => {
    await setSlider('clahe-clip', 2)
    await setSlider('clahe-tiles-x', 8)
    await setSlider('clahe-tiles-y', 8)
    const before = await Promise.all(['clahe-original', 'clahe-he', 'clahe-result'].map(fingerprint))
    await setSlider('clahe-clip', 8)
    const after = await Promise.all(['clahe-original', 'clahe-he', 'clahe-result'].map(fingerprint))
    assert.equal(after[0], before[0])
    assert.equal(after[1], before[1])
    assert.notEqual(after[2], before[2])
  })

  it('works on the real head CT and on the MRI', async () => {
    for (const id of ['head-ct', 'colin-t1']) {
      await page.locator('[data-testid="clahe-source"]').selectOption(id)
      await waitReady()
      const size = await page.locator('[data-testid="clahe-result"]').evaluate((c) => [c.width, c.height])
      assert.deepEqual(size, id === 'head-ct' ? [512, 512] : [181, 217])
    }
  })

  it('made no request to another host and logged no console error', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
  })
})
