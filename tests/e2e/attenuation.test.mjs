// The 1.1 Beer–Lambert / HU figure: the shown numbers follow the closed form from NIST's printed
// μ/ρ for a monochromatic beam (computed here, not by the library), and the numpy re-implementation
// (tests/reference/physics/attenuation-reference.json) for the tube spectrum.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { openFigurePage } from './support.mjs'
import { setControl } from './phantom-node.mjs'

const ID = 'attenuation-demo'
const ref = JSON.parse(readFileSync(new URL('../reference/physics/attenuation-reference.json', import.meta.url), 'utf8'))
let page, log

const value = async (testId) => Number(await page.locator(`[data-testid="${testId}"]`).getAttribute('data-value'))
const rel = (a, b) => Math.abs(a / b - 1)
// NIST SRD 126 printed values (cm²/g): water 60 keV 0.2059, 80 keV 0.1837; bone (ICRU-44) 60 keV
// 0.3148 at 1.92 g/cm³; dry air 60 keV 0.1875 at 0.001205 g/cm³.
const MU = { water60: 0.2059, water80: 0.1837, bone60: 0.3148 * 1.92, air60: 0.1875 * 0.001205 }

let figure
before(async () => {
  figure = await openFigurePage('/ch01/01-ct', ID, 60_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('1.1 attenuation figure', () => {
  it('opens on 20 cm of water at 120 kVp with the transmission numpy computes, and draws both plots', async () => {
    const c = ref.spectra.find((s) => s.kVp === 120 && s.stack === '20 cm water')
    assert.ok(rel(await value('attn-transmission'), c.transmissionNist) < 1e-9)
    assert.ok(await page.locator('[data-testid="attn-plot-spectrum"] .main-svg').count() > 0)
    assert.ok(await page.locator('[data-testid="attn-plot-hu"] .main-svg').count() > 0)
    const e = page.locator('[data-testid="attn-mean-energy"]')
    assert.ok(Number(await e.getAttribute('data-out')) > Number(await e.getAttribute('data-in')) + 15, 'beam hardening: mean energy rises by > 15 keV')
  })

  it('monochromatic 60 → 80 keV: I/I0 = exp(−20 μ) from the printed NIST values, bone HU from the HU formula', async () => {
    await setControl(page, ID, 'attn-beam', 'mono')
    await setControl(page, ID, 'attn-energy', 60)
    assert.ok(rel(await value('attn-transmission'), Math.exp(-20 * MU.water60)) < 1e-12)
    assert.ok(Math.abs(await value('attn-projection') - 20 * MU.water60) < 1e-12)
    const hu = (1000 * (MU.bone60 - MU.water60)) / (MU.water60 - MU.air60)
    assert.ok(Math.abs(await value('attn-hu-corticalBone') - hu) < 1e-9, `bone ${hu} HU`)
    await setControl(page, ID, 'attn-energy', 80)
    assert.ok(rel(await value('attn-transmission'), Math.exp(-20 * MU.water80)) < 1e-12)
    assert.equal(await value('attn-effective-energy'), 80)
    // Poisson: σ_p = 1/√(I0·T) with T = e^{−20 μ}; 10^5 → 10^4 photons raises it by √10.
    await setControl(page, ID, 'attn-i0', 5)
    const s5 = await value('attn-noise')
    assert.ok(rel(s5, 1 / Math.sqrt(1e5 * Math.exp(-20 * MU.water80))) < 1e-9)
    await setControl(page, ID, 'attn-i0', 4)
    assert.ok(rel((await value('attn-noise')) / s5, Math.sqrt(10)) < 1e-9)
  })

  it('tube spectrum at 80 kVp and the chest ray at 120 kVp: transmission and bone HU as numpy', async () => {
    await setControl(page, ID, 'attn-beam', 'poly')
    await setControl(page, ID, 'attn-kvp', 80)
    const w = ref.spectra.find((s) => s.kVp === 80 && s.stack === '20 cm water')
    assert.ok(rel(await value('attn-transmission'), w.transmissionNist) < 1e-9)
    const bone = ref.hu.find((h) => h.kVp === 80 && h.material === 'corticalBone')
    assert.ok(Math.abs(await value('attn-hu-corticalBone') - bone.huNist) < 1e-6)
    await setControl(page, ID, 'attn-kvp', 120)
    await setControl(page, ID, 'attn-preset', 'chest')
    const chest = ref.spectra.find((s) => s.kVp === 120 && s.stack.startsWith('chest'))
    assert.ok(rel(await value('attn-transmission'), chest.transmissionNist) < 1e-9)
  })

  it('editing a layer thickness changes the ray: 10 cm of water at 120 kVp is more transparent than 20', async () => {
    await setControl(page, ID, 'attn-preset', 'water20')
    const t20 = await value('attn-transmission')
    await setControl(page, ID, 'attn-layer-thickness-0', 10)
    const t10 = await value('attn-transmission')
    assert.ok(t10 > 5 * t20, `${t10} vs ${t20}`)
    await setControl(page, ID, 'attn-plot-a', 'hardening')
    assert.ok(await page.locator('[data-testid="attn-plot-spectrum"] .main-svg').count() > 0)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
