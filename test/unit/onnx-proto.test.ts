import { createHash } from 'node:crypto';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { matmulProbeGraph } from '../../src/models/matmul-probe.js';
import { encodeModel, IR_VERSION, OPSET_VERSION } from '../../src/models/onnx-proto.js';
import { buildOverlapGraph } from '../../src/models/overlap.js';

const { onnx } = onnxProto;
const metadata = { producerName: 'zsc-bench', producerVersion: '1', docString: 'test' };

function bytesOf(graph: Parameters<typeof encodeModel>[0]): Uint8Array {
  const encoded = encodeModel(graph, metadata);
  const bytes = Buffer.concat(encoded.chunks);
  expect(bytes.byteLength).toBe(encoded.byteLength);
  return bytes;
}

describe('encodeModel', () => {
  it('frames the file exactly as the official schema encodes the whole message', () => {
    for (const graph of [buildOverlapGraph(), matmulProbeGraph('int8', { m: 4, k: 8, n: 2 })]) {
      const bytes = bytesOf(graph);
      // Decoding and re-encoding with the schema gives the canonical bytes: equal only if the
      // hand-framed nesting, field numbers and field order are right.
      expect(Buffer.from(onnx.ModelProto.encode(onnx.ModelProto.decode(bytes)).finish()).equals(bytes)).toBe(true);
    }
  });

  it('writes what the graph says, defaults left out reading back as defaults', () => {
    const graph = buildOverlapGraph();
    const model = onnx.ModelProto.decode(bytesOf(graph));
    expect(Number(model.irVersion)).toBe(IR_VERSION);
    expect(model.opsetImport.map((opset) => ({ domain: opset.domain, version: Number(opset.version) }))).toEqual([{ domain: '', version: OPSET_VERSION }]);
    expect(model.producerName).toBe('zsc-bench');
    const decoded = model.graph;
    expect(decoded?.node?.map((node) => node.opType)).toEqual(graph.nodes.map((node) => node.opType));
    expect(decoded?.initializer?.map((tensor) => tensor.name)).toEqual(graph.initializers.map((tensor) => tensor.name));
    expect(decoded?.input?.map((input) => input.name)).toEqual(graph.inputs.map((input) => input.name));
    const keepdims = (decoded?.node ?? []).flatMap((node) => node.attribute ?? []).find((attribute) => attribute.name === 'keepdims');
    expect(keepdims && { type: keepdims.type, i: Number(keepdims.i) }).toEqual({ type: onnx.AttributeProto.AttributeType.INT, i: 0 });
  });

  it('keeps the bytes (and so the hashes) of the files the hand-written schema subset wrote', () => {
    // Digest of this graph as encoded before onnx-proto: a change here changes every synthetic
    // model's sha256, which needs GRAPH_FORMAT_VERSION bumped in models/build.ts.
    const digest = createHash('sha256').update(bytesOf(buildOverlapGraph())).digest('hex');
    expect(digest).toBe('f50db5117c70ce04b7b6174538a0165e8cd8c4cdd6e4498285950fca7c398b09');
  });
});

describe('encodeModel with external data', () => {
  it('moves tensors of 1024 bytes or more into the data file, in order, each naming its place; small ones stay inline', () => {
    const graph = buildOverlapGraph();
    const inline = onnx.ModelProto.decode(bytesOf(graph));
    const encoded = encodeModel(graph, metadata, { location: 'model.onnx_data' });
    const model = onnx.ModelProto.decode(Buffer.concat(encoded.chunks));
    const data = Buffer.concat(encoded.externalData?.chunks ?? []);
    expect(data.byteLength).toBe(encoded.externalData?.byteLength);
    let offset = 0;
    let moved = 0;
    for (const [index, tensor] of (model.graph?.initializer ?? []).entries()) {
      const original = graph.initializers[index];
      const bytes = Buffer.from(original?.data.buffer ?? new ArrayBuffer(0), original?.data.byteOffset, original?.data.byteLength);
      if (bytes.byteLength < 1024) {
        expect(tensor.dataLocation ?? 0, tensor.name ?? '').toBe(onnx.TensorProto.DataLocation.DEFAULT);
        expect(Buffer.from(tensor.rawData ?? []).equals(bytes)).toBe(true);
        continue;
      }
      moved += 1;
      expect(tensor.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
      expect(tensor.rawData?.length ?? 0).toBe(0);
      expect(Object.fromEntries((tensor.externalData ?? []).map((entry) => [entry.key, entry.value]))).toEqual({ location: 'model.onnx_data', offset: String(offset), length: String(bytes.byteLength) });
      expect(data.subarray(offset, offset + bytes.byteLength).equals(bytes)).toBe(true);
      offset += bytes.byteLength;
    }
    expect(moved).toBeGreaterThan(0);
    expect(offset).toBe(data.byteLength);
    // The rest of the model is as without external data.
    expect(model.graph?.node?.length).toBe(inline.graph?.node?.length);
  });

  it('without the option there is no data file', () => {
    expect(encodeModel(buildOverlapGraph(), metadata).externalData).toBeUndefined();
  });
});
