import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

interface Inspection {
  source: string;
  dir: string;
  synthetic: boolean;
  provenance?: { arch: string; seed: number };
  architecture?: { modelType: string; layers?: number; hidden?: number; intermediate?: number };
  parameters?: { count: number; file: string };
  tokenizer?: { model: string; normalizer?: string; preTokenizer?: string; postProcessor?: string; pairTemplate?: string; pairTypeIds?: number[] };
  maxLength?: { tokens: number };
  head?: { label2id: Record<string, number>; classes: number; entailment?: number; contradiction?: number };
  inputs?: Array<{ name: string; elementType: string; shape?: Array<number | string> }>;
  outputs?: Array<{ name: string; elementType: string; shape?: Array<number | string> }>;
  tokenTypeIds?: boolean;
  files: Array<{ precision: string; path: string; bytes: number; parameters?: number; problems: string[] }>;
  missingPrecisions: string[];
  usablePrecisions: string[];
  usable: boolean;
  problems: string[];
  warnings: string[];
}

const work = mkdtempSync(join(tmpdir(), 'zsc-inspect-'));
let tiny = '';
let labelNames = '';

beforeAll(async () => {
  tiny = await testModel('tiny');
  // A head with no NLI names: the core refuses it at load; inspect says so and why.
  labelNames = join(work, 'label-names');
  cpSync(tiny, labelNames, { recursive: true });
  const config = JSON.parse(readFileSync(join(labelNames, 'config.json'), 'utf8')) as Record<string, unknown>;
  delete config['id2label'];
  writeFileSync(join(labelNames, 'config.json'), JSON.stringify({ ...config, label2id: { LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 } }));
});

/**
 * The tiny synthetic BERT (test/helpers/models.ts, seed 7): 2 layers, hidden 64, FFN 128,
 * vocabulary 21128, 512 positions, 2 token types, 3 classes. BERT's parameters: embeddings
 * 21128*64 + 512*64 + 2*64 + 128 (layer norm) = 1,385,216; per layer 4*(64*64+64) + 64*128+128 +
 * 128*64+64 + 2*128 = 33,472, twice; pooler 4,160; classifier 195: 1,456,515. The graph's 16
 * constant elements (scalars, reshape shapes, mask axes) are initializers too: 1,456,531.
 */
const TINY_PARAMETERS = 1_456_531;

describe('model inspect', () => {
  it('shows what the tiny synthetic model is and that it would run at every precision', async () => {
    const result = await runCli(['model', 'inspect', tiny]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    for (const line of [
      `model           ${tiny}: a model folder`,
      'synthetic       yes: arch tiny, seed 7, weights synthetic, random (zsc-bench.json)',
      'architecture    bert: 2 layers, hidden 64, intermediate 128 (config.json)',
      'parameters      1,456,531 (initializer elements of onnx/model.onnx)',
      'pair template   [CLS] $A [SEP] $B [SEP]  ($A the text, $B the hypothesis)',
      '                token types 0 0 0 1 1',
      'NLI head        3-way: entailment at 0, contradiction at 2',
      'label2id        entailment 0, neutral 1, contradiction 2',
      'inputs          input_ids int64 [batch, sequence]',
      '                token_type_ids int64 [batch, sequence]',
      'token_type_ids  an input: fed the pair template\'s token types',
      'outputs         logits float32 [batch, 3]',
      'external data   none',
      'usable          yes, at fp32, fp16, int8',
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(result.stdout).toMatch(/^tokenizer {7}WordPiece; normalizer BertNormalizer, pre-tokenizer BertPreTokenizer, post-processor\n {18}TemplateProcessing$/m);
    expect(result.stdout).toMatch(/^precisions {6}fp32 {2}onnx\/model\.onnx {12}[\d.]+ MiB, 1,456,531 parameters: would run$/m);
    expect(result.stdout).toMatch(/^ {16}fp16 {2}onnx\/model_fp16\.onnx {7}[\d.]+ MiB, 1,456,531 parameters: would run$/m);
    expect(result.stdout).toMatch(/^ {16}int8 {2}onnx\/model_quantized\.onnx {2}[\d.]+ MiB, [\d,]+ parameters: would run$/m);
    expect(result.stdout).not.toMatch(/refused|warning/);
    expect(Math.max(...lines.map((line) => stringWidth(line)))).toBeLessThanOrEqual(100);
  });

  it('--json says the same, with usable and problems', async () => {
    const result = await runCli(['model', 'inspect', tiny, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const inspection = JSON.parse(result.stdout) as Inspection;
    expect(inspection).toMatchObject({
      source: 'folder',
      dir: tiny,
      synthetic: true,
      provenance: { arch: 'tiny', seed: 7 },
      architecture: { modelType: 'bert', layers: 2, hidden: 64, intermediate: 128 },
      parameters: { count: TINY_PARAMETERS, file: 'onnx/model.onnx' },
      tokenizer: {
        model: 'WordPiece',
        normalizer: 'BertNormalizer',
        preTokenizer: 'BertPreTokenizer',
        postProcessor: 'TemplateProcessing',
        pairTemplate: '[CLS] $A [SEP] $B [SEP]',
        pairTypeIds: [0, 0, 0, 1, 1],
      },
      maxLength: { tokens: 512 },
      head: { label2id: { entailment: 0, neutral: 1, contradiction: 2 }, classes: 3, entailment: 0, contradiction: 2 },
      tokenTypeIds: true,
      missingPrecisions: [],
      usablePrecisions: ['fp32', 'fp16', 'int8'],
      usable: true,
      problems: [],
      warnings: [],
    });
    expect(inspection.inputs?.map((input) => `${input.name} ${input.elementType} [${(input.shape ?? []).join(', ')}]`)).toEqual([
      'input_ids int64 [batch, sequence]',
      'attention_mask int64 [batch, sequence]',
      'token_type_ids int64 [batch, sequence]',
    ]);
    expect(inspection.outputs).toEqual([{ name: 'logits', elementType: 'float32', shape: ['batch', 3] }]);
    expect(inspection.files.map((file) => [file.precision, file.path, file.parameters === undefined])).toEqual([
      ['fp32', 'onnx/model.onnx', false],
      ['fp16', 'onnx/model_fp16.onnx', false],
      ['int8', 'onnx/model_quantized.onnx', false],
    ]);
    expect(inspection.files.map((file) => file.bytes)).toEqual(['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx'].map((name) => readFileSync(join(tiny, 'onnx', name)).byteLength));
  });

  it('a head without entailment and contradiction labels: the whole report, a refused line naming config.json, exit 2', async () => {
    const text = await runCli(['model', 'inspect', labelNames]);
    expect(text.code).toBe(2);
    expect(text.stderr).toBe('');
    const joined = text.stdout.replace(/\n {9}(?=\S)/g, ' ');
    expect(joined).toContain(
      `refused: ${labelNames}/config.json: label2id has no 'entailment' label (found: LABEL_0, LABEL_1, LABEL_2); expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case\n`,
    );
    expect(text.stdout).toContain('NLI head        3-way: no entailment and contradiction labels (refused below)\n');
    expect(text.stdout).toContain('label2id        LABEL_0 0, LABEL_1 1, LABEL_2 2\n');
    // The rest is still there: what the user must see to fix it.
    expect(text.stdout).toContain('architecture    bert: 2 layers, hidden 64, intermediate 128 (config.json)\n');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('usable          no: zsc-bench would refuse this model (the refused lines say why)');
    const json = await runCli(['model', 'inspect', labelNames, '--json']);
    expect(json.code).toBe(2);
    const inspection = JSON.parse(json.stdout) as Inspection;
    expect(inspection.usable).toBe(false);
    expect(inspection.usablePrecisions).toEqual([]);
    expect(inspection.problems).toEqual([
      `${labelNames}/config.json: label2id has no 'entailment' label (found: LABEL_0, LABEL_1, LABEL_2); expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case`,
    ]);
    // And a run refuses it with the same line.
    const classify = await runCli(['classify', '体育新闻', '--labels', '体育,财经', '--model', labelNames]);
    expect(classify.code).toBe(2);
    expect(oneLineError(classify)).toBe(`error: ${inspection.problems[0] ?? ''}`);
  });

  it('a missing folder, or a cached model not there yet, is one line and exit 2; nothing is built', async () => {
    const missing = await runCli(['model', 'inspect', join(work, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(oneLineError(missing)).toBe(
      `error: model inspect: no such folder '${join(work, 'nope')}'; expected a model folder, a Hugging Face id (owner/name) or synthetic:<structbert-base|tiny|overlap>`,
    );
    const home = mkdtempSync(join(tmpdir(), 'zsc-inspect-home-'));
    const synthetic = await runCli(['model', 'inspect', 'synthetic:tiny'], { ZSC_BENCH_HOME: home });
    expect(synthetic.code).toBe(2);
    expect(oneLineError(synthetic)).toBe(
      `error: model inspect: synthetic:tiny is not built yet (${home}/models/synthetic-tiny-seed42), and inspect builds nothing: classify or run with --model synthetic:tiny builds it into the cache; or inspect the folder of \`zsc-bench model build --arch tiny --out DIR\``,
    );
    const hub = await runCli(['model', 'inspect', 'someone/nli-model'], { ZSC_BENCH_HOME: home });
    expect(hub.code).toBe(2);
    expect(oneLineError(hub)).toMatch(/^error: model inspect: 'someone\/nli-model' is not in the cache \(.*\), and inspect downloads nothing: /);
    const list = await runCli(['model', 'list', '--json'], { ZSC_BENCH_HOME: home });
    expect((JSON.parse(list.stdout) as { models: unknown[] }).models).toEqual([]);
  });

  it('synthetic:tiny once in the cache resolves to the cache folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'zsc-inspect-home-'));
    const built = await runCli(['classify', '体育新闻', '--labels', '体育,财经', '--model', 'synthetic:tiny', '--json'], { ZSC_BENCH_HOME: home });
    expect(built.code, built.stderr).toBe(0);
    const result = await runCli(['model', 'inspect', 'synthetic:tiny', '--json'], { ZSC_BENCH_HOME: home });
    expect(result.code, result.stderr).toBe(0);
    const inspection = JSON.parse(result.stdout) as Inspection;
    expect(inspection).toMatchObject({ source: 'synthetic', dir: join(home, 'models', 'synthetic-tiny-seed42'), synthetic: true, usablePrecisions: ['fp32'], missingPrecisions: ['fp16', 'int8'] });
  });
});
