// The new 5.1 orientation figure: for each stored order the figure shows the code
// and direction matrix the voxel order implies; the raw picture of file 2 is file 1's picture
// flipped as the code predicts (index arithmetic here); the reoriented file 2 is pixel-identical
// to file 1; the naive left/right reading is wrong exactly when the left–right axis is flipped.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { canvasPixels, setControl } from './phantom-node.mjs'

const ID = 'orientation-demo'
let page, log

const panel = (key) => page.locator(`[data-testid="orientation-panel-${key}"]`)
/** Grey value at (x, y) of an RGBA dump. */
const at = (img, x, y) => img.data[4 * (y * img.width + x)]

let figure
before(async () => {
  figure = await openFigurePage('/ch05/01-preprocessing', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

// Which in-plane axes of file 1 (LPS) are flipped in file 2, and the expected direction diagonal.
const CASES = [
  { code: 'RAS', flipX: true, flipY: true, diag: ['-1', '-1', '1'], naive: 'right' },
  { code: 'RPS', flipX: true, flipY: false, diag: ['-1', '1', '1'], naive: 'right' },
  { code: 'LPI', flipX: false, flipY: false, diag: ['1', '1', '-1'], naive: 'left' },
]

describe('5.1 orientation figure', () => {
  for (const c of CASES) {
    it(`file 2 stored as ${c.code}: code, direction, flipped raw picture, identical reoriented picture`, async () => {
      if (c.code !== 'RAS') await setControl(page, ID, 'orientation-code', c.code)
      assert.equal(await panel('lps').getAttribute('data-code'), 'LPS')
      assert.equal(await panel('raw').getAttribute('data-code'), c.code)
      assert.equal(await panel('fixed').getAttribute('data-code'), 'LPS')
      const rows = (await page.locator('[data-testid="orientation-direction-raw"]').textContent()).trim().split('\n').slice(1)
      assert.deepEqual(rows.map((r, i) => r.trim().split(/\s+/)[i]), c.diag)
      assert.equal(Number(await page.locator('[data-testid="orientation-max-diff"]').getAttribute('data-value')), 0)
      assert.equal(await panel('lps').getAttribute('data-naive-side'), 'left', 'N2 is in the left lower lobe')
      assert.equal(await panel('raw').getAttribute('data-naive-side'), c.naive)
      // The yellow ring is drawn on every panel; compare away from it (the ring sits at each panel's own N2 index).
      const a = await canvasPixels(page, 'orientation-canvas-lps')
      const raw = await canvasPixels(page, 'orientation-canvas-raw')
      const fixed = await canvasPixels(page, 'orientation-canvas-fixed')
      const [i1, j1, k1] = (await panel('lps').getAttribute('data-ijk')).split(',').map(Number)
      const [i2, j2, k2] = (await panel('raw').getAttribute('data-ijk')).split(',').map(Number)
      assert.equal(i2, c.flipX ? a.width - 1 - i1 : i1)
      assert.equal(j2, c.flipY ? a.height - 1 - j1 : j1)
      assert.equal(k2, c.code === 'LPI' ? 71 - k1 : k1)
      let compared = 0
      for (let y = 0; y < a.height; y += 3) for (let x = 0; x < a.width; x += 3) {
        if (Math.hypot(x - i1, y - j1) < 14) continue
        const xr = c.flipX ? a.width - 1 - x : x
        const yr = c.flipY ? a.height - 1 - y : y
        if (Math.hypot(xr - i2, yr - j2) < 14) continue
        assert.equal(at(raw, xr, yr), at(a, x, y), `raw pixel (${xr}, ${yr}) = file 1 (${x}, ${y})`)
        assert.equal(at(fixed, x, y), at(a, x, y))
        compared++
      }
      assert.ok(compared > 1500)
    })
  }

  it('ASL permutes the axes: the raw slice is a 128 × 72 sagittal plane (the 2.8 mm copy)', async () => {
    await setControl(page, ID, 'orientation-code', 'ASL')
    assert.equal(await panel('raw').getAttribute('data-code'), 'ASL')
    const raw = await canvasPixels(page, 'orientation-canvas-raw')
    assert.deepEqual([raw.width, raw.height], [128, 72])
    assert.equal(Number(await page.locator('[data-testid="orientation-max-diff"]').getAttribute('data-value')), 0)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
