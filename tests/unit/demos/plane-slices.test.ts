// The N4 figure's reslicing: radiological display (patient right on the screen's left,
// anterior / superior at the top, anterior on the left of sagittal views) for any axis order.
import { describe, expect, it } from 'vitest'
import { indexToPhysicalPoint, makeImage, type Image } from '../../../src/image'
import { planeGeometry, planeSlice, voxelAtView, type Plane } from '../../../demos/shared/plane-slices'

/** A volume whose voxel value encodes its index: v = x + 100 y + 10000 z. */
function volume(size: number[], direction: number[]): Image {
  const [nx, ny, nz] = size
  const data = new Float32Array(nx * ny * nz)
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) data[x + nx * (y + ny * z)] = x + 100 * y + 10000 * z
  return makeImage(size, { data, direction, spacing: [1, 2, 3] })
}
const decode = (v: number) => [v % 100, Math.floor(v / 100) % 100, Math.floor(v / 10000)]

// Physical LPS direction (unit) in which the screen's +x (right) and +y (down) point, per plane.
const expected: Record<Plane, { right: number[]; down: number[] }> = {
  axial: { right: [1, 0, 0], down: [0, 1, 0] }, // towards patient Left, towards Posterior
  coronal: { right: [1, 0, 0], down: [0, 0, -1] }, // Left, Inferior
  sagittal: { right: [0, 1, 0], down: [0, 0, -1] }, // Posterior, Inferior
}

describe('N4 figure reslicing', () => {
  const directions: Record<string, number[]> = {
    'LPS identity': [1, 0, 0, 0, 1, 0, 0, 0, 1],
    'RAS (NIfTI, Colin27)': [-1, 0, 0, 0, -1, 0, 0, 0, 1],
    'axes permuted (sagittal acquisition)': [0, 0, 1, 1, 0, 0, 0, -1, 0],
  }
  for (const [name, direction] of Object.entries(directions)) {
    for (const plane of ['axial', 'coronal', 'sagittal'] as Plane[]) {
      it(`${plane} view of a ${name} volume points the right way`, () => {
        const image = volume([5, 6, 7], direction)
        const g = planeGeometry(image, plane)
        const k = Math.floor(g.slices / 2)
        const view = planeSlice(image, g, k)
        expect(view.length).toBe(g.width * g.height)
        // Moving one pixel right / down on screen moves the physical point along the expected axis.
        const at = (u: number, v: number) => indexToPhysicalPoint(image, decode(view[v * g.width + u]))
        const p00 = at(0, 0)
        const p10 = at(1, 0)
        const p01 = at(0, 1)
        const right = p10.map((c, i) => Math.sign(Math.round((c - p00[i]) * 1e6)))
        const down = p01.map((c, i) => Math.sign(Math.round((c - p00[i]) * 1e6)))
        expect(right).toEqual(expected[plane].right)
        expect(down).toEqual(expected[plane].down)
        // voxelAtView agrees with the pixels.
        expect(voxelAtView(g, k, 1, 1)).toEqual(decode(view[g.width + 1]))
      })
    }
  }

  it('gives the physical aspect ratio and the letters', () => {
    const g = planeGeometry(volume([5, 6, 7], [1, 0, 0, 0, 1, 0, 0, 0, 1]), 'coronal')
    expect([g.width, g.height, g.slices]).toEqual([5, 7, 6])
    expect(g.aspect).toBeCloseTo((5 * 1) / (7 * 3), 12)
    expect(g.labels).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' })
  })
})
