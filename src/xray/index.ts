// X-ray flat-panel corrections and radiograph preparation (chapter 2.3).
export { XrayError, type XrayErrorCode } from './errors'
export { flatFieldCorrect, simulateFlatPanel, type FlatFieldOptions, type SimulateFlatPanelOptions, type FlatPanelDefects, type FlatPanelFrames } from './flat-panel'
export { detectDefects, interpolateDefects, type DetectDefectsOptions, type InterpolateDefectsOptions } from './defects'
export { deviationIndex, invertMonochrome1, percentileWindow, resizeAntialiased, type InvertMonochrome1Options, type PercentileWindowOptions, type ResizeAntialiasedOptions } from './prepare'
