// Chapter 2.2 figures: the k-space lab becomes ready with an RMSE readout, and changing the mask
// changes the RMSE; the coil figure becomes ready and whitening raises the RSS SNR at ρ = 0.5.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'

const value = (page, id) => page.locator(`[data-testid="${id}"]`).getAttribute('data-value').then(Number)

test('k-space lab: ready, and the mask changes the RMSE', async () => {
  const { page, log, close } = await openFigurePage('/ch02/02-mri-preprocessing', 'kspace-lab-demo')
  try {
    const first = await value(page, 'kspace-rmse')
    assert.ok(first > 0.01 && first < 0.05, `partial Fourier 5/8 zero-filled RMSE ${first}`)
    await page.selectOption('[data-testid="kspace-method"]', 'pocs')
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="kspace-rmse"]')?.getAttribute('data-value')) !== v
      && document.querySelector('[data-testid="kspace-lab-demo"]')?.getAttribute('data-state') === 'ready', first, { timeout: 60_000 })
    const pocs = await value(page, 'kspace-rmse')
    assert.ok(pocs < first / 5, `POCS ${pocs} vs zero-filled ${first}`)
    await page.selectOption('[data-testid="kspace-mask"]', 'r2bare')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="kspace-rmse"]')?.getAttribute('data-value')) > 0.1
      && document.querySelector('[data-testid="kspace-lab-demo"]')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 })
    const r2 = await value(page, 'kspace-rmse')
    assert.ok(r2 > 0.2, `R = 2 without ACS RMSE ${r2}`)
    assert.equal(await page.locator('[data-testid="kspace-method"]').inputValue(), 'zero-filled')
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.failed, [])
  } finally {
    await close()
  }
})

test('coil combination: ready, whitening raises the SNR', async () => {
  const { page, log, close } = await openFigurePage('/ch02/02-mri-preprocessing', 'coil-combine-demo')
  try {
    const raw = await value(page, 'coil-snr-rss')
    const white = await value(page, 'coil-snr-white')
    assert.ok(white > raw * 1.1, `whitened ${white} vs raw ${raw}`)
    const compressed = Number(await page.locator('[data-testid="coil-snr-compressed"]').textContent())
    assert.ok(compressed > 0.9 * white && compressed <= white * 1.01, `3 virtual coils ${compressed} vs ${white}`)
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
  } finally {
    await close()
  }
})
