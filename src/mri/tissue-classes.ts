/**
 * Tissue classes of a skull-stripped T1-weighted brain image by multi-level Otsu thresholding
 * (Otsu 1979, extended to several thresholds by exhaustive search over the histogram, as
 * scikit-image's `threshold_multiotsu` does; Liao, Chen & Chung 2001 give the fast search).
 * On a T1-weighted image CSF is darkest, grey matter in between and white matter brightest,
 * so three classes of the non-zero voxels give CSF (1), grey matter (2) and white matter (3);
 * zero is background. A crude segmentation (no spatial prior, no partial volume), enough to
 * simulate contrast, and labelled as simulated wherever it is shown.
 */
import { LibraryError } from '../errors'
import { makeImage, pixelData, type Image } from '../image'

export type TissueClassErrorCode =
  /** Not a scalar image with pixel data. */
  | 'NOT_AN_IMAGE'
  /** Values are not integers, or too few distinct values for the classes. */
  | 'BAD_VALUES'
  /** classes is not an integer 2–5. */
  | 'BAD_OPTION'

/** A problem with the input of {@link brainTissueClasses} / {@link multiOtsuThresholds}. */
export class TissueClassError extends LibraryError<TissueClassErrorCode> {
  constructor(code: TissueClassErrorCode, message: string) {
    super('TissueClassError', code, message)
  }
}

/**
 * Thresholds of multi-level Otsu on integer values (histogram with one bin per integer from the
 * minimum to the maximum, as scikit-image uses for integer images). Returns classes − 1
 * thresholds t₀ < t₁ < …; a value v belongs to class k = number of thresholds ≤ v
 * (numpy.digitize, scikit-image's convention).
 */
export function multiOtsuThresholds(values: ArrayLike<number>, classes = 3): number[] {
  const op = 'multiOtsuThresholds'
  if (!(Number.isInteger(classes) && classes >= 2 && classes <= 5)) throw new TissueClassError('BAD_OPTION', `${op}: classes must be an integer 2–5, got ${classes}`)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isInteger(v)) throw new TissueClassError('BAD_VALUES', `${op}: values must be integers (got ${v} at ${i})`)
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (!(hi >= lo) || hi - lo > 65535) throw new TissueClassError('BAD_VALUES', `${op}: need values spanning at most 65,536 integers, got [${lo}, ${hi}]`)
  const L = hi - lo + 1
  const hist = new Float64Array(L)
  for (let i = 0; i < values.length; i++) hist[values[i] - lo]++
  let distinct = 0
  for (const h of hist) if (h > 0) distinct++
  if (distinct < classes) throw new TissueClassError('BAD_VALUES', `${op}: ${distinct} distinct values cannot make ${classes} classes`)
  if (distinct === classes) {
    const idx: number[] = []
    hist.forEach((h, k) => { if (h > 0) idx.push(k) })
    return idx.slice(0, -1).map((k) => k + lo)
  }
  // Cumulative zeroth and first moments; between-class term of a segment [a, b] is m²/w.
  const W = new Float64Array(L + 1)
  const M = new Float64Array(L + 1)
  for (let k = 0; k < L; k++) {
    W[k + 1] = W[k] + hist[k]
    M[k + 1] = M[k] + hist[k] * k
  }
  const term = (a: number, b: number) => {
    const w = W[b + 1] - W[a]
    const m = M[b + 1] - M[a]
    return w > 0 ? (m * m) / w : 0
  }
  const n = classes - 1
  const best = { score: -Infinity, idx: [] as number[] }
  const cur: number[] = []
  const search = (start: number, depth: number, acc: number) => {
    if (depth === n) {
      const s = acc + term(start, L - 1)
      if (s > best.score) {
        best.score = s
        best.idx = cur.slice()
      }
      return
    }
    for (let t = start; t <= L - 1 - (n - depth); t++) {
      cur.push(t)
      search(t + 1, depth + 1, acc + term(start, t))
      cur.pop()
    }
  }
  search(0, 0, 0)
  return best.idx.map((k) => k + lo)
}

export interface BrainTissueClassesResult {
  /** uint8: 0 background (value ≤ 0), 1 CSF, 2 grey matter, 3 white matter. */
  classes: Image
  /** The two thresholds (intensity units of the input). */
  thresholds: number[]
  /** Voxel counts of classes 0–3. */
  counts: number[]
}

/**
 * CSF / grey matter / white matter classes of a skull-stripped T1-weighted image: three-class
 * multi-level Otsu of the voxels above zero (see the module note). Integer-valued images only
 * (e.g. Colin27's uint8 ch2bet).
 */
export function brainTissueClasses(image: Image): BrainTissueClassesResult {
  const op = 'brainTissueClasses'
  if (!image?.data || image.imageType.components !== 1) throw new TissueClassError('NOT_AN_IMAGE', `${op}: needs a scalar image with pixel data`)
  const src = pixelData(image)
  let n = 0
  for (let i = 0; i < src.length; i++) if (src[i] > 0) n++
  const brain = new Float64Array(n)
  for (let i = 0, j = 0; i < src.length; i++) if (src[i] > 0) brain[j++] = src[i]
  const thresholds = multiOtsuThresholds(brain, 3)
  const out = new Uint8Array(src.length)
  const counts = [0, 0, 0, 0]
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    const c = v > 0 ? 1 + (v >= thresholds[0] ? 1 : 0) + (v >= thresholds[1] ? 1 : 0) : 0
    out[i] = c
    counts[c]++
  }
  const classes = makeImage(Array.from(image.size), { data: out, spacing: Array.from(image.spacing), origin: Array.from(image.origin), direction: Float64Array.from(image.direction as ArrayLike<number>), name: `${image.name} tissue classes` })
  return { classes, thresholds, counts }
}
