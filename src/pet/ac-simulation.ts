/**
 * A simulated PET acquisition of one CT slice, for teaching attenuation correction (chapter 2.4):
 * CT (HU) → μ(511 keV) by the bilinear map → a simulated tracer distribution on the same grid
 * (uniform uptake 1 in soft tissue, 0.25 in lung, 0.4 in bone, 0 outside the body, so the truth
 * has the same value in the centre and at the edge of the body) → its sinogram, attenuated by
 * exp(−∫μ) → optional Poisson counts → reconstruction with and without multiplying by the ACFs
 * (FBP with a Hann window, or MLEM on the pre-corrected sinogram) → the mean in a central and a
 * peripheral soft-tissue region. Without AC the centre comes out too cold relative to the edge.
 */
import { makeImage, pixelData, type Image } from '../image'
import { bodyMask } from '../pipeline/body-mask'
import { binaryMorphology } from '../segment/morphology'
import { defaultAngles, size2d, type ProgressOptions } from '../recon/common'
import { radon, iradon } from '../recon/radon'
import { mlem } from '../recon/mlem'
import { poissonNoise } from '../recon/noise'
import { PetCorrectionError, applySinogramFactors, attenuationCorrectionFactors, huToMu511 } from './attenuation-correction'

export interface PetAcSimulationOptions extends ProgressOptions {
  /** CT tube voltage for the bilinear map. Default 120. */
  kvp?: number
  /** Projection angles (views over 180°). Default 128. */
  views?: number
  /** Expected total true coincidences after attenuation; 0 = noise-free. Default 0. */
  counts?: number
  /** 'fbp' (Hann window, default) or 'mlem' (on the pre-corrected sinogram). */
  method?: 'fbp' | 'mlem'
  /** MLEM iterations (with 8 ordered subsets). Default 4. */
  iterations?: number
  /** Depth of the peripheral region under the skin, in pixels. Default 6. */
  rimPixels?: number
  /** Radius of the central region, in pixels. Default 8. */
  centreRadiusPixels?: number
  /** Noise seed. Default 1. */
  seed?: number
}

export interface RoiMeans { centre: number; edge: number; ratio: number }

export interface PetAcSimulation {
  mu: Image
  activity: Image
  acf: Image
  /** Measured (attenuated, possibly noisy) sinogram. */
  measured: Image
  noAc: Image
  ac: Image
  /** 1 in the central region, 2 in the peripheral one, 0 elsewhere (uint8). */
  rois: Image
  truth: RoiMeans
  withoutAc: RoiMeans
  withAc: RoiMeans
  /** Largest ACF (the longest path through the body). */
  maxAcf: number
}

function means(image: Image, rois: Uint8Array): RoiMeans {
  const v = pixelData(image)
  let c = 0, nc = 0, e = 0, ne = 0
  for (let i = 0; i < rois.length; i++) {
    if (rois[i] === 1) { c += v[i]; nc++ } else if (rois[i] === 2) { e += v[i]; ne++ }
  }
  const centre = nc ? c / nc : NaN
  const edge = ne ? e / ne : NaN
  return { centre, edge, ratio: centre / edge }
}

/** Runs the simulation on a square 2D CT slice in HU (see the module comment). */
export function simulatePetAttenuation(ct: Image, options: PetAcSimulationOptions = {}): PetAcSimulation {
  const op = 'simulatePetAttenuation'
  const [n, ny] = size2d(ct, 'CT slice', op)
  if (n !== ny) throw new PetCorrectionError('BAD_IMAGE', `${op}: the CT slice must be square (it is ${n}×${ny})`)
  const views = options.views ?? 128
  const counts = options.counts ?? 0
  const method = options.method ?? 'fbp'
  const iterations = options.iterations ?? 4
  const rim = options.rimPixels ?? 6
  const rc = options.centreRadiusPixels ?? 8
  if (!(Number.isInteger(views) && views >= 8 && views <= 720)) throw new PetCorrectionError('BAD_OPTION', `${op}: views must be an integer in [8, 720], got ${views}`)
  if (!(Number.isFinite(counts) && counts >= 0 && counts <= 1e10)) throw new PetCorrectionError('BAD_OPTION', `${op}: counts must be in [0, 1e10], got ${counts}`)
  if (method !== 'fbp' && method !== 'mlem') throw new PetCorrectionError('BAD_OPTION', `${op}: method must be 'fbp' or 'mlem', got ${String(method)}`)
  if (!(Number.isInteger(iterations) && iterations >= 1 && iterations <= 100)) throw new PetCorrectionError('BAD_OPTION', `${op}: iterations must be an integer in [1, 100], got ${iterations}`)
  if (!(Number.isInteger(rim) && rim >= 1 && rim < n / 4) || !(Number.isInteger(rc) && rc >= 1 && rc < n / 4)) throw new PetCorrectionError('BAD_OPTION', `${op}: rimPixels and centreRadiusPixels must be integers in [1, ${Math.ceil(n / 4) - 1}]`)
  const { signal, onProgress } = options
  const spacing = [ct.spacing[0] ?? 1, ct.spacing[1] ?? 1]
  const slice = makeImage([n, n], { data: Float64Array.from(pixelData(ct) as ArrayLike<number>), spacing, name: ct.name })
  const mu = huToMu511(slice, { kvp: options.kvp ?? 120 })
  const body = pixelData(bodyMask(slice))
  const hu = pixelData(slice)
  const act = new Float64Array(n * n)
  for (let i = 0; i < act.length; i++) if (body[i]) act[i] = hu[i] < -400 ? 0.25 : hu[i] > 250 ? 0.4 : 1
  const activity = makeImage([n, n], { data: act, spacing, name: 'simulated tracer uptake' })
  // Regions: soft tissue (uptake 1) within rc of the body's centroid, and within `rim` of its outline.
  let cx = 0, cy = 0, nb = 0
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (body[y * n + x]) { cx += x; cy += y; nb++ }
  if (nb === 0) throw new PetCorrectionError('BAD_IMAGE', `${op}: no body (HU > −500) in the CT slice`)
  cx /= nb
  cy /= nb
  const inner = pixelData(binaryMorphology(makeImage([n, n], { data: Uint8Array.from(body as ArrayLike<number>) }), { operation: 'erode', radius: rim }))
  const rois = new Uint8Array(n * n)
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const i = y * n + x
    if (act[i] !== 1) continue
    if ((x - cx) ** 2 + (y - cy) ** 2 <= rc * rc) rois[i] = 1
    else if (!inner[i]) rois[i] = 2
  }
  signal?.throwIfAborted()
  const angles = Array.from(defaultAngles(views))
  const acf = attenuationCorrectionFactors(mu, { angles, signal })
  onProgress?.(0.25, 'attenuation correction factors')
  const ideal = radon(activity, { angles, signal })
  let measured = applySinogramFactors(ideal, acf, 'attenuate')
  if (counts > 0) {
    const m = pixelData(measured)
    let total = 0
    for (let i = 0; i < m.length; i++) total += m[i]
    measured = poissonNoise(measured, { scale: counts / total, seed: options.seed ?? 1 })
    const scaled = pixelData(measured) as Float64Array
    for (let i = 0; i < scaled.length; i++) scaled[i] *= total / counts
  }
  onProgress?.(0.45, 'reconstructing without AC')
  const corrected = applySinogramFactors(measured, acf, 'correct')
  const recon = (s: Image) => (method === 'fbp' ? iradon(s, { angles, filter: 'hann', signal }) : mlem(s, { angles, iterations, subsets: 8, signal }))
  const noAc = recon(measured)
  onProgress?.(0.7, 'reconstructing with AC')
  const ac = recon(corrected)
  onProgress?.(1, 'done')
  const roiImage = makeImage([n, n], { data: rois, spacing })
  const a = pixelData(acf)
  let maxAcf = 0
  for (let i = 0; i < a.length; i++) if (a[i] > maxAcf) maxAcf = a[i]
  return { mu, activity, acf, measured, noAc, ac, rois: roiImage, truth: means(activity, rois), withoutAc: means(noAc, rois), withAc: means(ac, rois), maxAcf }
}
