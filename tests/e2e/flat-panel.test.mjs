// 2.3 flat-panel figure: ready with a flatness number; the gain correction lowers the open
// field's CV towards the Poisson limit, defect interpolation lowers it further, and a gain map
// from one flood frame leaves more residual noise than one from 64.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'flat-panel-demo'
let page, log, figure
const cv = async () => Number(await page.locator('[data-testid="flat-panel-numbers"]').getAttribute('data-cv'))
const toggle = async (name) => {
  const before = await cv()
  await page.locator(`[data-testid="flat-panel-${name}"]`).click()
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="flat-panel-numbers"]')?.getAttribute('data-cv')) !== b, before, { timeout: 30_000 })
  return cv()
}

before(async () => {
  figure = await openFigurePage('/ch02/03-xray-preprocessing', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('2.3 flat-panel figure', () => {
  it('is ready with a flatness number for the uncorrected panel', async () => {
    const raw = await cv()
    assert.ok(raw > 0.04, `uncorrected CV ${raw}`)
    const found = Number(await page.locator('[data-testid="flat-panel-numbers"]').getAttribute('data-found'))
    const truth = Number(await page.locator('[data-testid="flat-panel-numbers"]').getAttribute('data-truth'))
    assert.ok(found >= truth && found < truth * 1.2, `defects ${found} of ${truth}`)
  })
  it('offset + defects leave the gain stripes; the gain correction then brings the CV near 1/sqrt(I0)', async () => {
    await toggle('offset')
    const gainPattern = await toggle('defects')
    assert.ok(gainPattern > 0.04, `offset + defects CV ${gainPattern}`)
    const corrected = await toggle('gain')
    assert.ok(corrected < 0.5 * gainPattern, `gain correction: ${gainPattern} -> ${corrected}`)
    assert.ok(corrected > 1 / Math.sqrt(5000) && corrected < 1.2 / Math.sqrt(5000), `corrected CV ${corrected}`)
  })
  it('a gain map from 1 flood frame leaves more noise than one from 64', async () => {
    await setControl(page, ID, 'flat-panel-floods', 1)
    const one = await cv()
    await setControl(page, ID, 'flat-panel-floods', 64)
    await waitFigureReady(page, ID)
    const many = await cv()
    assert.ok(one > 1.25 * many, `1 frame ${one}, 64 frames ${many}`)
  })
})

describe('2.3 radiograph-for-a-network figure', () => {
  const DL = 'xray-for-dl-demo'
  const residue = async () => Number(await page.locator('[data-testid="xray-for-dl-numbers"]').getAttribute('data-residue'))
  it('is ready; naive downsampling to 224 leaves more grid residue (moire) than the anti-aliased resize', async () => {
    await page.locator(`[data-testid="${DL}"]`).scrollIntoViewIfNeeded()
    await waitFigureReady(page, DL, 180_000)
    const naive = await residue()
    await page.locator('[data-testid="xray-for-dl-aa"]').click()
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="xray-for-dl-numbers"]')?.getAttribute('data-residue')) !== b, naive, { timeout: 60_000 })
    await waitFigureReady(page, DL)
    const smooth = await residue()
    assert.ok(naive > 2 * smooth, `naive ${naive}, anti-aliased ${smooth}`)
    const width = await page.locator('[data-testid="xray-for-dl-out"]').evaluate((c) => c.width)
    assert.equal(width, 224)
  })
})

describe('2.3 page', () => {
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
