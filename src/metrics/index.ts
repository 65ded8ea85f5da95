// Filled in by the metrics work; re-exports this folder's public API.
export {}
