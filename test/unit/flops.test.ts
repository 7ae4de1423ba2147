import { describe, expect, it } from 'vitest';
import { encoderRunFlops } from '../../src/core/flops.js';
import { matmulProbeGraph, probeFlops } from '../../src/models/matmul-probe.js';

describe('encoderRunFlops', () => {
  const base = { layers: 12, hidden: 768, intermediate: 3072 };
  it('BERT-base, one pair of 150 tokens: 26.31 GFLOP (projections, attention, FFN, pooler, classifier)', () => {
    // per layer: 8*150*768^2 + 4*150^2*768 + 4*150*768*3072 = 707788800 + 69120000 + 1415577600
    // head: 2*768^2 + 2*768*3
    expect(encoderRunFlops(base, 1, 150, 3)).toBe(12 * 2192486400 + 1184256);
  });
  it('scales with rows, and quadratically in part with the sequence', () => {
    expect(encoderRunFlops(base, 20, 150, 3)).toBe(20 * encoderRunFlops(base, 1, 150, 3));
    const short = encoderRunFlops({ layers: 1, hidden: 2, intermediate: 4 }, 1, 3, 3);
    // 8*3*4 + 4*9*2 + 4*3*2*4 + 2*4 + 2*2*3 = 96 + 72 + 96 + 8 + 12
    expect(short).toBe(284);
  });
});

describe('the MatMul peak probe', () => {
  const shape = { m: 4, k: 8, n: 16 };
  it('counts 2·M·K·N FLOPs', () => expect(probeFlops({ m: 2048, k: 1024, n: 4096 })).toBe(17179869184));
  it('fp32: one MatMul on a constant weight', () => {
    const graph = matmulProbeGraph('fp32', shape);
    expect(graph.nodes.map((node) => node.opType)).toEqual(['MatMul']);
    expect(graph.initializers[0]?.dims).toEqual([8, 16]);
  });
  it('int8: the quantize_dynamic pattern the models use', () => {
    expect(matmulProbeGraph('int8', shape).nodes.map((node) => node.opType)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul']);
  });
  it('fp16: half inputs, weights and output', () => {
    const graph = matmulProbeGraph('fp16', shape);
    expect([graph.inputs[0]?.dataType, graph.initializers[0]?.dataType, graph.outputs[0]?.dataType]).toEqual([10, 10, 10]);
  });
});
