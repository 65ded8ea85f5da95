// Filled in by the contrast work; re-exports this folder's public API.
export {}
