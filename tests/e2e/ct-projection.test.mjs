// Chapter 2.1's two figures. Projection lab: reaches ready on the simulated thorax slice; with
// every correction on, the muscle ROI is within 15 HU of the true slice and air within 15 HU of
// −1000; switching the gain correction off raises the RMS difference from the ideal detector
// (rings), switching reference normalisation off drops the muscle ROI by more than 40 HU,
// switching dead-channel interpolation off clamps readings and raises the RMS. Beam hardening:
// the uncorrected 30 cm cylinder cups by more than 12 HU; water linearisation brings the cupping
// under 10 HU. No console error and no request to another host.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

let figure, page, log
const value = async (id) => Number(await page.locator(`[data-testid="${id}"]`).getAttribute('data-value'))
async function toggle(figureId, id) {
  await page.locator(`[data-testid="${id}"]`).click()
  await page.waitForTimeout(50)
  await waitFigureReady(page, figureId)
}

before(async () => {
  figure = await openFigurePage('/ch02/01-ct-preprocessing', 'projection-lab-demo', 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('2.1 projection calibration lab', () => {
  const ID = 'projection-lab-demo'
  it('all corrections on: muscle and air ROIs near their true HU; canvases sized', async () => {
    const tissue = await value('pl-tissue')
    const air = await value('pl-air')
    assert.ok(Math.abs(tissue - 43.7) < 15, `muscle ROI ${tissue} HU`)
    assert.ok(Math.abs(air + 1000) < 15, `air ROI ${air} HU`)
    assert.equal(await value('pl-interpolated'), 1)
    assert.deepEqual(await page.locator('[data-testid="pl-canvas-raw"]').evaluate((c) => [c.width, c.height]), [256, 180])
    assert.deepEqual(await page.locator('[data-testid="pl-canvas-hu"]').evaluate((c) => [c.width, c.height]), [256, 256])
  })
  it('gain correction off: rings raise the RMS difference from the ideal detector', async () => {
    const on = await value('pl-rms')
    await toggle(ID, 'pl-gain')
    const off = await value('pl-rms')
    assert.ok(off > on + 20, `RMS ${on} → ${off} HU`)
    await toggle(ID, 'pl-gain')
    assert.equal(await value('pl-rms'), on, 'back on: the same number')
  })
  it('reference normalisation off: the muscle ROI drops by more than 40 HU', async () => {
    const on = await value('pl-tissue')
    await toggle(ID, 'pl-reference')
    const off = await value('pl-tissue')
    assert.ok(off < on - 40, `muscle ${on} → ${off} HU`)
    await toggle(ID, 'pl-reference')
  })
  it('dead-channel interpolation off: readings clamped and a large RMS', async () => {
    const on = await value('pl-rms')
    await toggle(ID, 'pl-bad')
    assert.ok((await value('pl-clamped')) > 0)
    assert.equal(await value('pl-interpolated'), 0)
    assert.ok((await value('pl-rms')) > 3 * on)
    await toggle(ID, 'pl-bad')
  })
})

describe('2.1 beam hardening', () => {
  const ID = 'beam-hardening-demo'
  it('reaches ready; cupping of the 30 cm cylinder, removed by water linearisation', async () => {
    await page.locator(`[data-testid="${ID}"]`).scrollIntoViewIfNeeded()
    await waitFigureReady(page, ID, 120_000)
    const cup = await value('bh-cupping')
    assert.ok(cup > 12, `uncorrected cupping ${cup} HU`)
    await toggle(ID, 'bh-linearise')
    const fixed = await value('bh-cupping')
    assert.ok(Math.abs(fixed) < 10, `linearised cupping ${fixed} HU`)
    assert.ok(Math.abs(await value('bh-centre')) < 30, 'water near 0 HU after linearisation')
    await setControl(page, ID, 'bh-degree', 1)
    assert.ok((await value('bh-residual')) > 0.05, 'a straight line cannot follow the bend')
    assert.ok(await page.locator('[data-testid="bh-profile"] .main-svg').count() > 0, 'profile plot drawn')
  })
  it('no console error, failed response or request to another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
    assert.deepEqual(log.failed, [])
  })
})
