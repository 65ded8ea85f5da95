// The 1.2 MRI contrast explorer: the shown signals follow the closed-form equations computed here
// (not by the library) from the tissue values printed on the page, changing TE changes them as
// e^{−ΔTE/T2} predicts, FLAIR nulls CSF at T1·ln(2/(1 + e^{−TR/T1})), and the simulated picture
// is drawn (CSF voxels dark on FLAIR).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { canvasPixels, setControl } from './phantom-node.mjs'

const ID = 'mri-contrast-demo'
// 3 T values as printed in docs/ch01/02-mri.md (PD, T1 ms, T2 ms).
const T = { csf: [1.0, 4454, 2373], gm: [0.86, 1820, 99], wm: [0.77, 1084, 69] }
const se = ([pd, t1, t2], tr, te) => pd * (1 - 2 * Math.exp(-(tr - te / 2) / t1) + Math.exp(-tr / t1)) * Math.exp(-te / t2)
const ir = ([pd, t1, t2], tr, te, ti) => pd * Math.abs(1 - 2 * Math.exp(-ti / t1) + Math.exp(-tr / t1)) * Math.exp(-te / t2)
let page, log, blackT1
/** Canvas pixels (of the SliceView slice) that are black: background, and CSF where it is nulled. */
const blackPixels = async () => {
  const { data } = await canvasPixels(page, 'mri-canvas')
  let n = 0
  for (let p = 0; p < data.length; p += 4) if (data[p] < 3 && data[p + 1] < 3 && data[p + 2] < 3) n++
  return n
}

const value = async (testId) => Number(await page.locator(`[data-testid="${testId}"]`).getAttribute('data-value'))
const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`)

let figure
before(async () => {
  figure = await openFigurePage('/ch01/02-mri', ID, 120_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('1.2 MRI contrast figure', () => {
  it('opens on the T1-weighted spin echo (TR 500, TE 15) with the signals of the spin-echo formula: WM > GM > CSF', async () => {
    for (const k of ['csf', 'gm', 'wm']) close(await value(`mri-signal-${k}`), se(T[k], 500, 15))
    assert.ok((await value('mri-signal-wm')) > (await value('mri-signal-gm')))
    assert.ok((await value('mri-signal-gm')) > (await value('mri-signal-csf')))
    assert.ok(await page.locator('[data-testid="mri-plot"] .main-svg').count() > 0)
    blackT1 = await blackPixels()
  })

  it('T2-weighted preset reverses the order; moving TE 100 → 150 scales each tissue as the formula predicts', async () => {
    await setControl(page, ID, 'mri-preset', 't2se')
    for (const k of ['csf', 'gm', 'wm']) close(await value(`mri-signal-${k}`), se(T[k], 4000, 100))
    assert.ok((await value('mri-signal-csf')) > (await value('mri-signal-gm')))
    await setControl(page, ID, 'mri-te', 150)
    for (const k of ['csf', 'gm', 'wm']) close(await value(`mri-signal-${k}`), se(T[k], 4000, 150))
  })

  it('FLAIR nulls CSF at TI = T1 ln(2/(1 + e^(−TR/T1))), and the CSF voxels of the slice turn black', async () => {
    await setControl(page, ID, 'mri-preset', 'flair')
    const tiNull = 4454 * Math.log(2 / (1 + Math.exp(-9000 / 4454)))
    close(await value('mri-null-ti'), tiNull)
    const ti = Math.round(tiNull)
    close(await value('mri-signal-csf'), ir(T.csf, 9000, 100, ti))
    assert.ok((await value('mri-signal-csf')) < 1e-4)
    close(await value('mri-signal-gm'), ir(T.gm, 9000, 100, ti))
    await page.waitForTimeout(300)
    const blackFlair = await blackPixels()
    assert.ok(blackFlair > blackT1 + 200, `FLAIR blackens the CSF voxels: ${blackFlair} black pixels vs ${blackT1} on T1w`)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
