// 1.7 artifact simulator: the error against the clean slice follows the fault's strength (less
// k-space kept, a larger CT gain error, fewer photons), for MRI and CT faults.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl } from './phantom-node.mjs'

const ID = 'artifacts-demo'
let page, log, figure
const shown = async () => Number(await page.locator('[data-testid="artifacts-rmse"]').getAttribute('data-value'))

before(async () => {
  figure = await openFigurePage('/ch01/07-artifacts', ID, 120_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('1.7 artifacts figure', () => {
  it('Gibbs: keeping less k-space gives a larger error', async () => {
    await setControl(page, ID, 'artifacts-strength', 0.8)
    const mild = await shown()
    await setControl(page, ID, 'artifacts-strength', 0.2)
    assert.ok((await shown()) > 1.5 * mild, `${mild}`)
  })
  it('CT ring: no error without a gain error, and it grows with it', async () => {
    await setControl(page, ID, 'artifacts-kind', 'ring')
    await setControl(page, ID, 'artifacts-strength', 0)
    assert.ok((await shown()) < 1e-3)
    await setControl(page, ID, 'artifacts-strength', 0.1)
    const big = await shown()
    await setControl(page, ID, 'artifacts-strength', 0.02)
    assert.ok(big > 3 * (await shown()))
  })
  it('CT noise: 100 times fewer photons give several times the error', async () => {
    await setControl(page, ID, 'artifacts-kind', 'noise')
    await setControl(page, ID, 'artifacts-strength', 5)
    const low = await shown()
    await setControl(page, ID, 'artifacts-strength', 3)
    const high = await shown()
    assert.ok(high > 4 * low && high < 20 * low, `${low} -> ${high}`)
  })
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
