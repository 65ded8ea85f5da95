// Image-quality and intensity statistics.
export { histogram, type HistogramOptions, type HistogramResult } from './histogram'
export { coefficientOfVariation, type CoefficientOfVariationOptions } from './coefficient-of-variation'
export { psnr, type PsnrOptions } from './psnr'
export { ssim, type SsimOptions, type SsimResult } from './ssim'
export { pearsonCorrelation, type PearsonCorrelationOptions } from './correlation'
export { maxAbsoluteDifference, type MaxAbsoluteDifferenceOptions } from './max-absolute-difference'
export { rmse, type RmseOptions } from './rmse'
export { rectangleStatistics, RegionError, type PixelRectangle } from './rectangle-statistics'
