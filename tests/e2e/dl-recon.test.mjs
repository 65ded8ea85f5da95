// Chapter 3.3's data-consistency lab: it reaches ready with no console error and no request to
// another host; with the Gaussian stand-in, turning data consistency on lowers the final RMSE
// readout below the denoiser-only run's, and the striped hallucination keeps most of its k-space
// energy on unsampled lines (the figure says DC cannot remove it) while the smooth blob does not.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'

const ID = 'data-consistency-demo'
let figure, page, log

const readout = async () => {
  const el = page.locator('[data-testid="dc-rmse"]')
  return { value: Number(await el.getAttribute('data-value')), dc: await el.getAttribute('data-dc'), text: await el.textContent() }
}
const waitReady = () => page.waitForSelector(`[data-testid="${ID}"][data-state="ready"]`, { timeout: 120_000 })

before(async () => {
  figure = await openFigurePage('/ch03/03-dl-recon', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('3.3 data-consistency lab', () => {
  it('is ready with a readout, no console errors and no foreign requests', async () => {
    const r = await readout()
    assert.equal(r.dc, 'true')
    assert.ok(r.value > 0 && r.value < 0.5, `RMSE ${r.value}`)
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
    assert.deepEqual(log.failed, [])
  })

  it('turning DC on lowers the RMSE readout', async () => {
    const on = await readout()
    await page.locator('[data-testid="dc-toggle"]').uncheck()
    await page.waitForSelector('[data-testid="dc-rmse"][data-dc="false"]')
    const off = await readout()
    assert.ok(on.value < off.value, `with DC ${on.value}, denoiser only ${off.value}`)
    await page.locator('[data-testid="dc-toggle"]').check()
    await page.waitForSelector('[data-testid="dc-rmse"][data-dc="true"]')
    assert.equal((await readout()).value, on.value)
  })

  it('a striped hallucination lives mostly on unsampled lines; a smooth blob does not', async () => {
    const share = async (v) => {
      await page.locator('[data-testid="dc-hallucination"]').selectOption(v)
      await page.waitForSelector(`[data-testid="dc-rmse"][data-paste="${v}"]`, { timeout: 120_000 })
      await waitReady()
      return 100 * Number(await page.locator('[data-testid="dc-rmse"]').getAttribute('data-unsampled'))
    }
    const stripes = await share('stripes')
    const blob = await share('blob')
    assert.ok(stripes > 50, `stripes ${stripes} %`)
    assert.ok(blob < 20, `blob ${blob} %`)
  })
})
