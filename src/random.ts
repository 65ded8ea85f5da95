/**
 * mulberry32 (Tommy Ettinger, public domain): a small, fast, well-mixed 32-bit PRNG returning
 * floats in [0, 1). Used where results must be reproducible from a seed (synthetic bias fields,
 * the thorax phantom), never for anything that needs cryptographic randomness.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
