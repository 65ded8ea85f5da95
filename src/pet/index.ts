// PET quantification: SUV with decay correction.
export { suvBodyWeight, decayFactor, SuvError, HALF_LIFE_SECONDS, type SuvErrorCode, type SuvInput, type SuvResult } from './suv'
// PET corrections: CT-based attenuation (bilinear HU → μ511, ACFs), decay of a frame, randoms; partial volume.
export { huToMu511, muAt511, attenuationCorrectionFactors, applySinogramFactors, decayCorrectionFactor, randomsRate, PetCorrectionError, CARNEY_BILINEAR, MU_WATER_511_PER_HU, type PetCorrectionErrorCode, type BilinearParameters, type HuToMuOptions, type AttenuationFactorOptions } from './attenuation-correction'
export { recoveryCoefficient, blurredSphereProfile, fwhmToSigma, erf, type RecoveryOptions } from './partial-volume'
export { simulatePetAttenuation, type PetAcSimulation, type PetAcSimulationOptions, type RoiMeans } from './ac-simulation'
