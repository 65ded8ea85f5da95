/** src/segment against ITK 5.2 (tests/reference/segment/make-itk-reference.py). */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { pixelData } from '../../../src/image'
import { binaryMorphology, connectedComponents, type BinaryMorphologyOptions } from '../../../src/segment/index'
import { diff, readArray, readImage, referenceDir, type ArrayDesc } from './fixtures'

interface ItkCase {
  kind: 'itk-morphology' | 'itk-relabel'
  input: ArrayDesc
  expected: ArrayDesc
  itk: string
  options: Record<string, unknown>
}

const all = JSON.parse(readFileSync(referenceDir + 'itk-cases.json', 'utf8')) as ItkCase[]

describe('binaryMorphology with radius r + 0.5 and borderValue 1 = ITK BinaryBallStructuringElement radius r', () => {
  for (const c of all.filter((c) => c.kind === 'itk-morphology')) {
    it(`${c.input.file} ${c.itk}`, () => {
      const out = binaryMorphology(readImage(c.input), c.options as unknown as BinaryMorphologyOptions)
      expect(diff(pixelData(out), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
})

describe('connectedComponents relabelBySize = ITK ConnectedComponent + RelabelComponent', () => {
  for (const c of all.filter((c) => c.kind === 'itk-relabel')) {
    it(`${c.input.file} ${c.itk}`, () => {
      const r = connectedComponents(readImage(c.input), c.options)
      expect(diff(pixelData(r.labels), readArray(c.expected))).toEqual({ first: -1, count: 0 })
      for (let k = 1; k < r.sizes.length; k++) expect(r.sizes[k]).toBeLessThanOrEqual(r.sizes[k - 1])
    })
  }
})
