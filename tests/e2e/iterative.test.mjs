// Chapter 3.2's iterative lab: it reaches ready with no console error and no request to another
// host; SART improves on its first pass and ends below the FBP of the same sparse data; MLEM's
// log-likelihood never decreases from one iteration to the next (EM's monotonicity), and with
// few counts its error passes through a minimum before the last iteration (semi-convergence),
// which OSEM reaches in fewer iterations.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'iterative-demo'
let page, log

const shown = async () => {
  const el = page.locator('[data-testid="iter-numbers"]')
  return {
    errors: JSON.parse(await el.getAttribute('data-errors')),
    loglik: JSON.parse(await el.getAttribute('data-loglik')),
    fbp: Number(await el.getAttribute('data-fbp')),
  }
}
const argmin = (a) => a.indexOf(Math.min(...a))

let figure
before(async () => {
  figure = await openFigurePage('/ch03/02-iterative-recon', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('3.2 iterative lab', () => {
  it('SART on 30 views: 20 passes, improving on the first and ending below FBP', async () => {
    const { errors, fbp } = await shown()
    assert.equal(errors.length, 20)
    assert.ok(errors[19] < errors[0], `SART ${errors[19]} after 20 vs ${errors[0]} after 1`)
    assert.ok(errors[19] < fbp, `SART ${errors[19]} vs FBP ${fbp}`)
    assert.ok(await page.locator('[data-testid="iter-plot"] .main-svg').count() > 0, 'plot drawn')
  })

  it('photon noise makes FBP worse; a larger λ converges in fewer passes', async () => {
    const clean = await shown()
    await page.locator('[data-testid="iter-noise"]').setChecked(true)
    await page.waitForTimeout(50)
    await waitFigureReady(page, ID, 120_000)
    const noisy = await shown()
    assert.ok(noisy.fbp > clean.fbp, `noisy FBP ${noisy.fbp} vs clean ${clean.fbp}`)
    await page.locator('[data-testid="iter-noise"]').setChecked(false)
    await page.waitForTimeout(50)
    await waitFigureReady(page, ID, 120_000)
    await setControl(page, ID, 'iter-relaxation', 0.6)
    const fast = await shown()
    assert.ok(fast.errors[0] < clean.errors[0], `λ 0.6 first pass ${fast.errors[0]} vs λ 0.15 ${clean.errors[0]}`)
  })

  it('limited angle: views over 90° instead of 180° ruin FBP; SART, which fits only the measured rays, stays below it', async () => {
    const full = await shown()
    await setControl(page, ID, 'iter-arc', 90)
    const limited = await shown()
    assert.ok(limited.fbp > 1.2 * full.fbp, `FBP over 90°: ${limited.fbp} vs 180°: ${full.fbp}`)
    assert.ok(limited.errors.at(-1) > full.errors.at(-1), `SART over 90° ${limited.errors.at(-1)} vs 180° ${full.errors.at(-1)}: the missing wedge costs it too`)
    assert.ok(limited.errors.at(-1) < limited.fbp, `SART ${limited.errors.at(-1)} vs FBP ${limited.fbp} over 90°`)
    await setControl(page, ID, 'iter-arc', 180)
  })

  it('MLEM at 1e5 counts: the likelihood never decreases, the error has its minimum before the last iteration', async () => {
    await setControl(page, ID, 'iter-mode', 'mlem')
    await setControl(page, ID, 'iter-counts', 1e5)
    await setControl(page, ID, 'iter-iterations', 40)
    await waitFigureReady(page, ID, 300_000)
    const { errors, loglik } = await shown()
    assert.equal(errors.length, 40)
    assert.equal(loglik.length, 40)
    for (let i = 1; i < loglik.length; i++) assert.ok(loglik[i] >= loglik[i - 1] - 1e-9 * Math.abs(loglik[i - 1]), `log-likelihood fell at iteration ${i + 1}`)
    const best = argmin(errors)
    assert.ok(best > 0 && best < 39, `minimum at iteration ${best + 1}`)
    assert.ok(errors[39] > errors[best] * 1.1, 'later iterations fit the noise')
    globalThis.mlemBest = best
  })

  it('OSEM with 6 subsets reaches its lowest error in fewer iterations', async () => {
    await setControl(page, ID, 'iter-subsets', 6)
    await waitFigureReady(page, ID, 300_000)
    const { errors } = await shown()
    assert.ok(argmin(errors) < globalThis.mlemBest, `OSEM minimum at ${argmin(errors) + 1}, MLEM at ${globalThis.mlemBest + 1}`)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
    assert.deepEqual(log.failed, [])
  })
})
