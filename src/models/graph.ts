/**
 * A small in-memory ONNX graph: just what the synthetic models need, with tensor data kept as
 * byte views over the typed arrays that hold the weights (no copies until the file is encoded).
 */

/** ONNX TensorProto.DataType values used here. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

export interface Initializer {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  /** Little-endian element bytes, row-major. */
  data: Uint8Array;
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] };

export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
};

export interface GraphNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, AttributeValue>>;
}

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dataType: DataType;
  shape: readonly Dim[];
}

export interface Graph {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** In topological order. */
  nodes: GraphNode[];
  initializers: Initializer[];
}

type TensorData = Float32Array | Uint16Array | Int8Array | Uint8Array | BigInt64Array;

const ELEMENT_BYTES: Readonly<Record<DataType, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
};

export function bytesOf(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function makeInitializer(name: string, dataType: DataType, dims: readonly number[], data: TensorData): Initializer {
  const elements = dims.reduce((product, dim) => product * dim, 1);
  if (data.byteLength !== elements * ELEMENT_BYTES[dataType]) {
    throw new Error(`initializer ${name}: ${data.byteLength} bytes for dims [${dims.join(', ')}] of type ${dataType}`);
  }
  return { name, dataType, dims: [...dims], data: bytesOf(data) };
}

/** Views a float32 initializer's bytes as numbers, without copying. */
export function floatValues(initializer: Initializer): Float32Array {
  if (initializer.dataType !== DataType.FLOAT) throw new Error(`initializer ${initializer.name} is not float32`);
  const { data } = initializer;
  if (data.byteOffset % 4 !== 0) throw new Error(`initializer ${initializer.name}: float32 data is not 4-byte aligned`);
  return new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
}

/**
 * Collects inputs, initializers and nodes. Each single-output node's output is named after the
 * node, so names double as a readable trace of the model (e.g. `layer.3.attention.scores`).
 */
export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly nodes: GraphNode[] = [];
  private readonly initializers: Initializer[] = [];

  constructor(private readonly name: string) {}

  input(name: string, dataType: DataType, shape: readonly Dim[]): string {
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  output(name: string, dataType: DataType, shape: readonly Dim[]): void {
    this.outputs.push({ name, dataType, shape });
  }

  initializer(name: string, dataType: DataType, dims: readonly number[], data: TensorData): string {
    this.initializers.push(makeInitializer(name, dataType, dims, data));
    return name;
  }

  floatScalar(name: string, value: number): string {
    return this.initializer(name, DataType.FLOAT, [], Float32Array.of(value));
  }

  int64s(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(name, DataType.INT64, dims, BigInt64Array.from(values, (value) => BigInt(value)));
  }

  /** Adds a node with one output named like the node; returns that output. */
  op(opType: string, name: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    this.nodes.push({ name, opType, inputs, outputs: [name], attributes });
    return name;
  }

  build(): Graph {
    const graph: Graph = {
      name: this.name,
      inputs: this.inputs,
      outputs: this.outputs,
      nodes: this.nodes,
      initializers: this.initializers,
    };
    checkGraph(graph);
    return graph;
  }
}

/**
 * Catches wiring mistakes before ORT does, with a clearer message: every value defined once, every
 * node input defined by an earlier node, a graph input or an initializer, every output produced.
 */
export function checkGraph(graph: Graph): void {
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (defined.has(name)) throw new Error(`graph ${graph.name}: ${what} '${name}' is defined twice`);
    defined.add(name);
  };
  for (const input of graph.inputs) define(input.name, 'input');
  for (const initializer of graph.initializers) define(initializer.name, 'initializer');
  const nodeNames = new Set<string>();
  for (const node of graph.nodes) {
    if (nodeNames.has(node.name)) throw new Error(`graph ${graph.name}: node name '${node.name}' is used twice`);
    nodeNames.add(node.name);
    for (const input of node.inputs) {
      if (!defined.has(input)) throw new Error(`graph ${graph.name}: node '${node.name}' reads '${input}' before it is defined`);
    }
    for (const output of node.outputs) define(output, `output of node '${node.name}'`);
  }
  for (const output of graph.outputs) {
    if (!defined.has(output.name)) throw new Error(`graph ${graph.name}: output '${output.name}' is never produced`);
  }
}
