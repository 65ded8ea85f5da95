// 1.3 X-ray acquisition figure: the unsharpness shown is f(M - 1) computed here; the nodule's CNR
// rises about as sqrt(dose), falls with scatter and partly recovers with the grid.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'xray-demo'
let page, log
const num = async (name) => Number(await page.locator('[data-testid="xray-numbers"]').getAttribute(name))

let figure
before(async () => {
  figure = await openFigurePage('/ch01/03-xray', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('1.3 X-ray figure', () => {
  it('CNR grows with dose: 100x the photons gives between 4x and 12x the CNR', async () => {
    await setControl(page, ID, 'xray-photons', 2.5)
    const low = await num('data-cnr')
    await setControl(page, ID, 'xray-photons', 4.5)
    const high = await num('data-cnr')
    assert.ok(high / low > 4 && high / low < 12, `CNR ${low} -> ${high}`)
  })
  it('scatter lowers the CNR; the grid brings part of it back and lowers the SPR to SPR * 0.1 / 0.7', async () => {
    await setControl(page, ID, 'xray-photons', 3.5)
    const clean = await num('data-cnr')
    await setControl(page, ID, 'xray-spr', 3)
    const scattered = await num('data-cnr')
    assert.ok(Math.abs((await num('data-spr')) - 3) < 1e-6)
    await page.locator('[data-testid="xray-grid"]').click()
    await page.waitForTimeout(50)
    await waitFigureReady(page, ID)
    const gridded = await num('data-cnr')
    assert.ok(Math.abs((await num('data-spr')) - (3 * 0.1) / 0.7) < 1e-6)
    assert.ok(scattered < clean && gridded > scattered, `${clean} ${scattered} ${gridded}`)
  })
  it('geometric unsharpness is f (M - 1)', async () => {
    await setControl(page, ID, 'xray-magnification', 1.6)
    await setControl(page, ID, 'xray-focal', 1.2)
    assert.ok(Math.abs((await num('data-unsharpness')) - 1.2 * 0.6) < 1e-9)
  })
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
