// Imaging physics: simulated acquisitions from volumes (a radiograph from a CT).
export * from './radiograph'
export * from './attenuation'
export { simulateXrayAcquisition, contrastToNoise, lesionContrastToNoise, XrayAcquisitionError, type XrayAcquisitionOptions, type XrayAcquisitionResult, type AntiScatterGrid, type XrayAcquisitionErrorCode } from './xray-acquisition'
