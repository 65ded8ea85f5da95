// Segmentation: label maps are uint8 (uint32 for component labels) images with the input's geometry.
export { threshold, type ThresholdOptions } from './threshold'
export {
  connectedComponents, keepLargestComponents,
  type Connectivity, type ConnectedComponentsOptions, type ConnectedComponentsResult, type KeepLargestComponentsOptions,
} from './connected-components'
export { binaryMorphology, type BinaryMorphologyOptions, type MorphologyOperation } from './morphology'
export { detectMetal, type DetectMetalOptions, type DetectMetalResult } from './metal'
export { segmentLungs, type SegmentLungsOptions } from './lungs'
export { otsuMask, otsuThreshold, type OtsuMaskResult, type OtsuOptions } from './otsu'
export { metalComponents, type MetalComponent, type MetalComponentsOptions, type MetalComponentsResult } from './metal-components'
export { segmentLungFields, type LungFieldOptions, type LungFieldResult } from './lung-field'
export { skimageOtsuThreshold } from './otsu-skimage'
export { SegmentError, type SegmentErrorCode } from './errors'
