// Imaging physics: simulated acquisitions from volumes (a radiograph from a CT).
export * from './radiograph'
export * from './attenuation'
