// CT and emission reconstruction: Radon transform, FBP, SART, MLEM/OSEM (skimage's definitions), the Shepp–Logan phantom.
export { ReconError, type ReconErrorCode } from './errors'
export { SINOGRAM_ANGLES_KEY, defaultAngles, selectViews, blockMean, type ProgressOptions } from './common'
export { radon, iradon, fbpFilterResponse, fbpPaddedSize, filterSinogram, backprojectViews, FBP_FILTERS, type FbpFilter, type RadonOptions, type IradonOptions } from './radon'
export { iradonSart, orderAnglesGoldenRatio, type IradonSartOptions } from './sart'
export { mlem, radonTranspose, poissonLogLikelihood, reconstructionCircle, type MlemOptions, type RadonTransposeOptions } from './mlem'
export { sheppLoganPhantom, MODIFIED_SHEPP_LOGAN } from './phantom'
export { poissonNoise, poissonSample, transmissionNoise, type PoissonNoiseOptions, type TransmissionNoiseOptions } from './noise'
