// Ultrasound: B-mode formation from scatterers (speckle), envelope detection, log compression.
export { simulateUltrasound, hilbertEnvelope, speckleSnr, UltrasoundError, SPEED_OF_SOUND, type UltrasoundErrorCode, type UltrasoundOptions, type UltrasoundResult } from './speckle'
// Ultrasound display steps: TGC, log compression, scan conversion (polar sector → Cartesian).
export { timeGainCompensation, logCompress, UltrasoundProcessingError, type UltrasoundProcessingErrorCode, type TgcOptions, type LogCompressionOptions } from './bmode'
export { scanConvert, sectorBounds, type ScanConversionOptions } from './scan-conversion'
