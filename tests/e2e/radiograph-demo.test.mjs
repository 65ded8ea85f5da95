// The radiograph figure (chapter 5.1): the picture is checked
// against a radiograph recomputed here from the phantom NIfTI (sum of μ(HU)·Δl along the
// header's A–P axis), the lung-region z-score against statistics computed here inside the
// lung field the figure draws, and CLAHE with one tile and no clip against global histogram
// equalisation computed here (OpenCV's LUT: round(cdf · 255 / N)).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { launchBrowser, openPage, startServer } from './support.mjs'

const MU_WATER = 0.02059 // 1/mm at 60 keV, NIST SRD 126 (what the figure says it uses)
let server, baseUrl, browser, page, context, log
const phantomRequests = []

/** The phantom's radiograph as rows (superior first) × columns (patient right first). */
function referenceRadiograph() {
  const buf = gunzipSync(readFileSync(new URL('../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz', import.meta.url)))
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const dim = [1, 2, 3].map((i) => v.getInt16(40 + 2 * i, true))
  assert.equal(v.getInt16(70, true), 4, 'int16 data')
  const pixdim = [1, 2, 3].map((i) => v.getFloat32(76 + 4 * i, true))
  const offset = v.getFloat32(108, true)
  const srow = [280, 296, 312].map((at) => [0, 1, 2].map((c) => v.getFloat32(at + 4 * c, true)))
  // RAS affine rows; the A–P axis is the voxel axis with the largest |y| component.
  const apAxis = [0, 1, 2].reduce((best, c) => (Math.abs(srow[1][c]) > Math.abs(srow[1][best]) ? c : best), 0)
  assert.equal(apAxis, 1, 'the phantom stores A–P along j')
  assert.ok(srow[0][0] < 0 && srow[2][2] > 0, 'i runs toward the left, k toward superior')
  const [nx, ny, nz] = dim
  const hu = new Int16Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + 2 * nx * ny * nz))
  const out = new Float64Array(nx * nz)
  for (let z = 0; z < nz; z++) {
    for (let x = 0; x < nx; x++) {
      let s = 0
      for (let y = 0; y < ny; y++) s += MU_WATER * Math.max(0, 1 + hu[x + nx * (y + ny * z)] / 1000) * pixdim[1]
      out[(nz - 1 - z) * nx + x] = s // column 0 = x 0 = patient right (i runs toward L)
    }
  }
  return { width: nx, height: nz, data: out }
}

const toByte = (t) => (t >= 255 ? 255 : t > 0 ? Math.floor(t + 0.5) : 0)

async function settle() {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}
async function setInput(testId, value) {
  await page.locator(`[data-testid="${testId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }))
  }, value)
  await settle()
}
function canvasChannel(testId, channel) {
  return page.locator(`[data-testid="${testId}"]`).evaluate((c, ch) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    return Array.from({ length: d.length / 4 }, (_, i) => d[4 * i + ch])
  }, channel)
}
function compare(actual, expected) {
  let worst = 0
  let off = 0
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i])
    worst = Math.max(worst, d)
    if (d > 0) off++
  }
  return { worst, off }
}

const ref = referenceRadiograph()

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  page.on('request', (r) => {
    if (r.url().includes('thorax-1.4mm.nii.gz')) phantomRequests.push(r.url())
  })
  await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
  await page.locator('[data-testid="radiograph-demo"]').scrollIntoViewIfNeeded()
  await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="radiograph-demo"]')?.getAttribute('data-state')), null, { timeout: 120_000 })
  assert.equal(await page.locator('[data-testid="radiograph-demo"]').getAttribute('data-state'), 'ready')
  await settle()
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('radiograph figure', () => {
  it('says on the page that the radiograph is simulated from a synthetic phantom', async () => {
    assert.match(await page.locator('[data-testid="radiograph-demo"]').textContent(), /Simulated radiograph from a synthetic phantom/)
  })

  it('shows the radiograph recomputed here from the NIfTI (min–max to 8 bits, ≤ 1 grey level)', async () => {
    let min = Infinity
    let max = -Infinity
    for (const p of ref.data) {
      min = Math.min(min, p)
      max = Math.max(max, p)
    }
    const expected = Array.from(ref.data, (p) => toByte(((p - min) / (max - min)) * 255))
    const shown = await canvasChannel('rg-input', 0)
    assert.equal(shown.length, ref.width * ref.height)
    const { worst, off } = compare(shown, expected)
    assert.ok(worst <= 1 && off < 20, `worst ${worst}, ${off} pixels differ`)
  })

  it('z-score inside the lung field: statistics and picture as computed here', async () => {
    await setInput('rg-norm', 'zscore')
    const mask = (await canvasChannel('rg-mask', 3)).map((a) => (a > 0 ? 1 : 0))
    let n = 0
    let sum = 0
    for (let i = 0; i < mask.length; i++) if (mask[i]) (n++, (sum += ref.data[i]))
    assert.ok(n > 2000, `lung field of ${n} pixels`)
    const mean = sum / n
    let ss = 0
    for (let i = 0; i < mask.length; i++) if (mask[i]) ss += (ref.data[i] - mean) ** 2
    const sd = Math.sqrt(ss / n)
    assert.equal(await page.locator('[data-testid="rg-lung-mean"]').textContent(), mean.toFixed(4))
    assert.equal(await page.locator('[data-testid="rg-lung-sd"]').textContent(), sd.toFixed(4))
    assert.equal(await page.locator('[data-testid="rg-area"]').textContent(), ((n * 1.4 * 2.5) / 100).toFixed(1))
    const expected = Array.from(ref.data, (p) => toByte((((p - mean) / sd + 3) / 6) * 255))
    const { worst, off } = compare(await canvasChannel('rg-input', 0), expected)
    assert.ok(worst <= 1 && off < 20, `worst ${worst}, ${off} pixels differ`)
  })

  it('CLAHE with 1 × 1 tile and no clip is global equalisation as computed here; clip 1 is close to the identity', async () => {
    await setInput('rg-clip', 0)
    await setInput('rg-tiles-x', 1)
    await setInput('rg-tiles-y', 1)
    const input = await canvasChannel('rg-input', 0)
    const hist = new Array(256).fill(0)
    for (const g of input) hist[g]++
    const lut = []
    let cdf = 0
    for (let g = 0; g < 256; g++) lut.push(Math.min(255, Math.round(((cdf += hist[g]) * 255) / input.length)))
    const { worst, off } = compare(await canvasChannel('rg-clahe', 0), input.map((g) => lut[g]))
    assert.ok(worst <= 1 && off < 20, `worst ${worst}, ${off} pixels differ`)
    // Clip 1 clips every tile histogram at its mean bin height: the mapping is close to the identity.
    await setInput('rg-clip', 1)
    const before = await canvasChannel('rg-input', 0)
    const afterClip1 = await canvasChannel('rg-clahe', 0)
    const meanChange = afterClip1.reduce((s, g, i) => s + Math.abs(g - before[i]), 0) / before.length
    const meanChangeNoClip = input.reduce((s, g) => s + Math.abs(lut[g] - g), 0) / input.length
    assert.ok(meanChange < meanChangeNoClip / 3, `clip 1 changes grey levels by ${meanChange.toFixed(2)} on average, no clip by ${meanChangeNoClip.toFixed(2)}`)
  })

  it('shares the phantom download with the augmentation figure (one request for both)', async () => {
    await page.locator('[data-testid="augmentation-demo"]').scrollIntoViewIfNeeded()
    await page.waitForFunction(() => document.querySelector('[data-testid="augmentation-demo"]')?.getAttribute('data-state') === 'ready', null, { timeout: 120_000 })
    assert.equal(phantomRequests.length, 1, phantomRequests.join(', '))
  })

  it('ran from this site only, without errors', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
  })
})
