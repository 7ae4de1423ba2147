/**
 * IEEE 754 binary32 -> binary16 conversion, written out bit by bit so the fp16 model files are
 * identical on every machine (round to nearest, ties to even; overflow to infinity; gradual
 * underflow to subnormals; NaN stays a quiet NaN).
 */

/** Converts one float32, given as its 32 bits, to the 16 bits of the nearest float16. */
export function float32BitsToFloat16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) {
    // Infinity keeps a zero mantissa; any NaN becomes a quiet NaN with the top payload bits.
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  }

  // float16 exponent bias is 15, float32's is 127.
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;

  if (halfExponent <= 0) {
    // Below 2^-25 even the smallest subnormal (2^-24) is more than twice away: round to zero.
    if (halfExponent < -10) return sign;
    // Subnormal result: value = significand * 2^-24, with the implicit leading 1 made explicit.
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    return sign | roundShift(significand, shift);
  }

  // Normal result; a carry out of the mantissa correctly bumps the exponent (up to infinity).
  return sign | (((halfExponent << 10) | (mantissa >>> 13)) + roundBit(mantissa, 13, mantissa >>> 13));
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  return kept + roundBit(value, shift, kept);
}

/** 1 when the bits shifted out round the kept part up (more than half, or exactly half and odd). */
function roundBit(value: number, shift: number, kept: number): number {
  const remainder = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return remainder > half || (remainder === half && (kept & 1) === 1) ? 1 : 0;
}

/** Converts a whole float32 array to float16 bit patterns. */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let index = 0; index < bits.length; index += 1) {
    out[index] = float32BitsToFloat16Bits(bits[index] as number);
  }
  return out;
}

/** The float32 value of 16 float16 bits: exact (every float16 is a float32). */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A float16 tensor's data (ONNX Runtime gives its bits as a Uint16Array) as float32 values. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  return Float32Array.from(bits, float16BitsToFloat32);
}
