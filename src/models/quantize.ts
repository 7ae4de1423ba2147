/**
 * Precision variants of a float32 graph, as separate graphs sharing the untouched tensors:
 * - fp16: every float initializer and computation in half precision, integer inputs unchanged,
 *   float outputs cast back to float32 (onnxconverter's keep_io_types style).
 * - int8: onnxruntime's quantize_dynamic pattern for every MatMul with a constant weight.
 */
import { float32ToFloat16 } from './float16.js';
import { attr, DataType, floatValues, makeInitializer, type Graph, type GraphNode, type Initializer } from './graph.js';

/**
 * Half-precision graph. ORT's CPU provider lacks fp16 kernels for some ops (e.g. MatMul, Erf) and
 * inserts Casts around them itself, so this runs everywhere; it is faster only on fp16 hardware.
 */
export function toFloat16(graph: Graph, options: { float16Outputs?: boolean } = {}): Graph {
  const floatInput = graph.inputs.find((input) => input.dataType === DataType.FLOAT);
  if (floatInput !== undefined) throw new Error(`toFloat16: float input '${floatInput.name}' is not supported`);
  // float16Outputs: the logits stay half precision, as some fp16 exports have them (no keep_io_types).
  const float16Outputs = options.float16Outputs === true;
  const floatOutputs = new Set(float16Outputs ? [] : graph.outputs.filter((output) => output.dataType === DataType.FLOAT).map((output) => output.name));
  const internal = (name: string) => (floatOutputs.has(name) ? `${name}_float16` : name);

  const nodes: GraphNode[] = graph.nodes.map((node) => {
    const castsToFloat = node.opType === 'Cast' && node.attributes['to']?.value === DataType.FLOAT;
    return {
      ...node,
      inputs: node.inputs.map(internal),
      outputs: node.outputs.map(internal),
      attributes: castsToFloat ? { ...node.attributes, to: attr.int(DataType.FLOAT16) } : node.attributes,
    };
  });
  for (const name of floatOutputs) {
    nodes.push({ name: `${name}/cast_to_float32`, opType: 'Cast', inputs: [internal(name)], outputs: [name], attributes: { to: attr.int(DataType.FLOAT) } });
  }
  const initializers = graph.initializers.map((tensor) =>
    tensor.dataType === DataType.FLOAT ? makeInitializer(tensor.name, DataType.FLOAT16, tensor.dims, float32ToFloat16(floatValues(tensor))) : tensor,
  );
  if (!float16Outputs) return { ...graph, nodes, initializers };
  const outputs = graph.outputs.map((output) => (output.dataType === DataType.FLOAT ? { ...output, dataType: DataType.FLOAT16 } : output));
  return { ...graph, nodes, initializers, outputs };
}

/** Rounds half to even, as numpy's rint in onnxruntime's quantizer does (Math.round rounds halves up). */
function roundHalfEven(value: number): number {
  const rounded = Math.round(value);
  return rounded - value === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** Symmetric per-tensor int8: scale = max|w| / 127, zero point 0. */
export function quantizeSymmetric(values: Float32Array): { quantized: Int8Array; scale: number } {
  let maxAbs = 0;
  for (let index = 0; index < values.length; index += 1) {
    const magnitude = Math.abs(values[index] as number);
    if (magnitude > maxAbs) maxAbs = magnitude;
  }
  // An all-zero tensor quantizes to zeros with any scale; 1 avoids dividing by zero.
  const scale = maxAbs === 0 ? 1 : Math.fround(maxAbs / 127);
  const quantized = new Int8Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    // |w| <= max|w| keeps the result in [-127, 127]; Int8Array stores it exactly.
    quantized[index] = roundHalfEven((values[index] as number) / scale);
  }
  return { quantized, scale };
}

interface QuantizedTensor {
  values: string;
  scale: string;
  zeroPoint: string;
}

/**
 * Dynamic quantization as onnxruntime.quantization.quantize_dynamic writes it (QOperator format):
 * each activation feeding such MatMuls is quantized once per run with DynamicQuantizeLinear
 * (uint8, one scale for the whole tensor); weights once, here. Then
 * MatMulInteger -> Cast(float) -> Mul(activation scale * weight scale) replaces the MatMul, and the
 * bias Add stays. With graphOptimizationLevel 'all' ORT fuses this into one MatMulIntegerToFloat
 * or DynamicQuantizeMatMul kernel; without it, it is slow. Embedding tables (Gather) stay float32.
 */
export function quantizeDynamicInt8(graph: Graph): Graph {
  const initializerByName = new Map(graph.initializers.map((tensor) => [tensor.name, tensor]));
  const activations = new Map<string, QuantizedTensor>();
  const weights = new Map<string, QuantizedTensor>();
  const added: Initializer[] = [];
  const nodes: GraphNode[] = [];

  const quantizedWeight = (weight: Initializer): QuantizedTensor => {
    const known = weights.get(weight.name);
    if (known !== undefined) return known;
    const { quantized, scale } = quantizeSymmetric(floatValues(weight));
    const names = { values: `${weight.name}_quantized`, scale: `${weight.name}_scale`, zeroPoint: `${weight.name}_zero_point` };
    added.push(
      makeInitializer(names.values, DataType.INT8, weight.dims, quantized),
      makeInitializer(names.scale, DataType.FLOAT, [], Float32Array.of(scale)),
      makeInitializer(names.zeroPoint, DataType.INT8, [], Int8Array.of(0)),
    );
    weights.set(weight.name, names);
    return names;
  };

  const quantizedActivation = (input: string): QuantizedTensor => {
    const known = activations.get(input);
    if (known !== undefined) return known;
    const names = { values: `${input}_quantized`, scale: `${input}_scale`, zeroPoint: `${input}_zero_point` };
    nodes.push({ name: `${input}_DynamicQuantizeLinear`, opType: 'DynamicQuantizeLinear', inputs: [input], outputs: [names.values, names.scale, names.zeroPoint], attributes: {} });
    activations.set(input, names);
    return names;
  };

  for (const node of graph.nodes) {
    const [input, weightName] = node.inputs;
    const weight = node.opType === 'MatMul' && weightName !== undefined ? initializerByName.get(weightName) : undefined;
    const [output] = node.outputs;
    if (input === undefined || output === undefined || weight === undefined || weight.dataType !== DataType.FLOAT || weight.dims.length !== 2) {
      nodes.push(node);
      continue;
    }
    const x = quantizedActivation(input);
    const w = quantizedWeight(weight);
    const integer = `${node.name}_MatMulInteger`;
    const asFloat = `${node.name}_Cast`;
    const scale = `${node.name}_scale`;
    nodes.push(
      { name: integer, opType: 'MatMulInteger', inputs: [x.values, w.values, x.zeroPoint, w.zeroPoint], outputs: [integer], attributes: {} },
      { name: asFloat, opType: 'Cast', inputs: [integer], outputs: [asFloat], attributes: { to: attr.int(DataType.FLOAT) } },
      { name: scale, opType: 'Mul', inputs: [x.scale, w.scale], outputs: [scale], attributes: {} },
      { name: `${node.name}_Mul`, opType: 'Mul', inputs: [asFloat, scale], outputs: [output], attributes: {} },
    );
  }

  // Drop float weights that only quantized MatMuls read.
  const read = new Set(nodes.flatMap((node) => node.inputs));
  const initializers = [...graph.initializers.filter((tensor) => read.has(tensor.name)), ...added];
  return { ...graph, nodes, initializers };
}
