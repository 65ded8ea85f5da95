// Ultrasound: B-mode formation from scatterers (speckle), envelope detection, log compression.
export { simulateUltrasound, hilbertEnvelope, speckleSnr, UltrasoundError, SPEED_OF_SOUND, type UltrasoundErrorCode, type UltrasoundOptions, type UltrasoundResult } from './speckle'
