/**
 * Numbers for the projection calibration lab (2.1): the two regions of interest on slice 37 of
 * the thorax phantom (muscle behind the spine and air in front of the chest, both inside the scan
 * circle), their mean HU, and the RMS error and error map against the ideal reconstruction (FBP of
 * the exact line integrals), so that what remains is what the detector and its corrections did.
 */
import { makeImage, pixelData, type Image } from '../../src/image'
import { rectangleStatistics, type PixelRectangle } from '../../src/metrics/index'
import { reconstructionCircle } from '../../src/recon/index'

/** Muscle: true mean ≈ 43 HU on the 256² slice (x0, y0, x1, y1). */
export const TISSUE_ROI: PixelRectangle = [100, 192, 124, 204]
/** Air in front of the chest, inside the scan circle: −1000 HU. */
export const AIR_ROI: PixelRectangle = [116, 20, 140, 36]

export interface LabNumbers {
  tissue: number
  tissueTrue: number
  air: number
  rms: number
}

/** ROI means of `hu` (and of the true HU map), and its RMS HU difference from `ideal` inside the scan circle. */
export function labNumbers(hu: Image, truth: Image, ideal: Image): LabNumbers {
  const a = pixelData(hu)
  const b = pixelData(ideal)
  const circle = reconstructionCircle(hu.size[0])
  let s = 0
  let n = 0
  for (let i = 0; i < a.length; i++) if (circle[i]) {
    s += (a[i] - b[i]) ** 2
    n++
  }
  return {
    tissue: rectangleStatistics(hu, TISSUE_ROI).mean,
    tissueTrue: rectangleStatistics(truth, TISSUE_ROI).mean,
    air: rectangleStatistics(hu, AIR_ROI).mean,
    rms: Math.sqrt(s / n),
  }
}

/** The HU map of the object (μ/μ_water): 1000 · (μ/μ_water − 1). */
export function trueHu(object: Image): Image {
  return makeImage([...object.size], { data: Float64Array.from(pixelData(object), (v) => 1000 * (v - 1)), spacing: [...object.spacing] })
}

/** hu − ideal inside the scan circle (0 outside). */
export function errorMap(hu: Image, ideal: Image): Image {
  const a = pixelData(hu)
  const b = pixelData(ideal)
  const circle = reconstructionCircle(hu.size[0])
  return makeImage([...hu.size], { data: Float64Array.from(a, (v, i) => (circle[i] ? v - b[i] : 0)) })
}

/** Outlines of the two ROIs on a canvas already painted with the image (one canvas pixel per pixel). */
export function drawRois(canvas: HTMLCanvasElement): void {
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.lineWidth = 1
  for (const [r, colour] of [[TISSUE_ROI, '#ffb000'], [AIR_ROI, '#00c8ff']] as const) {
    ctx.strokeStyle = colour
    ctx.strokeRect(r[0] + 0.5, r[1] + 0.5, r[2] - r[0] - 1, r[3] - r[1] - 1)
  }
}
