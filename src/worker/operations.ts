/**
 * The operations the worker can run, by name. Each is a library function; the worker adds
 * `onProgress` and `signal` to the options argument at `progressOptionIndex[op]` when given.
 */
import {
  readDicomSeries, listDicomSeries, surveyDicomFiles, readDicomHeader, readNifti, writeNifti,
  applyWindow, hounsfieldFromStored, clipIntensity, normalizeMinMax, zScore, whiteStripe, whiteStripeForeground,
  clahe, equalizeHistogram,
  n4BiasFieldCorrection, simulateBiasField,
  resample, resampleToSpacing,
  threshold, otsuThreshold, otsuMask, connectedComponents, binaryMorphology, detectMetal, segmentLungs,
  histogram, coefficientOfVariation, psnr, ssim, pearsonCorrelation, maxAbsoluteDifference,
  runCtPipeline, clipHistograms,
  nyulTrain, nyulTransform, simulateScannerChange, compareNormalizations, strideSubsample,
  clipStatistics, clipMasks, metalComponents, reorientImage, orientationCode,
  projectRadiograph, segmentLungFields,
  augmentImage, augmentImageAndLabels, elasticDisplacementField, flipAxis,
  simulateUltrasound, simulateXrayAcquisition, simulateArtifact,
  linearAttenuation, massAttenuation, kramersSpectrum, traceRay, beamHardening, hounsfieldUnits, hounsfieldVersusKvp,
  mriSignal, brainTissueClasses, simulateMriImage,
  photonNoise, simulateProjectionReadings,
  radon, iradon, iradonSart, mlem, radonTranspose, poissonLogLikelihood, sheppLoganPhantom, selectViews, blockMean, rmse, poissonNoise, transmissionNoise,
  runPipeline, validatePipeline, planPipeline, resizeImage, padOrCrop, castPixelType, normalizeInRegion, bodyMask,
  deidentifyDicomSeries,
  simulatePetAttenuation, attenuationCorrectionFactors, scanConvert,
  simulateFlatPanel, resizeAntialiased,
  simulateRawCounts, correctProjection, polychromaticProjection, fitWaterLinearization, applyWaterLinearization,
  kspaceExperiment, coilExperiment,
  dataConsistencyExperiment,
} from '../index'

export const operations = {
  readDicomSeries, listDicomSeries, surveyDicomFiles, readDicomHeader, readNifti, writeNifti,
  applyWindow, hounsfieldFromStored, clipIntensity, normalizeMinMax, zScore, whiteStripe, whiteStripeForeground,
  clahe, equalizeHistogram,
  n4BiasFieldCorrection, simulateBiasField,
  resample, resampleToSpacing,
  threshold, otsuThreshold, otsuMask, connectedComponents, binaryMorphology, detectMetal, segmentLungs,
  histogram, coefficientOfVariation, psnr, ssim, pearsonCorrelation, maxAbsoluteDifference,
  runCtPipeline, clipHistograms,
  nyulTrain, nyulTransform, simulateScannerChange, compareNormalizations, strideSubsample,
  clipStatistics, clipMasks, metalComponents, reorientImage, orientationCode,
  projectRadiograph, segmentLungFields,
  augmentImage, augmentImageAndLabels, elasticDisplacementField, flipAxis,
  simulateUltrasound, simulateXrayAcquisition, simulateArtifact,
  linearAttenuation, massAttenuation, kramersSpectrum, traceRay, beamHardening, hounsfieldUnits, hounsfieldVersusKvp,
  mriSignal, brainTissueClasses, simulateMriImage,
  photonNoise, simulateProjectionReadings,
  radon, iradon, iradonSart, mlem, radonTranspose, poissonLogLikelihood, sheppLoganPhantom, selectViews, blockMean, rmse, poissonNoise, transmissionNoise,
  runPipeline, validatePipeline, planPipeline, resizeImage, padOrCrop, castPixelType, normalizeInRegion, bodyMask,
  deidentifyDicomSeries,
  simulatePetAttenuation, attenuationCorrectionFactors, scanConvert,
  simulateFlatPanel, resizeAntialiased,
  simulateRawCounts, correctProjection, polychromaticProjection, fitWaterLinearization, applyWaterLinearization,
  kspaceExperiment, coilExperiment,
  dataConsistencyExperiment,
}

export type Operations = typeof operations
export type OperationName = keyof Operations

/** Position of the options object that accepts `onProgress` / `signal`, per operation. */
export const progressOptionIndex: Partial<Record<OperationName, number>> = {
  readDicomSeries: 1,
  surveyDicomFiles: 1,
  readNifti: 1,
  clahe: 1,
  equalizeHistogram: 1,
  n4BiasFieldCorrection: 1,
  whiteStripe: 1,
  resample: 1,
  resampleToSpacing: 2,
  binaryMorphology: 1,
  segmentLungs: 1,
  runCtPipeline: 2,
  radon: 1,
  iradon: 1,
  iradonSart: 1,
  mlem: 1,
  runPipeline: 2,
  simulatePetAttenuation: 1,
  attenuationCorrectionFactors: 1,
  dataConsistencyExperiment: 1,
}
