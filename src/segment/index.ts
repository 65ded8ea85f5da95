// Filled in by the segment work; re-exports this folder's public API.
export {}
