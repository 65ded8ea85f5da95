// 1.4: the SUV calculator shows the SUV that the guideline's formula gives for its inputs (computed
// here independently), for START and ADMIN decay correction and with a clock error; the ultrasound
// figure's speckle SNR is near the Rayleigh value with dense scatterers and clearly lower with
// sparse ones, and turning TGC off darkens the deep image.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, startServer } from './support.mjs'
import { canvasPixels, setControl, waitFigureReady } from './phantom-node.mjs'

let server, baseUrl, browser, page, context, log
const F18 = 109.77 * 60
const suv = ({ c, dose, resid = 0, w, minutes, mode = 'START' }) => (c * w * 1000) / ((dose - resid) * (mode === 'ADMIN' ? 1 : Math.pow(2, -(minutes * 60) / F18)))
const shown = async (id) => Number(await page.locator(`[data-testid="${id}"]`).getAttribute('data-value'))

async function setInput(id, value) {
  await page.locator(`[data-testid="${id}"]`).fill(String(value))
  await page.waitForTimeout(50)
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await page.goto(baseUrl + '/ch01/04-pet-us', { waitUntil: 'load' })
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('1.4 SUV calculator', () => {
  it('shows the guideline SUV for the default inputs (300 MBq, 75 kg, 60 min, 8 kBq/mL)', async () => {
    await page.locator('[data-testid="suv-demo"]').scrollIntoViewIfNeeded()
    await waitFigureReady(page, 'suv-demo')
    const expected = suv({ c: 8000, dose: 300e6, w: 75, minutes: 60 })
    assert.ok(Math.abs(expected - 2.921) < 1e-3)
    assert.ok(Math.abs((await shown('suv-value')) - expected) < 1e-9)
  })
  it('follows weight, residual activity and decay-correction mode', async () => {
    await setInput('suv-weight', 90)
    await setInput('suv-residual', 12)
    assert.ok(Math.abs((await shown('suv-value')) - suv({ c: 8000, dose: 300e6, resid: 12e6, w: 90, minutes: 60 })) < 1e-9)
    await setControl(page, 'suv-demo', 'suv-mode', 'ADMIN')
    assert.ok(Math.abs((await shown('suv-value')) - suv({ c: 8000, dose: 300e6, resid: 12e6, w: 90, minutes: 60, mode: 'ADMIN' })) < 1e-9)
    await setControl(page, 'suv-demo', 'suv-mode', 'START')
  })
  it('a +10 min clock error with 18F raises the SUV by 2^(10/109.77) - 1', async () => {
    await setControl(page, 'suv-demo', 'suv-clock', 10)
    const pct = Number(await page.locator('[data-testid="suv-with-error"]').getAttribute('data-percent'))
    assert.ok(Math.abs(pct - 100 * (Math.pow(2, 10 / 109.77) - 1)) < 1e-6, `${pct}`)
  })
})

describe('1.4 ultrasound speckle', () => {
  it('dense scatterers: SNR near 1.91; sparse: clearly lower', async () => {
    await page.locator('[data-testid="ultrasound-demo"]').scrollIntoViewIfNeeded()
    await waitFigureReady(page, 'ultrasound-demo', 120_000)
    const dense = await shown('us-snr')
    assert.ok(Math.abs(dense - Math.sqrt(Math.PI / (4 - Math.PI))) < 0.25, `dense SNR ${dense}`)
    await setControl(page, 'ultrasound-demo', 'us-density', 0.3)
    const sparse = await shown('us-snr')
    assert.ok(sparse < 1.6, `sparse SNR ${sparse}`)
    await setControl(page, 'ultrasound-demo', 'us-density', 10)
  })
  it('turning TGC off darkens the bottom of the image relative to the top', async () => {
    const band = (img, y0, y1) => {
      let s = 0, n = 0
      for (let y = y0; y < y1; y++) for (let x = 0; x < 40; x++) { s += img.data[4 * (y * img.width + x)]; n++ }
      return s / n
    }
    const on = await canvasPixels(page, 'us-canvas')
    await page.locator('[data-testid="us-tgc"]').click()
    await page.waitForTimeout(50)
    await waitFigureReady(page, 'ultrasound-demo')
    const off = await canvasPixels(page, 'us-canvas')
    const ratioOn = band(on, 900, 1000) / band(on, 60, 160)
    const ratioOff = band(off, 900, 1000) / band(off, 60, 160)
    assert.ok(ratioOff < ratioOn - 0.2, `deep/shallow brightness with TGC ${ratioOn}, without ${ratioOff}`)
  })
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
