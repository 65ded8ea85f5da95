/** Loads the ITK reference fixtures of tests/reference/spatial (see make_fixtures.py). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeImage, type ComponentType, type Image, type TypedArray } from '../../../src/image'
import type { Interpolator } from '../../../src/spatial'

export const FIXTURES = join(__dirname, '../../reference/spatial/fixtures')

export interface GridJson {
  size: number[]
  spacing: number[]
  origin: number[]
  direction: number[]
}

export interface CaseJson {
  name: string
  input: string
  interpolator: Interpolator
  outputComponentType: ComponentType
  defaultValue: number
  output: GridJson
  file: string
  note: string
  itkPhysicalPointToIndex: number[]
}

interface InputJson extends GridJson {
  file: string
  componentType: ComponentType
}

export interface Fixtures {
  inputs: Record<string, InputJson>
  cases: CaseJson[]
}

export function loadFixtures(): Fixtures {
  return JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Fixtures
}

export function readRaw(file: string, type: ComponentType): TypedArray {
  const buf = readFileSync(join(FIXTURES, file))
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
  switch (type) {
    case 'int16': return new Int16Array(ab)
    case 'uint8': return new Uint8Array(ab)
    case 'float32': return new Float32Array(ab)
    default: throw new Error(`fixture type ${type} not handled`)
  }
}

export function loadInput(fx: Fixtures, name: string): Image {
  const inp = fx.inputs[name]
  return makeImage(inp.size, {
    data: readRaw(inp.file, inp.componentType),
    spacing: inp.spacing,
    origin: inp.origin,
    direction: inp.direction,
    name,
  })
}
