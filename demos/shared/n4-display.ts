/**
 * Display arithmetic of the N4 figure (no fitting here: that is the library's N4 in the worker):
 * the grey window shared by input and corrected, the normalisation that puts the estimated and
 * the true field on one colour scale, and the traces of the intensity profile.
 */
import type { Image } from '../../src/image'
import { extractSlice, imageLike, pixelData } from '../../src/image'
import { simulateBiasField } from '../../src/bias/simulate-bias-field'
import { isDark } from '../kit/plot'
import { drawViridis } from './n4-colormap'
import { planeSlice, type PlaneGeometry } from './plane-slices'

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))

/** Grey window for input and corrected: 0 to the 99.5th percentile of the input inside `region`. */
export function greyHigh(image: Image, region: Image): number {
  const d = pixelData(image)
  const m = pixelData(region)
  const sample: number[] = []
  const step = Math.max(1, Math.floor(d.length / 200_000))
  for (let i = 0; i < d.length; i += step) if (m[i]) sample.push(d[i])
  sample.sort((a, b) => a - b)
  const high = sample.length ? sample[Math.min(sample.length - 1, Math.floor(0.995 * sample.length))] : 1
  return high > 0 ? high : 1
}

/**
 * The figure's first picture before the whole simulated volume exists: the middle axial slice of
 * `clean` times its simulated field, and its grey high. Exact, not an approximation: TorchIO's z
 * coordinate of the middle of an odd number of slices is 0, the coordinate simulateBiasField gives
 * a 2D image, and the coefficients are the same for the same seed and amplitude. Null when that
 * does not hold (even slice count, not 3D): then the caller simulates the volume directly.
 */
export function middleSlicePreview(clean: Image, stripped: Image | undefined, amplitude: number, seed: number): { image: Image; field: Image; greyHigh: number } | null {
  const nz = clean.size[2] ?? 1
  if (clean.imageType.dimension !== 3 || nz % 2 === 0) return null
  const k = (nz - 1) / 2
  const sim = simulateBiasField(extractSlice(clean, k), { amplitude, seed })
  return { image: sim.image, field: sim.field, greyHigh: greyHigh(sim.image, stripped ? extractSlice(stripped, k) : sim.image) }
}

export interface FieldScale {
  /** Factors that divide each field by its geometric mean in the region. */
  truth: number
  estimated: number
  /** The shared colour range of the normalised fields. */
  low: number
  high: number
}

/**
 * N4's field is defined up to a constant factor: both fields are divided by their geometric
 * mean in the region and shown on one shared range, so their shapes compare directly. One pass
 * per field and frame, so the page never stalls.
 */
export async function fieldScale(region: Image, truth: Image | null, estimated: Image | null): Promise<FieldScale> {
  const m = pixelData(region)
  const out: FieldScale = { truth: 1, estimated: 1, low: Infinity, high: -Infinity }
  const pass = async (f: Image): Promise<number> => {
    const d = pixelData(f)
    let s = 0
    let n = 0
    for (let i = 0; i < d.length; i++) if (m[i]) (s += Math.log(d[i])), n++
    const scale = n ? 1 / Math.exp(s / n) : 1
    await nextFrame()
    for (let i = 0; i < d.length; i++) {
      if (!m[i]) continue
      const v = d[i] * scale
      if (v < out.low) out.low = v
      if (v > out.high) out.high = v
    }
    await nextFrame()
    return scale
  }
  if (truth) out.truth = await pass(truth)
  if (estimated) out.estimated = await pass(estimated)
  if (!(Number.isFinite(out.low) && out.high > out.low)) Object.assign(out, { low: 0.9, high: 1.1 })
  return out
}

export interface ProfileRows {
  x: number[]
  input: Float32Array
  corrected: Float32Array | null
  field: Float32Array | null
}

/** Traces and layout of the profile plot along the dashed row. */
export function profilePlot(rows: ProfileRows, greyMax: number, scale: FieldScale, from: string, to: string): [unknown[], Record<string, unknown>] {
  const dark = isDark()
  const line = (name: string, y: Float32Array, color: string, extra: Record<string, unknown> = {}) =>
    ({ type: 'scatter', mode: 'lines', x: rows.x, y: Array.from(y), name, line: { color, width: 1.5 }, hovertemplate: `%{x:.0f} mm: %{y:.3g}<extra>${name}</extra>`, ...extra })
  const traces = [line('input', rows.input, dark ? '#a8b1ff' : '#3451b2')]
  if (rows.corrected) traces.push(line('corrected', rows.corrected, '#e8a23a'))
  if (rows.field) traces.push(line('estimated field', rows.field, dark ? '#5ec962' : '#21918c', { yaxis: 'y2', line: { color: dark ? '#5ec962' : '#21918c', width: 1.5, dash: 'dot' } }))
  return [traces, {
    height: 210,
    margin: { l: 50, r: 50, t: 8, b: 40 },
    legend: { orientation: 'h', x: 0, y: 1.12, font: { size: 11 } },
    xaxis: { title: { text: `along the dashed line, ${from} → ${to} (mm)` }, zeroline: false },
    yaxis: { title: { text: 'intensity' }, range: [0, greyMax * 1.15], zeroline: false },
    yaxis2: { overlaying: 'y', side: 'right', showgrid: false, title: { text: 'field' }, range: [scale.low * 0.97, scale.high * 1.03], zeroline: false },
  }]
}

/** The field views (input and corrected are shown by SliceView). */
export interface N4Canvases {
  field?: HTMLCanvasElement
  truth?: HTMLCanvasElement
}

export interface N4Picture {
  input: Image
  region: Image
  result: { corrected: Image; biasField: Image } | null
  truth: Image | null
  scale: FieldScale
}

/**
 * Paints slice `k` of both fields in viridis on one scale, dimmed outside the region, and returns
 * the rows under the profile line `row` of input, corrected (as input ÷ the normalised field) and field.
 */
export function paintN4(c: N4Canvases, g: PlaneGeometry, k: number, row: number, p: N4Picture): ProfileRows {
  const values = planeSlice(p.input, g, k)
  const region = planeSlice(p.region, g, k)
  let corrected: Float32Array | null = null
  let field: Float32Array | null = null
  const s = p.scale
  if (p.result) {
    corrected = planeSlice(p.result.corrected, g, k)
    field = planeSlice(p.result.biasField, g, k)
    for (let i = 0; i < field.length; i++) (field[i] *= s.estimated), (corrected[i] /= s.estimated)
    if (c.field) drawViridis(c.field, field, g.width, g.height, s.low, s.high, region)
  }
  if (p.truth && c.truth) {
    const t = planeSlice(p.truth, g, k)
    for (let i = 0; i < t.length; i++) t[i] *= s.truth
    drawViridis(c.truth, t, g.width, g.height, s.low, s.high, region)
  }
  const v = Math.min(row, g.height - 1)
  const cut = (a: Float32Array | null) => (a ? a.slice(v * g.width, (v + 1) * g.width) : null)
  const spacing = p.input.spacing[g.xAxis] ?? 1
  return { x: Array.from({ length: g.width }, (_, u) => +(u * spacing).toFixed(3)), input: cut(values)!, corrected: cut(corrected), field: cut(field) }
}

/** The corrected volume on the input's grey scale: corrected × the field's geometric mean in the region (input ÷ normalised field). */
export function correctedOnInputScale(corrected: Image, s: FieldScale): Image {
  const d = pixelData(corrected)
  const out = new Float32Array(d.length)
  const k = 1 / s.estimated
  for (let i = 0; i < d.length; i++) out[i] = d[i] * k
  return imageLike(corrected, out)
}

/** A black volume on `image`'s grid: the corrected view before N4 has run (its place is kept). */
export function blankLike(image: Image): Image {
  return imageLike(image, new Uint8Array(pixelData(image).length))
}
