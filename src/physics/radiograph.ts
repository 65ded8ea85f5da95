/**
 * A simulated radiograph (digitally reconstructed radiograph, DRR) from a CT volume: parallel
 * beam along the patient's anterior–posterior axis, monoenergetic, no scatter.
 *
 * Physics (Beer–Lambert): a ray of intensity I0 leaves the body with I = I0 · exp(−∫ μ dl).
 * HU are turned back into linear attenuation by inverting the HU definition,
 * μ = μ_water · (1 + HU / 1000), clamped at 0 (air is −1000 HU; lower values are noise or padding).
 * μ_water is taken at one effective energy: 60 keV, where NIST's table of X-ray mass attenuation
 * coefficients (Hubbell & Seltzer, NIST Standard Reference Database 126, Table 4, "Water,
 * Liquid") gives μ/ρ = 0.2059 cm²/g, so with ρ = 1 g/cm³ μ = 0.02059 /mm. A real tube emits a
 * spectrum (beam hardening) and the detector sees scatter; both are left out here.
 */
import { LibraryError } from '../errors'
import { assertScalar, makeImage, pixelData, type Image } from '../image'

/** μ of liquid water at 60 keV in 1/mm (NIST SRD 126 Table 4: μ/ρ = 0.2059 cm²/g, ρ = 1 g/cm³). */
export const WATER_MU_60KEV_PER_MM = 0.02059

export type RadiographErrorCode =
  /** Not a 3D scalar volume with pixel data. */
  | 'NOT_A_VOLUME'
  /** No voxel axis runs along the anterior–posterior direction (oblique direction matrix). */
  | 'NO_AP_AXIS'
  /** An option is out of range (μ_water ≤ 0, I0 ≤ 0, unknown output). */
  | 'BAD_OPTION'

/** A problem with the input of {@link projectRadiograph}, with a machine-readable `code`. */
export class RadiographError extends LibraryError<RadiographErrorCode> {
  constructor(code: RadiographErrorCode, message: string) {
    super('RadiographError', code, message)
  }
}

export interface ProjectRadiographOptions {
  /** Linear attenuation of water in 1/mm at the effective energy. Default: {@link WATER_MU_60KEV_PER_MM}. */
  muWater?: number
  /**
   * 'attenuation' (default): the line integral −ln(I/I0) = Σ μ·Δl, which is what film and a
   * radiograph's display show (bone bright, lung dark). 'intensity': the transmitted I = I0·exp(−Σ μ·Δl).
   */
  output?: 'attenuation' | 'intensity'
  /** Unattenuated intensity for output 'intensity'. Default 1. */
  i0?: number
}

/** |cosine| above which a voxel axis counts as running along a patient axis. */
const AXIS_ALIGNED = 0.999

/**
 * Projects a CT volume in HU along the patient's A–P axis, found from the image's direction
 * matrix (not assumed from the voxel order): the voxel axis c whose direction cosine with the
 * LPS y axis (posterior) is largest in magnitude, which must be axis-aligned (|cos| > 0.999).
 * Each ray sums μ(HU) · spacing[c] over the voxels along that axis.
 *
 * The result is a 2D float32 image laid out as a frontal radiograph is displayed: columns run
 * from the patient's right to the patient's left (the viewer faces the patient), rows from
 * superior to inferior; spacing is the volume's spacing along those two axes, origin 0 and
 * direction identity (a 2D image cannot carry the coronal plane's 3D orientation; metadata
 * 'radiograph:columns' = 'R→L' and 'radiograph:rows' = 'S→I' say it). The two in-plane axes
 * are the voxel axes best aligned with LPS x and z. Parallel beam: no magnification.
 */
export function projectRadiograph(ctImage: Image, options: ProjectRadiographOptions = {}): Image {
  const op = 'projectRadiograph'
  if (ctImage.imageType.dimension !== 3) {
    throw new RadiographError('NOT_A_VOLUME', `${op} needs a 3D CT volume, got a ${ctImage.imageType.dimension}D image`)
  }
  if (ctImage.imageType.components !== 1 || !ctImage.data) {
    throw new RadiographError('NOT_A_VOLUME', `${op} needs a scalar volume with pixel data`)
  }
  const muWater = options.muWater ?? WATER_MU_60KEV_PER_MM
  const output = options.output ?? 'attenuation'
  const i0 = options.i0 ?? 1
  if (!(muWater > 0) || !Number.isFinite(muWater)) throw new RadiographError('BAD_OPTION', `${op}: muWater must be a positive number (1/mm), got ${muWater}`)
  if (output !== 'attenuation' && output !== 'intensity') throw new RadiographError('BAD_OPTION', `${op}: output must be 'attenuation' or 'intensity', got '${String(output)}'`)
  if (!(i0 > 0) || !Number.isFinite(i0)) throw new RadiographError('BAD_OPTION', `${op}: i0 must be a positive number, got ${i0}`)
  assertScalar(ctImage, op)
  const d = ctImage.direction as ArrayLike<number>
  // axisFor[r] = voxel axis along LPS component r, sign = +1 when the index grows toward +r.
  const axisFor: number[] = []
  const sign: number[] = []
  for (let r = 0; r < 3; r++) {
    let best = 0
    for (let c = 1; c < 3; c++) if (Math.abs(d[r * 3 + c]) > Math.abs(d[r * 3 + best])) best = c
    if (Math.abs(d[r * 3 + best]) < AXIS_ALIGNED || axisFor.includes(best)) {
      const what = r === 1 ? 'anterior–posterior' : r === 0 ? 'left–right' : 'superior–inferior'
      throw new RadiographError('NO_AP_AXIS', `${op}: no voxel axis runs along the ${what} direction (direction matrix ${Array.from(d).map((v) => v.toFixed(3)).join(', ')}); reorient or resample the volume to an axis-aligned grid first`)
    }
    axisFor.push(best)
    sign.push(Math.sign(d[r * 3 + best]))
  }
  const src = pixelData(ctImage)
  const size = ctImage.size
  const stride = [1, size[0], size[0] * size[1]]
  const [ax, ap, as] = axisFor
  const nCols = size[ax]
  const nRows = size[as]
  const nRay = size[ap]
  const dl = ctImage.spacing[ap]
  const out = new Float32Array(nCols * nRows)
  const scale = muWater / 1000
  for (let row = 0; row < nRows; row++) {
    // Row 0 is the most superior: index along the S axis decreasing when sign > 0.
    const k = sign[2] > 0 ? nRows - 1 - row : row
    for (let col = 0; col < nCols; col++) {
      // Column 0 is the patient's right (LPS −x).
      const i = sign[0] > 0 ? col : nCols - 1 - col
      let at = i * stride[ax] + k * stride[as]
      let sum = 0
      for (let j = 0; j < nRay; j++, at += stride[ap]) {
        const hu = src[at]
        if (hu > -1000) sum += hu + 1000
      }
      const integral = sum * scale * dl
      out[row * nCols + col] = output === 'attenuation' ? integral : i0 * Math.exp(-integral)
    }
  }
  const image = makeImage([nCols, nRows], { data: out, spacing: [ctImage.spacing[ax], ctImage.spacing[as]], name: `${ctImage.name} radiograph (AP)` })
  image.metadata.set('radiograph:columns', 'R→L')
  image.metadata.set('radiograph:rows', 'S→I')
  image.metadata.set('radiograph:muWaterPerMm', muWater)
  return image
}
