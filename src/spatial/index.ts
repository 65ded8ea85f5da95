// Filled in by the spatial work; re-exports this folder's public API.
export {}
