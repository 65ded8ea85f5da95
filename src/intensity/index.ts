// Filled in by the intensity work; re-exports this folder's public API.
export {}
