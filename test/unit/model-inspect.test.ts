import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { pairEncoderOf } from '../../src/core/classifier.js';
import { componentKind, inspectModel } from '../../src/model-store/inspect.js';
import { locateModel } from '../../src/model-store/source.js';
import { DataType, makeInitializer, type Graph } from '../../src/models/graph.js';
import { encodeModel, summarizeModel } from '../../src/models/onnx-proto.js';

const { onnx } = onnxProto;
const metadata = { producerName: 'test', producerVersion: '1', docString: '' };

const VOCAB = { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, '<s>': 4, '</s>': 5, a: 6 };

/** A tokenizer.json that @huggingface/tokenizers opens, with the given post-processor. */
function tokenizerJson(postProcessor: unknown): Record<string, unknown> {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: postProcessor,
    decoder: null,
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: VOCAB },
  };
}

function pairTemplate(postProcessor: unknown): { tokens: string[]; typeIds: number[] } {
  return pairEncoderOf({ dir: 'm', tokenizerJson: tokenizerJson(postProcessor), tokenizerConfig: {}, config: {} }).pairTemplate();
}

describe('the pair template: the post-processor run on $A and $B', () => {
  it('BertProcessing', () => {
    expect(pairTemplate({ type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] })).toEqual({
      tokens: ['[CLS]', '$A', '[SEP]', '$B', '[SEP]'],
      typeIds: [0, 0, 0, 1, 1],
    });
  });
  it('TemplateProcessing', () => {
    const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
    const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
    const processor = {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: {},
    };
    expect(pairTemplate(processor)).toEqual({ tokens: ['[CLS]', '$A', '[SEP]', '$B', '[SEP]'], typeIds: [0, 0, 0, 1, 1] });
  });
  it('RobertaProcessing: two separators between the texts', () => {
    const { tokens } = pairTemplate({ type: 'RobertaProcessing', sep: ['</s>', 5], cls: ['<s>', 4], trim_offsets: true, add_prefix_space: true });
    expect(tokens).toEqual(['<s>', '$A', '</s>', '</s>', '$B', '</s>']);
  });
  it('no post-processor: the texts side by side, all type 0', () => {
    expect(pairTemplate(null)).toEqual({ tokens: ['$A', '$B'], typeIds: [0, 0] });
  });
});

describe('componentKind', () => {
  it('names a component by its type, a Sequence with its parts', () => {
    expect(componentKind({ type: 'BertNormalizer', lowercase: true })).toBe('BertNormalizer');
    expect(componentKind({ type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁' }] })).toBe('Sequence(WhitespaceSplit, Metaspace)');
    expect(componentKind({ type: 'Sequence', normalizers: [{ type: 'Replace' }, { type: 'Sequence', normalizers: [{ type: 'NFKC' }] }] })).toBe('Sequence(Replace, Sequence(NFKC))');
    expect(componentKind(null)).toBeUndefined();
  });
});

/** A graph with no nodes: enough for what is read (interface, initializers), not for a session. */
function graph(inputs: Graph['inputs'], outputs: Graph['outputs'], initializers: Graph['initializers']): Uint8Array {
  return Buffer.concat(encodeModel({ name: 'g', inputs, outputs, nodes: [], initializers }, metadata).chunks);
}

const ids = (name: string) => ({ name, dataType: DataType.INT64, shape: ['batch', 'sequence'] });
const logits = (dataType: DataType, classes: number) => ({ name: 'logits', dataType, shape: ['batch', classes] });

/** model.onnx with one initializer in external data (dims [10, 4]) beside an inline one (dims [3]). */
function externalDataModel(): Uint8Array {
  const valueInfo = (name: string, elemType: number, dims: Array<number | string>) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    graph: {
      name: 'g',
      input: [valueInfo('input_ids', 7, ['batch', 'sequence']), valueInfo('attention_mask', 7, ['batch', 'sequence'])],
      output: [valueInfo('logits', 1, ['batch', 3])],
      initializer: [
        { name: 'embeddings', dataType: 1, dims: [10, 4], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'model.onnx_data' }, { key: 'length', value: '160' }] },
        { name: 'bias', dataType: 1, dims: [3], rawData: new Uint8Array(12) },
      ],
    },
  }).finish();
}

describe('summarizeModel', () => {
  it('counts initializer elements (a scalar is one) and leaves initializers out of the inputs', () => {
    const weight = makeInitializer('weight', DataType.FLOAT, [2, 3], new Float32Array(6));
    const shape = makeInitializer('shape', DataType.INT64, [2], BigInt64Array.of(1n, -1n));
    const scalar = makeInitializer('scale', DataType.FLOAT, [], Float32Array.of(0.5));
    // Before IR version 4 an initializer was listed among the inputs too.
    const bytes = graph([ids('input_ids'), { name: 'weight', dataType: DataType.FLOAT, shape: [2, 3] }], [logits(DataType.FLOAT, 3)], [weight, shape, scalar]);
    expect(summarizeModel(bytes)).toEqual({
      inputs: [{ name: 'input_ids', elementType: 'int64', shape: ['batch', 'sequence'] }],
      outputs: [{ name: 'logits', elementType: 'float32', shape: ['batch', 3] }],
      initializers: 3,
      parameters: 6 + 2 + 1,
      externalData: [],
    });
  });
  it('counts external data from its dims and names its file', () => {
    const summary = summarizeModel(externalDataModel());
    expect(summary.parameters).toBe(40 + 3);
    expect(summary.externalData).toEqual(['model.onnx_data']);
  });
});

describe('inspectModel on a folder unlike the synthetic models', () => {
  /** XLM-R-like: contradiction 0, entailment 2, no token_type_ids, RoBERTa pairs, external data; an fp16 file with fp16 logits. */
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'zsc-inspect-'));
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'xlm-roberta', label2id: { contradiction: 0, neutral: 1, entailment: 2 }, max_position_embeddings: 514 }));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson({ type: 'RobertaProcessing', sep: ['</s>', 5], cls: ['<s>', 4] })));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 512, pad_token: '[PAD]' }));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), externalDataModel());
    writeFileSync(join(dir, 'onnx', 'model_fp16.onnx'), graph([ids('input_ids'), ids('position_ids')], [logits(DataType.FLOAT16, 3)], []));
    return dir;
  }

  it('reports every refusal, each naming its file, and runs nothing', () => {
    const dir = folder();
    const inspection = inspectModel(locateModel(dir), dir);
    expect(inspection).toMatchObject({
      source: 'folder',
      synthetic: false,
      architecture: { modelType: 'xlm-roberta' },
      parameters: { count: 43, file: 'onnx/model.onnx' },
      tokenizer: { model: 'WordPiece', preTokenizer: 'Whitespace', postProcessor: 'RobertaProcessing', pairTemplate: '<s> $A </s> </s> $B </s>' },
      maxLength: { tokens: 512, modelMaxLength: 512, maxPositionEmbeddings: 514 },
      head: { classes: 3, entailment: 2, contradiction: 0, contradictionLabel: 'contradiction' },
      tokenTypeIds: false,
      missingPrecisions: ['int8'],
      usablePrecisions: [],
      usable: false,
    });
    expect(inspection.files.map((file) => file.externalData)).toEqual([[{ path: 'onnx/model.onnx_data', exists: false }], []]);
    expect(inspection.problems).toEqual([
      `${dir}/onnx/model.onnx: keeps its weights in external data ${dir}/onnx/model.onnx_data, which is missing; copy it beside the model file`,
      // float16 logits are read (converted to float32): only the input is refused.
      `${dir}/onnx/model_fp16.onnx: unsupported model input 'position_ids'; expected input_ids, attention_mask, token_type_ids`,
    ]);
    expect(inspection.warnings).toEqual([]);
  });

  it('reads float16 logits, refuses logits of another type', () => {
    const dir = folder();
    writeFileSync(join(dir, 'onnx', 'model.onnx'), graph([ids('input_ids')], [logits(DataType.FLOAT16, 3)], []));
    writeFileSync(join(dir, 'onnx', 'model_fp16.onnx'), graph([ids('input_ids')], [logits(DataType.INT64, 3)], []));
    const inspection = inspectModel(locateModel(dir), dir);
    expect(inspection.usablePrecisions).toEqual(['fp32']);
    expect(inspection.problems).toEqual([`${dir}/onnx/model_fp16.onnx: expected a float32 or float16 'logits' output [batch, 3]; 'logits' is int64`]);
  });

  it('with its external data there, runs at fp32 though the fp16 file is refused; a 2-way head reads not_entailment', () => {
    const dir = folder();
    writeFileSync(join(dir, 'onnx', 'model.onnx_data'), new Uint8Array(160));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', label2id: { entailment: 0, not_entailment: 1 } }));
    const inspection = inspectModel(locateModel(dir), dir);
    expect(inspection.files[0]?.externalData).toEqual([{ path: 'onnx/model.onnx_data', exists: true, bytes: 160 }]);
    expect(inspection.head).toEqual({ label2id: { entailment: 0, not_entailment: 1 }, classes: 2, entailment: 0, contradiction: 1, contradictionLabel: 'not_entailment' });
    expect(inspection.usablePrecisions).toEqual(['fp32']);
    expect(inspection.usable).toBe(true);
    expect(inspection.problems).toHaveLength(1);
    // The file's logits are [batch, 3], config.json says 2: accepted by the core, read wrongly.
    expect(inspection.warnings).toEqual([
      `${dir}/onnx/model.onnx: output 'logits' has 3 classes, config.json's label2id 2: the scores would be read at the wrong positions`,
      `${dir}/onnx/model_fp16.onnx: output 'logits' has 3 classes, config.json's label2id 2: the scores would be read at the wrong positions`,
    ]);
  });
});
