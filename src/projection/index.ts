// CT raw data before the image exists: simulated detector readings, offset / gain / reference correction and the log transform, bad channels, water beam-hardening linearisation, HU calibration.
export { ProjectionError, type ProjectionErrorCode } from './errors'
export { simulateRawCounts, normalSample, type RawCountsOptions, type RawScan } from './raw'
export { correctProjection, detectDeadChannels, interpolateBadChannels, type ProjectionCalibration, type CorrectProjectionOptions, type CorrectedProjection } from './correct'
export { polychromaticProjection, fitWaterLinearization, applyWaterLinearization, leastSquares, type PolychromaticProjectionOptions, type WaterLinearizationOptions, type WaterLinearization } from './water'
export { attenuationToHu, type AttenuationToHuOptions } from './hu'
