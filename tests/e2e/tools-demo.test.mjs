// 1.6 "the same operation in another tool": the reference panel shows the shipped OpenCV /
// scikit-image / numpy output (read here from public/data/tool-checks/), the library's panel
// equals it pixel for pixel for CLAHE and histogram equalisation, Otsu's threshold is
// scikit-image's, and the window equals numpy's float64 result stored as float32.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { openFigurePage } from './support.mjs'
import { canvasPixels, setControl } from './phantom-node.mjs'

const ID = 'tools-demo'
const DIR = new URL('../../public/data/tool-checks/', import.meta.url)
const ix = JSON.parse(readFileSync(new URL('index.json', DIR), 'utf8'))
let page, log
const stat = async (name) => Number(await page.locator('[data-testid="tools-stats"]').getAttribute(name))
const greys = (img) => Array.from({ length: img.width * img.height }, (_, i) => img.data[4 * i])

let figure
before(async () => {
  figure = await openFigurePage('/ch01/06-tools', ID)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('1.6 tools figure', () => {
  for (const op of ['clahe', 'equalize']) {
    it(`${op}: the reference panel is OpenCV's output and the library's panel equals it`, async () => {
      if (op !== 'clahe') await setControl(page, ID, 'tools-op', op)
      const expected = Array.from(readFileSync(new URL(ix[op].file, DIR)))
      assert.deepEqual(greys(await canvasPixels(page, 'tools-canvas-theirs')), expected)
      assert.deepEqual(greys(await canvasPixels(page, 'tools-canvas-ours')), expected)
      assert.equal(await stat('data-max-diff'), 0)
      assert.equal(await stat('data-equal'), 181 * 217)
    })
  }
  it("otsu: scikit-image's threshold and mask", async () => {
    await setControl(page, ID, 'tools-op', 'otsu')
    assert.equal(await stat('data-ours-t'), ix.otsu.threshold)
    assert.equal(await stat('data-max-diff'), 0)
    const mask = Array.from(readFileSync(new URL(ix.otsu.file, DIR)), (v) => (v ? 255 : 0))
    assert.deepEqual(greys(await canvasPixels(page, 'tools-canvas-ours')), mask)
  })
  it("window: numpy's values, stored as float32", async () => {
    await setControl(page, ID, 'tools-op', 'window')
    assert.equal(await stat('data-max-diff'), 0)
    assert.equal(await stat('data-equal'), 128 * 128)
  })
  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
