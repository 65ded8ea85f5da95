/**
 * HU calibration of a reconstructed attenuation map: HU = 1000 · (μ − μ_water) / (μ_water − μ_air)
 * (the definition of the Hounsfield scale; scanners measure μ_water, per kVp and filter, on a
 * water phantom, and μ_air is ≈ 0 at CT energies).
 */
import { makeImage, pixelData, type Image } from '../image'
import { checkOption, ProjectionError } from './errors'

export interface AttenuationToHuOptions {
  /** μ of water in the image's units (e.g. 1/cm, or per pixel). Required, > 0. */
  muWater: number
  /** μ of air in the same units. Default 0, in [0, muWater). */
  muAir?: number
}

/** An attenuation image (any dimension, scalar) converted to Hounsfield units, float64. */
export function attenuationToHu(image: Image, options: AttenuationToHuOptions): Image {
  const op = 'attenuationToHu'
  if (!options) throw new ProjectionError('BAD_OPTION', `${op}: give muWater`)
  const muWater = checkOption(options.muWater, 'muWater', op, 1e-12, 1e12)
  const muAir = checkOption(options.muAir ?? 0, 'muAir', op, 0, muWater * (1 - 1e-9))
  if (!image?.imageType || image.imageType.components !== 1 || !image.data) throw new ProjectionError('BAD_IMAGE', `${op}: the image must be a scalar image with pixel data`)
  const v = pixelData(image)
  const out = new Float64Array(v.length)
  const k = 1000 / (muWater - muAir)
  for (let i = 0; i < v.length; i++) out[i] = k * (v[i] - muWater)
  return makeImage([...image.size], { data: out, name: `${image.name} (HU)`, spacing: [...image.spacing], origin: [...image.origin], direction: Array.from(image.direction as ArrayLike<number>) })
}
