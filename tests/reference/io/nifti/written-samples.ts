/**
 * Deterministic images that writeNifti writes into tests/reference/io/nifti/written/ (run
 * `npx tsx tests/reference/io/nifti/write-samples.ts`, then
 * `/usr/bin/python3 tests/reference/io/nifti/check-written.py` for nibabel's reading of them).
 * The unit test rebuilds the same images and compares them with nibabel's JSON.
 */
import { makeImage, type Image } from '../../../../src/image'

/** Row-major rotation from Euler angles (radians), R = Rz·Ry·Rx. */
export function rotation(ax: number, ay: number, az: number): number[] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)]
  const rx = [1, 0, 0, 0, cx, -sx, 0, sx, cx]
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy]
  const rz = [cz, -sz, 0, sz, cz, 0, 0, 0, 1]
  const mul = (a: number[], b: number[]) => {
    const o = new Array(9).fill(0)
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j]
    return o
  }
  return mul(rz, mul(ry, rx))
}

function pattern(n: number, f: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => f(i))
}

export function writtenSamples(): { name: string; image: Image }[] {
  const left = rotation(0.2, 0.1, -0.3)
  // flip the third axis: a left-handed (qfac = -1) direction
  for (let r = 0; r < 3; r++) left[r * 3 + 2] = -left[r * 3 + 2]
  return [
    {
      name: 'oblique_int16',
      image: makeImage([6, 5, 4], {
        data: Int16Array.from(pattern(120, (i) => ((i * 37) % 401) - 200)),
        spacing: [0.8, 1.1, 2.5],
        origin: [12.5, -30.25, 41],
        direction: rotation(0.3, -0.2, 0.5),
      }),
    },
    {
      name: 'lefthanded_float32',
      image: makeImage([5, 4, 3], {
        data: Float32Array.from(pattern(60, (i) => Math.sin(i) * 1000)),
        spacing: [1.5, 1.5, 3],
        origin: [-100, 50.5, -20],
        direction: left,
      }),
    },
    {
      name: 'lps_uint8_2d',
      image: makeImage([7, 5], {
        data: Uint8Array.from(pattern(35, (i) => (i * 7) % 256)),
        spacing: [0.5, 0.75],
        origin: [3, -4],
        direction: [0, 1, -1, 0],
      }),
    },
    {
      name: 'fourd_float64',
      image: makeImage([3, 3, 2, 4], {
        data: Float64Array.from(pattern(72, (i) => i / 7 - 3)),
        spacing: [2, 2, 2, 1.5],
        origin: [1, 2, 3, 0],
      }),
    },
  ]
}
