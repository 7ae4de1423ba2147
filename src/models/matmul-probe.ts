/**
 * The peak-throughput probe for MFU: one large MatMul [M, K] x [K, N] with a constant weight,
 * at a model precision, built the same way the synthetic models are (so int8 is onnxruntime's
 * quantize_dynamic pattern, fused to its quantized GEMM at level 'all', and fp16 has half
 * weights and activations). What ONNX Runtime reaches on it is the machine's practical peak.
 */
import { DataType, GraphBuilder, type Graph } from './graph.js';
import { float32ToFloat16 } from './float16.js';
import { encodeModel } from './onnx-proto.js';
import type { Precision } from './precision.js';
import { uniformFloats, WEIGHT_HALF_WIDTH } from './prng.js';
import { quantizeDynamicInt8 } from './quantize.js';

export interface ProbeShape {
  m: number;
  k: number;
  n: number;
}

/** A BERT feed-forward product at 512 tokens and 1.33x width: 4.3 GFLOP, enough to saturate GEMM kernels, quick to repeat. */
export const PROBE_SHAPE: ProbeShape = { m: 512, k: 1024, n: 4096 };

export function probeFlops(shape: ProbeShape): number {
  return 2 * shape.m * shape.k * shape.n;
}

/** The probe's input element type: float16 only for the fp16 probe. */
export function probeInputType(precision: Precision): 'float32' | 'float16' {
  return precision === 'fp16' ? 'float16' : 'float32';
}

export function matmulProbeGraph(precision: Precision, shape: ProbeShape = PROBE_SHAPE): Graph {
  const half = precision === 'fp16';
  const type = half ? DataType.FLOAT16 : DataType.FLOAT;
  const b = new GraphBuilder('matmul_probe');
  const x = b.input('x', type, ['m', shape.k]);
  b.output('y', type, ['m', shape.n]);
  const values = uniformFloats(shape.k * shape.n, 0x5eed, WEIGHT_HALF_WIDTH);
  const weight = b.initializer('weight', type, [shape.k, shape.n], half ? float32ToFloat16(values) : values);
  b.op('MatMul', 'y', [x, weight]);
  const graph = b.build();
  return precision === 'int8' ? quantizeDynamicInt8(graph) : graph;
}

/** The probe as .onnx bytes. */
export function matmulProbeModel(precision: Precision, shape: ProbeShape = PROBE_SHAPE): Uint8Array {
  const encoded = encodeModel(matmulProbeGraph(precision, shape), { producerName: 'zsc-bench', producerVersion: '1', docString: `MatMul peak probe ${shape.m}x${shape.k}x${shape.n} ${precision}` });
  const bytes = new Uint8Array(encoded.byteLength);
  let offset = 0;
  for (const chunk of encoded.chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
