/**
 * Seeded weights for the synthetic models. Integer-only arithmetic (mulberry32 plus a murmur3
 * finalizer) and exactly rounded float operations, so the same seed gives the same bytes on every
 * machine and Node version; no Math.sin/log/exp, whose results depend on the platform's libm.
 * Kept here rather than shared with src/core/random.ts: a model file's sha256 is part of a
 * benchmark's identity, so this generator must never change under it.
 */

/** Half-width of a uniform distribution with standard deviation 0.02 (BERT's initializer range): 0.02 * sqrt(3). */
export const WEIGHT_HALF_WIDTH = 0.034641016151377546;

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finalizer: spreads every input bit over the whole word. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index += 1) {
    hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The stream seed of one named tensor: each tensor gets its own stream, so its values depend only
 * on (seed, name), never on the order tensors are generated in. `seed` may be any safe integer.
 */
export function tensorSeed(seed: number, name: string): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return fmix32(fmix32(fmix32(hashName(name) ^ 0x9e3779b9) ^ low) ^ high);
}

/** `count` float32 values uniform in [-halfWidth, halfWidth), drawn with mulberry32 from `streamSeed`. */
export function uniformFloats(count: number, streamSeed: number, halfWidth: number): Float32Array {
  const out = new Float32Array(count);
  let state = streamSeed >>> 0;
  const step = (2 * halfWidth) / TWO_POW_32;
  for (let index = 0; index < count; index += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const draw = (t ^ (t >>> 14)) >>> 0;
    out[index] = draw * step - halfWidth;
  }
  return out;
}
