// Contrast enhancement on 8-bit images: CLAHE and global histogram equalization (OpenCV-exact).
export { clahe, type ClaheOptions } from './clahe'
export { equalizeHistogram, type EqualizeHistogramOptions } from './equalize-histogram'
export type { Uint8InputOptions } from './uint8-input'
