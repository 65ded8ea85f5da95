// The new 5.1 HU-clipping figure: presets and sliders change the clipped counts as
// numpy-style counting in Node on the same file predicts, and the coloured pixels of the slice
// are exactly the voxels of that slice outside the range.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { canvasPixels, readPhantom, setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'hu-clip-demo'
const { size, hu } = readPhantom()
let page, log

const counts = (lower, upper) => {
  let below = 0
  let above = 0
  for (const v of hu) {
    if (v < lower) below++
    else if (v > upper) above++
  }
  return { below, above }
}
const shown = async () => ({
  below: Number(await page.locator('[data-testid="hu-clip-below"]').getAttribute('data-value')),
  above: Number(await page.locator('[data-testid="hu-clip-above"]').getAttribute('data-value')),
})
/** Pixels of the slice canvas coloured blue (below) and red (above). */
async function colouredPixels() {
  const { data, width, height } = await canvasPixels(page, 'hu-clip-canvas')
  assert.deepEqual([width, height], [size[0], size[1]])
  // Grey pixels have r = g = b; the overlays tint blue (b > r) or red (r > b).
  let blue = 0
  let red = 0
  for (let p = 0; p < data.length; p += 4) {
    if (data[p] === data[p + 1] && data[p + 1] === data[p + 2]) continue
    if (data[p + 2] > data[p]) blue++
    else red++
  }
  return { blue, red }
}
const sliceCounts = (k, lower, upper) => {
  let below = 0
  let above = 0
  const n = size[0] * size[1]
  for (let i = k * n; i < (k + 1) * n; i++) {
    if (hu[i] < lower) below++
    else if (hu[i] > upper) above++
  }
  return { below, above }
}

let figure
before(async () => {
  figure = await openFigurePage('/ch05/01-preprocessing', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('5.1 HU clipping figure', () => {
  it('opens on [−1200, 600]: nothing below (the phantom has no padding), the voxels above 600 HU counted', async () => {
    assert.deepEqual(await shown(), counts(-1200, 600))
    assert.equal((await shown()).below, 0)
    assert.ok(await page.locator('[data-testid="hu-clip-plot"] .main-svg').count() > 0, 'histogram drawn')
  })

  it('the abdomen preset and a slider move the counts as Node predicts', async () => {
    await setControl(page, ID, 'hu-clip-preset', 'abdomen')
    assert.deepEqual(await shown(), counts(-160, 240))
    await setControl(page, ID, 'hu-clip-lower', -900)
    assert.deepEqual(await shown(), counts(-900, 240))
    assert.ok((await shown()).below < counts(-160, 240).below, 'a lower bound further down clips fewer voxels')
  })

  it('colours exactly the slice voxels outside the range (screw slice 26, drawn by the kit SliceView)', async () => {
    await setControl(page, ID, 'hu-clip-slice-slider', 25)
    await page.waitForTimeout(200)
    const expected = sliceCounts(25, -900, 240)
    const got = await colouredPixels()
    assert.deepEqual(got, { blue: expected.below, red: expected.above })
    assert.ok(got.red > 0 && got.blue > 0)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
