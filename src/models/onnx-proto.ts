/**
 * Encodes graphs as ONNX ModelProto files with the official ONNX schema: onnx-proto ships
 * onnx.proto3 (ONNX 1.10.2, IR version 8, the version written here) compiled to protobufjs
 * encoders. It is pinned exactly: the model files' bytes, and so their hashes, come from it.
 */
import protobuf from 'protobufjs';
import onnxProto from 'onnx-proto';
import type { AttributeValue, Graph, ValueInfo } from './graph.js';

const { onnx } = onnxProto;

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

/**
 * Zero is the schema's default for `f` and `i`: such a value is left out, as the earlier encoder
 * (which skipped defaults) did, so the files keep their bytes and hashes. Readers see 0 either way.
 */
function attributeMessage(name: string, attribute: AttributeValue): onnxProto.onnx.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  switch (attribute.kind) {
    case 'float':
      return { name, type: type.FLOAT, ...(attribute.value === 0 ? {} : { f: attribute.value }) };
    case 'int':
      return { name, type: type.INT, ...(attribute.value === 0 ? {} : { i: attribute.value }) };
    case 'ints':
      return { name, type: type.INTS, ints: [...attribute.value] };
  }
}

function valueInfoMessage(info: ValueInfo): onnxProto.onnx.IValueInfoProto {
  const dim = info.shape.map((size) => (typeof size === 'number' ? { dimValue: size } : { dimParam: size }));
  return { name: info.name, type: { tensorType: { elemType: info.dataType, shape: { dim } } } };
}

export interface ModelMetadata {
  producerName: string;
  producerVersion: string;
  docString: string;
}

/** A serialized model as byte chunks in file order; tensor chunks are views of the weights themselves. */
export interface EncodedModel {
  chunks: Uint8Array[];
  byteLength: number;
}

/** protobuf's 2 GiB message limit; bigger models need ONNX external data, which we never need. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;
const WIRE_TYPE_LENGTH_DELIMITED = 2;
/**
 * Field numbers of the messages framed by hand below, as in onnx.proto (the compiled encoders keep
 * no reflection to look them up; the unit test checks the framing against the schema's own encode).
 */
const FIELD = { modelGraph: 7, graphNode: 1, graphInitializer: 5, tensorRawData: 9 } as const;

/** Appends a length-delimited field (tag, byte length, then the given chunks) to `out`. */
function appendField(out: EncodedModel, fieldNumber: number, body: readonly Uint8Array[]): void {
  const length = body.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const header = protobuf.Writer.create().uint32((fieldNumber << 3) | WIRE_TYPE_LENGTH_DELIMITED).uint32(length).finish();
  out.chunks.push(header, ...body);
  out.byteLength += header.byteLength + length;
}

function append(out: EncodedModel, bytes: Uint8Array): void {
  out.chunks.push(bytes);
  out.byteLength += bytes.byteLength;
}

/**
 * The .onnx file. The schema's encoders write every message, but the nesting (ModelProto.graph,
 * GraphProto.node/initializer, TensorProto.raw_data) is framed here: protobufjs writes into one
 * growing buffer and shifts it on every length prefix, which for BERT-base copied the 409 MB of
 * weights about three times (1.5 GB peak). Fields still come in field-number order, so the bytes
 * equal what `onnx.ModelProto.encode` of the whole message gives (test/unit/onnx-proto.test.ts).
 */
export function encodeModel(graph: Graph, metadata: ModelMetadata): EncodedModel {
  const graphBody: EncodedModel = { chunks: [], byteLength: 0 };
  for (const node of graph.nodes) {
    const message: onnxProto.onnx.INodeProto = {
      input: [...node.inputs],
      output: [...node.outputs],
      name: node.name,
      opType: node.opType,
      attribute: Object.entries(node.attributes).map(([name, value]) => attributeMessage(name, value)),
    };
    appendField(graphBody, FIELD.graphNode, [onnx.NodeProto.encode(message).finish()]);
  }
  append(graphBody, onnx.GraphProto.encode({ name: graph.name }).finish());
  for (const tensor of graph.initializers) {
    const head = onnx.TensorProto.encode({ dims: [...tensor.dims], dataType: tensor.dataType, name: tensor.name }).finish();
    const rawData: EncodedModel = { chunks: [], byteLength: 0 };
    appendField(rawData, FIELD.tensorRawData, [tensor.data]);
    appendField(graphBody, FIELD.graphInitializer, [head, ...rawData.chunks]);
  }
  append(graphBody, onnx.GraphProto.encode({ input: graph.inputs.map(valueInfoMessage), output: graph.outputs.map(valueInfoMessage) }).finish());

  const model: EncodedModel = { chunks: [], byteLength: 0 };
  const header: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: metadata.producerName,
    producerVersion: metadata.producerVersion,
    docString: metadata.docString,
  };
  append(model, onnx.ModelProto.encode(header).finish());
  appendField(model, FIELD.modelGraph, graphBody.chunks);
  // The default domain ('' = ai.onnx) is left out, as the earlier encoder did (same bytes).
  append(model, onnx.ModelProto.encode({ opsetImport: [{ version: OPSET_VERSION }] }).finish());
  if (model.byteLength > MAX_MODEL_BYTES) throw new Error(`graph ${graph.name}: ${model.byteLength} bytes exceed protobuf's 2 GiB limit`);
  return model;
}
