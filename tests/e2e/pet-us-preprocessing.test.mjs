// 2.4: the attenuation-correction lab is ready and ticking AC moves the centre/rim readout from the
// non-AC value (centre nearly empty) to about 1; the scan-conversion lab's deep/shallow brightness
// drops when TGC is turned down; the partial-volume figure shows the analytic recovery coefficient.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

let figure, page
const value = async (id) => Number(await page.locator(`[data-testid="${id}"]`).getAttribute('data-value'))

before(async () => {
  figure = await openFigurePage('/ch02/04-pet-us-preprocessing', 'pet-ac-demo')
  page = figure.page
})
after(async () => figure?.close())

describe('2.4 CT-based attenuation correction lab', () => {
  it('without AC the centre/rim ratio is far below 1; ticking AC brings it near 1', async () => {
    const off = await value('petac-ratio')
    assert.ok(off < 0.3, `ratio without AC ${off}`)
    assert.equal(off, await value('petac-ratio-noac'))
    await page.locator('[data-testid="petac-ac"]').check()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="petac-ratio"]')?.getAttribute('data-value')) > 0.5)
    const on = await value('petac-ratio')
    assert.ok(Math.abs(on - 1) < 0.06, `ratio with AC ${on}`)
    assert.equal(on, await value('petac-ratio-ac'))
    await page.locator('[data-testid="petac-ac"]').uncheck()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="petac-ratio"]')?.getAttribute('data-value')) < 0.3)
  })
  it('OSEM tells the same story', async () => {
    await setControl(page, 'pet-ac-demo', 'petac-method', 'mlem')
    assert.ok((await value('petac-ratio-noac')) < 0.3)
    assert.ok((await value('petac-ratio-ac')) > 0.8)
  })
})

describe('2.4 scan conversion lab', () => {
  it('turning TGC down darkens the deep band relative to the shallow one', async () => {
    await page.locator('[data-testid="scan-conversion-demo"]').scrollIntoViewIfNeeded()
    await waitFigureReady(page, 'scan-conversion-demo')
    const ideal = await value('sc-deep-shallow')
    await setControl(page, 'scan-conversion-demo', 'sc-tgc', 0)
    const none = await value('sc-deep-shallow')
    assert.ok(none < ideal - 0.2, `deep/shallow with ideal TGC ${ideal}, without ${none}`)
  })
})

describe('2.4 partial volume figure', () => {
  it('shows the analytic recovery coefficient of a 10 mm sphere at 6 mm FWHM', async () => {
    await page.locator('[data-testid="partial-volume-demo"]').scrollIntoViewIfNeeded()
    await waitFigureReady(page, 'partial-volume-demo')
    // erf(a/√2) − √(2/π)·a·e^(−a²/2) with a = 5 / (6 / 2.3548)
    const a = 5 / (6 / (2 * Math.sqrt(2 * Math.LN2)))
    let erf = 0
    for (let n = 0, x = a / Math.SQRT2, t = x; n < 200; n++) { erf += t; t *= (2 * x * x) / (2 * n + 3) }
    erf *= (2 / Math.sqrt(Math.PI)) * Math.exp(-(a * a) / 2)
    const expected = erf - Math.sqrt(2 / Math.PI) * a * Math.exp(-(a * a) / 2)
    assert.ok(Math.abs((await value('pv-rc-max')) - expected) < 1e-9, `${await value("pv-rc-max")} vs ${expected}`)
  })
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(figure.log.consoleErrors, [])
    assert.deepEqual(figure.log.pageErrors, [])
    assert.deepEqual(figure.log.external, [])
    assert.deepEqual(figure.log.failed, [])
  })
})
