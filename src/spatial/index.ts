// Spatial resampling (ITK ResampleImageFilter semantics).
export { resample, type ResampleOptions, type Interpolator } from './resample'
export { resampleToSpacing, type ResampleToSpacingOptions } from './resample-to-spacing'
export { bsplineCoefficients, type BSplineCoefficientsOptions } from './bspline-decomposition'
export { reorientImage, orientationCode, ReorientError, type ReorientErrorCode, type ReorientOptions } from './reorient'
export { strideSubsample } from './subsample'
export { imageAffine, applyAffine, flipLpsRas, AffineError, type Affine4, type AffineErrorCode, type ImageAffineOptions, type WorldSpace } from './affine'
export { resizeImage, resizeGrid, padOrCrop, type ResizeImageOptions, type PadOrCropOptions } from './resize'
export { fillSphere } from './fill-sphere'
