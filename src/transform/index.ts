// Spatial augmentation: affine and elastic transforms (image linear, labels nearest) and flips.
export { TransformError, type TransformErrorCode } from './errors'
export { augmentImage, affineAugment, augmentImageAndLabels, type AugmentPairOptions, affineMatrix, indexToIndexMap, type AffineParameters, type AugmentOptions, type DisplacementField } from './augment'
export { elasticDisplacementField, elasticDeform, type ElasticFieldOptions } from './elastic'
export { flipAxis, voxelAxisAlong, type FlipAxis } from './flip'
