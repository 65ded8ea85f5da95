import { makeImage, type Image } from '../../../src/image'

/**
 * A synthetic chest in HU (as in ct-pipeline.test.ts): an elliptic-cylinder body (40 HU) in air
 * (−1000 HU), two ellipsoidal lungs (−850 HU) and a metal bead (5000 HU), int16, on a
 * 1.25 × 1.25 × 2.5 mm grid of 96 × 80 × 40 voxels (smaller with `scale` < 1).
 */
export function syntheticChest(scale = 1): Image {
  const spacing = [1.25 / scale, 1.25 / scale, 2.5 / scale]
  const size = [Math.round(96 * scale), Math.round(80 * scale), Math.round(40 * scale)]
  const [nx, ny, nz] = size
  const data = new Int16Array(nx * ny * nz)
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const x = (i - (nx - 1) / 2) * spacing[0]
        const y = (j - (ny - 1) / 2) * spacing[1]
        const z = k * spacing[2]
        let v = -1000
        if ((x / 55) ** 2 + (y / 45) ** 2 <= 1) v = 40
        for (const [cx, cy, cz] of [[-25, 0, 50], [25, 0, 50]]) {
          if (((x - cx) / 18) ** 2 + ((y - cy) / 25) ** 2 + ((z - cz) / 35) ** 2 <= 1) v = -850
        }
        if (x ** 2 + (y - 30) ** 2 + (z - 50) ** 2 <= 25) v = 5000
        data[i + nx * (j + ny * k)] = v
      }
    }
  }
  return makeImage(size, { data, spacing, origin: [-(nx - 1) / 2 * spacing[0], -(ny - 1) / 2 * spacing[1], 0] })
}
