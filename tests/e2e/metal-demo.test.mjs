// The new 5.1 metal figure: moving the threshold changes the component table as a
// flood fill written here (6-connectivity, components in raster order of their first voxel) on
// the same file predicts; the minimum-size filter removes rows; the slice overlay paints exactly
// the metal voxels of that slice.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { canvasPixels, readPhantom, setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'metal-demo'
const { size, hu } = readPhantom()
const [nx, ny, nz] = size
let page, log

/** Component sizes of hu >= t, face-connected, in raster order of first voxel. */
function components(t) {
  const seen = new Uint8Array(hu.length)
  const sizes = []
  const stack = []
  for (let s = 0; s < hu.length; s++) {
    if (seen[s] || hu[s] < t) continue
    seen[s] = 1
    stack.push(s)
    let n = 0
    while (stack.length) {
      const v = stack.pop()
      n++
      const x = v % nx
      const y = Math.floor(v / nx) % ny
      const z = Math.floor(v / (nx * ny))
      const nb = []
      if (x > 0) nb.push(v - 1)
      if (x < nx - 1) nb.push(v + 1)
      if (y > 0) nb.push(v - nx)
      if (y < ny - 1) nb.push(v + nx)
      if (z > 0) nb.push(v - nx * ny)
      if (z < nz - 1) nb.push(v + nx * ny)
      for (const w of nb) if (!seen[w] && hu[w] >= t) {
        seen[w] = 1
        stack.push(w)
      }
    }
    sizes.push(n)
  }
  return sizes
}
const rows = () => page.locator('[data-testid^="metal-row-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-voxels'))))

let figure
before(async () => {
  figure = await openFigurePage('/ch05/01-preprocessing', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('5.1 metal figure', () => {
  it('at 3000 HU lists the components a Node flood fill finds', async () => {
    assert.deepEqual(await rows(), components(3000).filter((n) => n >= 10))
  })

  it('lowering the threshold to 2000 HU grows every component, as predicted', async () => {
    const before = await rows()
    await setControl(page, ID, 'metal-threshold', 2000)
    const after = await rows()
    assert.deepEqual(after, components(2000).filter((n) => n >= 10))
    after.forEach((n, k) => assert.ok(n > before[k], `component ${k + 1}: ${n} > ${before[k]} voxels`))
  })

  it('a minimum size above the smaller component removes exactly that row', async () => {
    const sizes = components(2000)
    const cut = Math.ceil((Math.min(...sizes) + 1) / 10) * 10
    await setControl(page, ID, 'metal-min-voxels', cut)
    assert.deepEqual(await rows(), sizes.filter((n) => n >= cut))
    await setControl(page, ID, 'metal-min-voxels', 10)
  })

  it('paints exactly the metal voxels of the screw slice', async () => {
    await setControl(page, ID, 'metal-slice-slider', 25)
    await page.waitForTimeout(200)
    const { data } = await canvasPixels(page, 'metal-canvas')
    let painted = 0
    for (let p = 0; p < data.length; p += 4) if (!(data[p] === data[p + 1] && data[p + 1] === data[p + 2])) painted++
    let expected = 0
    for (let i = 25 * nx * ny; i < 26 * nx * ny; i++) if (hu[i] >= 2000) expected++
    assert.equal(painted, expected)
    assert.equal(Number(await page.locator('[data-testid="metal-summary"]').getAttribute('data-on-slice')), expected)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
