/**
 * `model inspect` as text: one `key  value` line per finding (continuations under the value),
 * then every refusal and warning, then the verdict. Fits TERMINAL_COLUMNS.
 */
import type { InspectedFile, ModelInspection } from '../model-store/inspect.js';
import type { TensorInfo } from '../models/onnx-proto.js';
import { weightsCell } from './model-cache.js';
import type { Style } from './style.js';
import { formatBytes, padEndDisplay, TERMINAL_COLUMNS, wrapLine } from './text.js';

/** Width of the key column: the longest key and two spaces. */
const KEY_WIDTH = 16;

const SOURCES: Readonly<Record<ModelInspection['source'], string>> = {
  folder: 'a model folder',
  synthetic: 'a synthetic model built into the cache',
  hub: 'a Hugging Face id, downloaded into the cache',
};

/** `input_ids int64 [batch, sequence]`; a tensor whose rank the file does not state says so. */
export function tensorLine(tensor: TensorInfo): string {
  const shape = tensor.shape === undefined ? '(shape not stated)' : `[${tensor.shape.join(', ')}]`;
  return `${tensor.name} ${tensor.elementType} ${shape}`;
}

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * Lines for one key: the first value beside the key, the others under it; a value too long for
 * the line wraps two columns further in, so it does not read as the next value.
 */
function entry(key: string, values: readonly string[]): string[] {
  const lines = values.flatMap((value) => wrapLine(value, TERMINAL_COLUMNS - KEY_WIDTH, 2));
  return lines.map((line, index) => `${padEndDisplay(index === 0 ? key : '', KEY_WIDTH)}${line}`);
}

function synthetic(inspection: ModelInspection): string {
  const { provenance } = inspection;
  if (!inspection.synthetic || provenance === undefined) return 'no (no zsc-bench.json from a zsc-bench build): weights as trained';
  return `yes: arch ${provenance.arch}, seed ${provenance.seed}, weights ${weightsCell(provenance)} (zsc-bench.json)`;
}

function architecture(inspection: ModelInspection): string[] {
  const found = inspection.architecture;
  if (found === undefined) return [];
  const sizes =
    found.layers === undefined
      ? 'layers, hidden and intermediate size not all stated above 0 (num_hidden_layers, hidden_size, intermediate_size)'
      : `${found.layers} layers, hidden ${found.hidden ?? '?'}, intermediate ${found.intermediate ?? '?'}`;
  return entry('architecture', [`${found.modelType}: ${sizes} (config.json)`]);
}

function tokenizer(inspection: ModelInspection): string[] {
  const found = inspection.tokenizer;
  if (found === undefined) return [];
  const parts = [`normalizer ${found.normalizer ?? 'none'}`, `pre-tokenizer ${found.preTokenizer ?? 'none'}`, `post-processor ${found.postProcessor ?? 'none'}`];
  const lines = entry('tokenizer', [`${found.model}; ${parts.join(', ')}`]);
  if (found.pairTemplate !== undefined) {
    lines.push(...entry('pair template', [`${found.pairTemplate}  ($A the text, $B the hypothesis)`, `token types ${(found.pairTypeIds ?? []).join(' ')}`]));
  }
  return lines;
}

function maxLength(inspection: ModelInspection): string[] {
  const found = inspection.maxLength;
  if (found === undefined) return [];
  const sources = [
    `tokenizer_config.json model_max_length ${found.modelMaxLength === undefined ? 'not stated' : String(found.modelMaxLength)}`,
    `config.json max_position_embeddings ${found.maxPositionEmbeddings === undefined ? 'not stated' : String(found.maxPositionEmbeddings)}`,
  ];
  return entry('max length', [`${found.tokens} tokens per (text, label) pair; the text is cut to fit (${sources.join(', ')})`]);
}

function head(inspection: ModelInspection): string[] {
  const found = inspection.head;
  if (found === undefined) return [];
  const labels = Object.entries(found.label2id)
    .sort(([, a], [, b]) => a - b)
    .map(([name, id]) => `${name} ${id}`);
  const where =
    found.entailment === undefined || found.contradiction === undefined
      ? 'no entailment and contradiction labels (refused below)'
      : `entailment at ${found.entailment}, contradiction at ${found.contradiction}${found.contradictionLabel !== undefined && found.contradictionLabel.toLowerCase() !== 'contradiction' ? ` (${found.contradictionLabel})` : ''}`;
  return [...entry('NLI head', [`${found.classes}-way: ${where}`]), ...entry('label2id', [labels.join(', ')])];
}

function interfaceLines(inspection: ModelInspection): string[] {
  if (inspection.inputs === undefined || inspection.outputs === undefined) return [];
  const tokenTypes =
    inspection.tokenTypeIds === true
      ? 'an input: fed the pair template\'s token types'
      : 'not an input: the template\'s token types are not fed';
  return [
    ...entry('inputs', inspection.inputs.map(tensorLine)),
    ...entry('token_type_ids', [tokenTypes]),
    ...entry('outputs', inspection.outputs.map(tensorLine)),
  ];
}

/** Inputs and outputs of `file` that differ from the interface shown above (fp16 outputs, say). */
function differences(file: InspectedFile, inspection: ModelInspection): string[] {
  if (file.path === inspection.interfaceFile) return [];
  const shown = new Set([...(inspection.inputs ?? []), ...(inspection.outputs ?? [])].map(tensorLine));
  const differing = [...file.inputs, ...file.outputs].filter((tensor) => !shown.has(tensorLine(tensor)));
  return differing.length === 0 ? [] : [`  differs: ${differing.map(tensorLine).join('; ')}`];
}

function precisions(inspection: ModelInspection): string[] {
  const pathWidth = Math.max(0, ...inspection.files.map((file) => file.path.length));
  const values = inspection.files.flatMap((file) => {
    const verdict = file.problems.length > 0 ? 'refused (below)' : inspection.usablePrecisions.includes(file.precision) ? 'would run' : 'the file is fine';
    const parameters = file.parameters === undefined ? '' : `, ${count(file.parameters)} parameters`;
    return [`${file.precision.padEnd(5)} ${file.path.padEnd(pathWidth)}  ${formatBytes(file.bytes)}${parameters}: ${verdict}`, ...differences(file, inspection)];
  });
  if (inspection.missingPrecisions.length > 0) values.push(`absent: ${inspection.missingPrecisions.join(', ')}`);
  const external = inspection.files.flatMap((file) =>
    file.externalData.map((data) => `${data.path} for ${file.path}: ${data.exists ? formatBytes(data.bytes ?? 0) : 'MISSING'}`),
  );
  return [...entry('precisions', values), ...entry('external data', external.length === 0 ? ['none'] : external)];
}

function verdict(inspection: ModelInspection, style: Style): string[] {
  if (!inspection.usable) return entry('usable', ['no: zsc-bench would refuse this model (the refused lines say why)']).map((line) => style.red(line));
  const refused = inspection.files.filter((file) => !inspection.usablePrecisions.includes(file.precision)).map((file) => file.precision);
  const but = refused.length === 0 ? '' : `; not at ${refused.join(', ')} (refused above)`;
  return entry('usable', [`yes, at ${inspection.usablePrecisions.join(', ')}${but}`]).map((line) => style.green(line));
}

/** The whole report: findings, then `refused:` and `warning:` lines, then whether zsc-bench would run it. */
export function formatModelInspection(inspection: ModelInspection, style: Style): string {
  const lines = [
    ...entry('model', [`${inspection.model}: ${SOURCES[inspection.source]}`]),
    ...entry('folder', [inspection.dir]),
    ...entry('synthetic', [synthetic(inspection)]),
    ...architecture(inspection),
    ...(inspection.parameters === undefined ? [] : entry('parameters', [`${count(inspection.parameters.count)} (initializer elements of ${inspection.parameters.file})`])),
    ...tokenizer(inspection),
    ...maxLength(inspection),
    ...head(inspection),
    ...interfaceLines(inspection),
    ...precisions(inspection),
  ];
  for (const problem of inspection.problems) lines.push(...wrapLine(`refused: ${problem}`, TERMINAL_COLUMNS, 9).map((line) => style.red(line)));
  for (const warning of inspection.warnings) lines.push(...wrapLine(`warning: ${warning}`, TERMINAL_COLUMNS, 9).map((line) => style.yellow(line)));
  lines.push(...verdict(inspection, style));
  return `${lines.join('\n')}\n`;
}
