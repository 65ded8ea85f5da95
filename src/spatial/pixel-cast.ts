import type { ComponentType } from '../image'

/**
 * Range of a component type as ITK's ResampleImageFilter::CastComponentWithBoundsChecking sees it:
 * `NumericTraits<T>::NonpositiveMin()` and `max()` (±FLT_MAX for float32, no bounds for float64).
 */
export function componentRange(type: ComponentType): { min: number; max: number } {
  switch (type) {
    case 'int8': return { min: -128, max: 127 }
    case 'uint8': return { min: 0, max: 255 }
    case 'int16': return { min: -32768, max: 32767 }
    case 'uint16': return { min: 0, max: 65535 }
    case 'int32': return { min: -2147483648, max: 2147483647 }
    case 'uint32': return { min: 0, max: 4294967295 }
    case 'float32': return { min: -3.4028234663852886e38, max: 3.4028234663852886e38 }
    case 'float64': return { min: -Infinity, max: Infinity }
    default: throw new Error(`Resampling does not support ${type} pixels; use an 8–32-bit integer or float type`)
  }
}

/**
 * ITK's cast of an interpolated (double) value to the output pixel type: values at or beyond the
 * type's range clamp to it; inside, `static_cast` (truncation toward zero for integers, which a
 * typed-array store performs; round to nearest for float32, which a Float32Array store performs).
 */
export function castWithBounds(value: number, min: number, max: number): number {
  return value <= min ? min : value >= max ? max : value
}
