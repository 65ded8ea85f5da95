// The thorax phantom's figure copy read in Node independently of the library (node:zlib, the
// NIfTI-1 header by hand) for the browser tests of the HU-clip, metal and orientation figures.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

/** { size: [nx, ny, nz], spacing, hu: Int16Array (x fastest) } */
export function readPhantom() {
  const bytes = gunzipSync(readFileSync(new URL('../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz', import.meta.url)))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  assert.equal(view.getInt32(0, true), 348, 'NIfTI-1 little-endian header')
  assert.equal(view.getInt16(70, true), 4, 'int16 (datatype 4)')
  const size = [1, 2, 3].map((i) => view.getInt16(40 + 2 * i, true))
  const spacing = [1, 2, 3].map((i) => view.getFloat32(76 + 4 * i, true))
  const slope = view.getFloat32(112, true)
  assert.ok(!(slope && slope !== 1), 'no rescale slope')
  const offset = Math.max(352, view.getFloat32(108, true))
  const n = size[0] * size[1] * size[2]
  const hu = new Int16Array(n)
  for (let i = 0; i < n; i++) hu[i] = view.getInt16(offset + 2 * i, true)
  return { size, spacing, hu }
}

/** RGBA bytes of a canvas in the page. */
export async function canvasPixels(page, testId) {
  return page.locator(`[data-testid="${testId}"]`).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    return { width: c.width, height: c.height, data: Array.from(d.data) }
  })
}

/** Waits for a figure's data-state to be 'ready' (after it has left 'ready' once, when `sawChange`). */
export async function waitFigureReady(page, id, timeout = 120_000) {
  await page.waitForFunction((x) => document.querySelector(`[data-testid="${x}"]`)?.getAttribute('data-state') === 'ready', id, { timeout })
}

/** Sets a control as a reader would (input + change), then waits for the figure to be ready again. */
export async function setControl(page, figureId, controlId, value) {
  await page.locator(`[data-testid="${controlId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
    el.dispatchEvent(new Event('change', { bubbles: true }))
  }, value)
  await page.waitForTimeout(50)
  await waitFigureReady(page, figureId)
}
