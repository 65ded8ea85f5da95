// Imaging physics: simulated acquisitions from volumes (a radiograph from a CT).
export * from './radiograph'
export * from './attenuation'
export { simulateXrayAcquisition, contrastToNoise, lesionContrastToNoise, XrayAcquisitionError, type XrayAcquisitionOptions, type XrayAcquisitionResult, type AntiScatterGrid, type XrayAcquisitionErrorCode } from './xray-acquisition'
export { simulateArtifact, ArtifactError, MRI_ARTIFACTS, CT_ARTIFACTS, type ArtifactKind, type ArtifactOptions } from './artifacts'
