/**
 * Encodes graphs as ONNX ModelProto files with the official ONNX schema: onnx-proto ships
 * onnx.proto3 (ONNX 1.10.2, IR version 8, the version written here) compiled to protobufjs
 * encoders. It is pinned exactly: the model files' bytes, and so their hashes, come from it.
 * summarizeModel reads any model file's interface back with the same schema (`model inspect`).
 */
import protobuf from 'protobufjs';
import onnxProto from 'onnx-proto';
import type { AttributeValue, Dim, Graph, ValueInfo } from './graph.js';

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

/** protobuf's 2 GiB message limit; bigger models need ONNX external data (the `external` option). */
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
 * Where initializers' bytes go when the model keeps its weights outside the .onnx file (ONNX
 * external data, how exports over 2 GiB come): `location` relative to the model file.
 */
export interface ExternalDataOptions {
  location: string;
  /** Tensors smaller than this stay inline, as onnx's convert_model_to_external_data does (1024). */
  threshold?: number;
}

/** The .onnx file and, with external data, the data file its initializers point into. */
export interface EncodedModelFiles extends EncodedModel {
  externalData?: EncodedModel;
}

const EXTERNAL_DATA_THRESHOLD = 1024;

/**
 * The .onnx file. The schema's encoders write every message, but the nesting (ModelProto.graph,
 * GraphProto.node/initializer, TensorProto.raw_data) is framed here: protobufjs writes into one
 * growing buffer and shifts it on every length prefix, which for BERT-base copied the 409 MB of
 * weights about three times (1.5 GB peak). Fields still come in field-number order, so the bytes
 * equal what `onnx.ModelProto.encode` of the whole message gives (test/unit/onnx-proto.test.ts).
 */
export function encodeModel(graph: Graph, metadata: ModelMetadata, external?: ExternalDataOptions): EncodedModelFiles {
  const data: EncodedModel = { chunks: [], byteLength: 0 };
  const threshold = external?.threshold ?? EXTERNAL_DATA_THRESHOLD;
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
    if (external !== undefined && tensor.data.byteLength >= threshold) {
      // The tensor names its bytes' place in the data file instead of holding them.
      const externalData = [
        { key: 'location', value: external.location },
        { key: 'offset', value: String(data.byteLength) },
        { key: 'length', value: String(tensor.data.byteLength) },
      ];
      append(data, tensor.data);
      const message = { dims: [...tensor.dims], dataType: tensor.dataType, name: tensor.name, externalData, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL };
      appendField(graphBody, FIELD.graphInitializer, [onnx.TensorProto.encode(message).finish()]);
      continue;
    }
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
  return external === undefined ? model : { ...model, externalData: data };
}

/** A graph input or output: its element type as ONNX Runtime names it (float32, int64...) and its shape. */
export interface TensorInfo {
  name: string;
  /** `float32`, `float16`, `int64`...; `not a tensor` for sequence or map values. */
  elementType: string;
  /** A dimension's size, its symbolic name (`batch`), or '?' when the file names neither; undefined when the rank is unknown. */
  shape?: Dim[];
}

/** What a model file declares: inputs and outputs, and its weights as counted from the initializers. */
export interface ModelSummary {
  /** Graph inputs that are not initializers: what a session must be fed. */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: number;
  /** Elements summed over every initializer (weights, biases, and constants such as shapes and quantization scales). */
  parameters: number;
  /** Files that initializers keep their data in (ONNX external data), relative to the model file, in first-use order. */
  externalData: string[];
}

/** ONNX Runtime's names of tensor element types (ort.Tensor.type), by TensorProto.DataType. */
const ELEMENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

export function elementTypeName(dataType: number): string {
  return ELEMENT_TYPE_NAMES[dataType] ?? `type ${dataType}`;
}

function tensorInfo(value: onnxProto.onnx.IValueInfoProto): TensorInfo {
  const name = value.name ?? '';
  const tensor = value.type?.tensorType;
  if (tensor === null || tensor === undefined) return { name, elementType: 'not a tensor' };
  const info: TensorInfo = { name, elementType: elementTypeName(tensor.elemType ?? 0) };
  if (tensor.shape !== null && tensor.shape !== undefined) {
    info.shape = (tensor.shape.dim ?? []).map((dim) => (dim.dimValue !== null && dim.dimValue !== undefined ? Number(dim.dimValue) : dim.dimParam || '?'));
  }
  return info;
}

/**
 * Reads a model file's interface and weight count with the schema's own decoder. Tensor bytes are
 * not copied (protobufjs decodes them as views of `bytes`); external data is counted from dims.
 */
export function summarizeModel(bytes: Uint8Array): ModelSummary {
  const graph = onnx.ModelProto.decode(bytes).graph;
  const initializers = graph?.initializer ?? [];
  const initializerNames = new Set(initializers.map((tensor) => tensor.name));
  const externalData = new Set<string>();
  let parameters = 0;
  for (const tensor of initializers) {
    // dims [] is a scalar: one element.
    parameters += (tensor.dims ?? []).reduce<number>((product, dim) => product * Number(dim), 1);
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const location = (tensor.externalData ?? []).find((entry) => entry.key === 'location')?.value;
      if (typeof location === 'string' && location !== '') externalData.add(location);
    }
  }
  return {
    // Before IR version 4 an initializer was also listed as an input; ONNX Runtime does not ask for it.
    inputs: (graph?.input ?? []).filter((input) => !initializerNames.has(input.name ?? '')).map(tensorInfo),
    outputs: (graph?.output ?? []).map(tensorInfo),
    initializers: initializers.length,
    parameters,
    externalData: [...externalData],
  };
}
