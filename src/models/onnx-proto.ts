/**
 * Encodes graphs as ONNX ModelProto files with protobufjs and a hand-written subset of onnx.proto
 * (proto2; field numbers exactly as in onnx/onnx.proto). Only what the synthetic models use is
 * declared; decoding skips anything else, so ORT's optimized files can be read back in tests.
 */
import protobuf from 'protobufjs';
import type { AttributeValue, Graph, ValueInfo } from './graph.js';

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

interface MessageJson {
  fields: Record<string, { type: string; id: number; rule?: 'repeated' }>;
  nested?: Record<string, MessageJson>;
}

const field = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ type, id, rule: 'repeated' as const });

// proto2, protobufjs's default: repeated scalars are unpacked, as onnx.proto's dims and ints are.
const messages: Record<string, MessageJson> = {
  ModelProto: {
    fields: {
      ir_version: field('int64', 1),
      producer_name: field('string', 2),
      producer_version: field('string', 3),
      doc_string: field('string', 6),
      graph: field('GraphProto', 7),
      opset_import: repeated('OperatorSetIdProto', 8),
    },
  },
  OperatorSetIdProto: {
    fields: { domain: field('string', 1), version: field('int64', 2) },
  },
  GraphProto: {
    fields: {
      node: repeated('NodeProto', 1),
      name: field('string', 2),
      initializer: repeated('TensorProto', 5),
      input: repeated('ValueInfoProto', 11),
      output: repeated('ValueInfoProto', 12),
    },
  },
  NodeProto: {
    fields: {
      input: repeated('string', 1),
      output: repeated('string', 2),
      name: field('string', 3),
      op_type: field('string', 4),
      attribute: repeated('AttributeProto', 5),
      domain: field('string', 7),
    },
  },
  AttributeProto: {
    fields: {
      name: field('string', 1),
      f: field('float', 2),
      i: field('int64', 3),
      ints: repeated('int64', 8),
      type: field('int32', 20),
    },
  },
  TensorProto: {
    fields: {
      dims: repeated('int64', 1),
      data_type: field('int32', 2),
      name: field('string', 8),
      raw_data: field('bytes', 9),
    },
  },
  ValueInfoProto: {
    fields: { name: field('string', 1), type: field('TypeProto', 2) },
  },
  TypeProto: {
    fields: { tensor_type: field('Tensor', 1) },
    nested: {
      Tensor: { fields: { elem_type: field('int32', 1), shape: field('TensorShapeProto', 2) } },
    },
  },
  TensorShapeProto: {
    fields: { dim: repeated('Dimension', 1) },
    nested: {
      // dim_value and dim_param form a oneof in onnx.proto; we always set exactly one.
      Dimension: { fields: { dim_value: field('int64', 1), dim_param: field('string', 2) } },
    },
  },
};

const root = protobuf.Root.fromJSON({ nested: { onnx: { nested: messages } } });
/** The ModelProto message type (exported so tests can decode and re-encode files with protobufjs alone). */
export const ModelProto = root.lookupType('onnx.ModelProto');
const GraphProto = root.lookupType('onnx.GraphProto');
const NodeProto = root.lookupType('onnx.NodeProto');
const TensorProto = root.lookupType('onnx.TensorProto');

/** ONNX AttributeProto.AttributeType values used here. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, ints: 7 } as const;

function attributeMessage(name: string, attribute: AttributeValue): Record<string, unknown> {
  switch (attribute.kind) {
    case 'float':
      return { name, type: ATTRIBUTE_TYPE.float, f: attribute.value };
    case 'int':
      return { name, type: ATTRIBUTE_TYPE.int, i: attribute.value };
    case 'ints':
      return { name, type: ATTRIBUTE_TYPE.ints, ints: attribute.value };
  }
}

function valueInfoMessage(info: ValueInfo): Record<string, unknown> {
  const dim = info.shape.map((size) => (typeof size === 'number' ? { dim_value: size } : { dim_param: size }));
  return { name: info.name, type: { tensor_type: { elem_type: info.dataType, shape: { dim } } } };
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
 * The .onnx file. protobufjs encodes every message, but the nesting (ModelProto.graph,
 * GraphProto.node/initializer, TensorProto.raw_data) is framed here: protobufjs 8 writes into one
 * growing buffer and shifts it on every length prefix, which for BERT-base copied the 409 MB of
 * weights about three times (1.5 GB peak). Fields still come in field-number order, so the bytes
 * equal what `ModelProto.encode` of the whole message gives (the tests check this).
 */
export function encodeModel(graph: Graph, metadata: ModelMetadata): EncodedModel {
  const graphBody: EncodedModel = { chunks: [], byteLength: 0 };
  for (const node of graph.nodes) {
    const message = {
      input: node.inputs,
      output: node.outputs,
      name: node.name,
      op_type: node.opType,
      attribute: Object.entries(node.attributes).map(([name, value]) => attributeMessage(name, value)),
    };
    appendField(graphBody, 1, [NodeProto.encode(message).finish()]);
  }
  append(graphBody, GraphProto.encode({ name: graph.name }).finish());
  for (const tensor of graph.initializers) {
    const head = TensorProto.encode({ dims: tensor.dims, data_type: tensor.dataType, name: tensor.name }).finish();
    const rawData: EncodedModel = { chunks: [], byteLength: 0 };
    appendField(rawData, 9, [tensor.data]);
    appendField(graphBody, 5, [head, ...rawData.chunks]);
  }
  append(graphBody, GraphProto.encode({ input: graph.inputs.map(valueInfoMessage), output: graph.outputs.map(valueInfoMessage) }).finish());

  const model: EncodedModel = { chunks: [], byteLength: 0 };
  const header = {
    ir_version: IR_VERSION,
    producer_name: metadata.producerName,
    producer_version: metadata.producerVersion,
    doc_string: metadata.docString,
  };
  append(model, ModelProto.encode(header).finish());
  appendField(model, 7, graphBody.chunks);
  append(model, ModelProto.encode({ opset_import: [{ domain: '', version: OPSET_VERSION }] }).finish());
  if (model.byteLength > MAX_MODEL_BYTES) throw new Error(`graph ${graph.name}: ${model.byteLength} bytes exceed protobuf's 2 GiB limit`);
  return model;
}

/** A decoded ModelProto, as plain objects with the field names above (64-bit integers as numbers). */
export interface DecodedModel {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  graph?: {
    node?: { op_type?: string; domain?: string; name?: string; input?: string[]; output?: string[] }[];
    initializer?: { name?: string; data_type?: number; dims?: number[] }[];
    input?: { name?: string }[];
    output?: { name?: string }[];
  };
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as DecodedModel;
}
