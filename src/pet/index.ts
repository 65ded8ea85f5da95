// PET quantification: SUV with decay correction.
export { suvBodyWeight, decayFactor, SuvError, HALF_LIFE_SECONDS, type SuvErrorCode, type SuvInput, type SuvResult } from './suv'
