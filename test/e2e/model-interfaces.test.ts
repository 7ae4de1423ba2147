/**
 * `model build` makes each model interface users bring (issue 22), and `model inspect` and
 * `classify` read each one as it is: tokenizer, token_type_ids or not, where entailment is.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import { INTERFACE_VARIANTS, interfaceFlags, type InterfaceVariant } from '../helpers/models.js';

interface Inspection {
  architecture?: { modelType: string };
  tokenizer?: { model: string; preTokenizer?: string; postProcessor?: string; pairTemplate?: string };
  head?: { classes: number; entailment?: number; contradiction?: number; contradictionLabel?: string };
  inputs?: Array<{ name: string }>;
  outputs?: Array<{ name: string; elementType: string; shape?: Array<number | string> }>;
  tokenTypeIds?: boolean;
  usablePrecisions: string[];
  problems: string[];
}

const work = mkdtempSync(join(tmpdir(), 'zsc-interfaces-'));
const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队。';

/** What inspect must find for each variant: positions in its own head order. */
const EXPECTED: Record<InterfaceVariant, { template: string; entailment: number; contradiction: number; contradictionLabel: string; modelType: string }> = {
  'xlm-r': { template: '<s> $A </s> </s> $B </s>', entailment: 2, contradiction: 0, contradictionLabel: 'contradiction', modelType: 'xlm-roberta' },
  mdeberta: { template: '<s> $A </s> </s> $B </s>', entailment: 0, contradiction: 2, contradictionLabel: 'contradiction', modelType: 'xlm-roberta' },
  'two-way': { template: '[CLS] $A [SEP] $B [SEP]', entailment: 0, contradiction: 1, contradictionLabel: 'not_entailment', modelType: 'bert' },
  'upper-case': { template: '[CLS] $A [SEP] $B [SEP]', entailment: 0, contradiction: 2, contradictionLabel: 'CONTRADICTION', modelType: 'bert' },
};

describe('model build makes each interface; inspect and classify read it', () => {
  for (const variant of Object.keys(INTERFACE_VARIANTS) as InterfaceVariant[]) {
    it(variant, async () => {
      const shape = INTERFACE_VARIANTS[variant];
      const expected = EXPECTED[variant];
      const dir = join(work, variant);
      const built = await runCli(['model', 'build', '--arch', 'tiny', '--seed', '7', '--precision', 'fp32', ...interfaceFlags(variant), '--out', dir, '--json']);
      expect(built.code, built.stderr).toBe(0);
      const provenance = JSON.parse(readFileSync(join(dir, 'zsc-bench.json'), 'utf8')) as { interface?: unknown };
      expect(provenance.interface).toEqual({ tokenizer: shape.tokenizer, tokenTypeIds: shape.tokenTypeIds, headLabels: shape.headLabels });

      const result = await runCli(['model', 'inspect', dir, '--json']);
      expect(result.code, result.stdout).toBe(0);
      const inspection = JSON.parse(result.stdout) as Inspection;
      expect(inspection.problems).toEqual([]);
      expect(inspection.usablePrecisions).toEqual(['fp32']);
      expect(inspection.architecture?.modelType).toBe(expected.modelType);
      expect(inspection.tokenizer).toMatchObject(
        shape.tokenizer === 'unigram'
          ? { model: 'Unigram', preTokenizer: 'Metaspace', postProcessor: 'RobertaProcessing', pairTemplate: expected.template }
          : { model: 'WordPiece', preTokenizer: 'BertPreTokenizer', postProcessor: 'TemplateProcessing', pairTemplate: expected.template },
      );
      expect(inspection.tokenTypeIds).toBe(shape.tokenTypeIds);
      expect(inspection.inputs?.map((input) => input.name)).toEqual(shape.tokenTypeIds ? ['input_ids', 'attention_mask', 'token_type_ids'] : ['input_ids', 'attention_mask']);
      expect(inspection.outputs).toEqual([{ name: 'logits', elementType: 'float32', shape: ['batch', shape.headLabels.length] }]);
      expect(inspection.head).toMatchObject({ classes: shape.headLabels.length, entailment: expected.entailment, contradiction: expected.contradiction, contradictionLabel: expected.contradictionLabel });

      const text = await runCli(['model', 'inspect', dir]);
      expect(text.stdout).toContain(`pair template   ${expected.template}  ($A the text, $B the hypothesis)\n`);
      // A 2-way head names the label read as contradiction.
      const reads = expected.contradictionLabel === 'not_entailment' ? ' (not_entailment)' : '';
      expect(text.stdout).toContain(`NLI head        ${shape.headLabels.length}-way: entailment at ${expected.entailment}, contradiction at ${expected.contradiction}${reads}\n`);

      const classified = await runCli(['classify', SPORTS, '--labels', '体育,财经,科技', '--model', dir, '--json']);
      expect(classified.code, classified.stderr).toBe(0);
      expect((JSON.parse(classified.stdout) as { labels: string[] }).labels).toHaveLength(3);
    });
  }

  it('a LABEL_0/LABEL_1/LABEL_2 head is built, and refused with one line naming config.json, exit 2', async () => {
    const dir = join(work, 'label-names');
    const built = await runCli(['model', 'build', '--arch', 'tiny', '--seed', '7', '--precision', 'fp32', '--head', 'LABEL_0,LABEL_1,LABEL_2', '--out', dir, '--json']);
    expect(built.code, built.stderr).toBe(0);
    const expected = `${dir}/config.json: label2id has no 'entailment' label (found: LABEL_0, LABEL_1, LABEL_2); expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case`;
    const classified = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', dir]);
    expect(classified.code).toBe(2);
    expect(classified.stdout).toBe('');
    expect(oneLineError(classified)).toBe(`error: ${expected}`);
    const inspected = await runCli(['model', 'inspect', dir, '--json']);
    expect(inspected.code).toBe(2);
    expect((JSON.parse(inspected.stdout) as Inspection).problems).toEqual([expected]);
  });

  it('--external-data: every precision keeps its weights in <file>_data; inspect lists them, classify runs, a missing one is one line', async () => {
    const dir = join(work, 'external-data');
    const built = await runCli(['model', 'build', '--arch', 'tiny', '--seed', '7', ...interfaceFlags('xlm-r'), '--external-data', '--out', dir, '--json']);
    expect(built.code, built.stderr).toBe(0);
    const files = (JSON.parse(built.stdout) as { files: Array<{ path: string; bytes: number }> }).files.map((file) => file.path);
    for (const name of ['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx']) {
      expect(files).toContain(`onnx/${name}`);
      expect(files).toContain(`onnx/${name}_data`);
    }
    const inspected = await runCli(['model', 'inspect', dir]);
    expect(inspected.code, inspected.stdout).toBe(0);
    const size = (name: string) => statSync(join(dir, 'onnx', name)).size;
    expect(inspected.stdout).toMatch(/^external data {3}onnx\/model\.onnx_data for onnx\/model\.onnx: [\d.]+ MiB\n {16}onnx\/model_fp16\.onnx_data for onnx\/model_fp16\.onnx: [\d.]+ MiB\n {16}onnx\/model_quantized\.onnx_data for onnx\/model_quantized\.onnx: [\d.]+ MiB$/m);
    expect(inspected.stdout).toContain('usable          yes, at fp32, fp16, int8\n');
    const json = JSON.parse((await runCli(['model', 'inspect', dir, '--json'])).stdout) as { files: Array<{ path: string; externalData: unknown[] }> };
    expect(json.files.map((file) => [file.path, file.externalData])).toEqual(
      ['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx'].map((name) => [`onnx/${name}`, [{ path: `onnx/${name}_data`, exists: true, bytes: size(`${name}_data`) }]]),
    );
    for (const precision of ['fp32', 'fp16', 'int8']) {
      const classified = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', dir, '--precision', precision, '--json']);
      expect(classified.code, classified.stderr).toBe(0);
    }

    const missing = join(work, 'external-data-missing');
    cpSync(dir, missing, { recursive: true });
    rmSync(join(missing, 'onnx', 'model.onnx_data'));
    // The other precisions still run, so inspect's verdict is usable (exit 0) with fp32 refused.
    const refused = await runCli(['model', 'inspect', missing]);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain('usable          yes, at fp16, int8; not at fp32 (refused above)\n');
    expect(refused.stdout.replace(/\n {9}(?=\S)/g, ' ')).toContain(`refused: ${missing}/onnx/model.onnx: keeps its weights in external data ${missing}/onnx/model.onnx_data, which is missing; copy it beside the model file\n`);
    const run = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', missing]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(new RegExp(`^error: ${missing}/onnx/model\\.onnx: ONNX Runtime could not load the model \\(.*External data path does not exist: "${missing}/onnx/model\\.onnx_data"\\)$`));
  });

  it('--fp16-outputs: the fp16 file gives float16 logits; inspect shows the difference and would run it; classify reads it', async () => {
    const dir = join(work, 'fp16-outputs');
    const built = await runCli(['model', 'build', '--arch', 'tiny', '--seed', '7', '--precision', 'fp32,fp16', ...interfaceFlags('xlm-r'), '--fp16-outputs', '--out', dir]);
    expect(built.code, built.stderr).toBe(0);
    const inspected = await runCli(['model', 'inspect', dir]);
    expect(inspected.code, inspected.stdout).toBe(0);
    expect(inspected.stdout).toMatch(/^ {16}fp16 {2}onnx\/model_fp16\.onnx {2}[\d.]+ MiB, [\d,]+ parameters: would run\n {18}differs: logits float16 \[batch, 3\]$/m);
    expect(inspected.stdout).toContain('usable          yes, at fp32, fp16\n');
    const classified = await runCli(['classify', SPORTS, '--labels', '体育,财经,科技', '--model', dir, '--precision', 'fp16', '--json']);
    expect(classified.code, classified.stderr).toBe(0);
    const scores = (JSON.parse(classified.stdout) as { scores: number[] }).scores;
    expect(scores.reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 6);
  });

  it('a head or tokenizer the builder cannot make: one line naming the flag, exit 2, nothing written', async () => {
    const dir = join(work, 'refused');
    const cases: Array<[string[], string]> = [
      [['--head', 'entailment'], 'error: --head: 1 labels; expected 2 to 8, in id order, such as contradiction,neutral,entailment'],
      [['--head', 'entailment,entailment'], "error: --head: label 'entailment' given twice; each label names one class"],
      [['--arch', 'overlap', '--no-token-type-ids'], 'error: arch overlap: its known answer needs the default interface (WordPiece, token_type_ids, entailment,neutral,contradiction); use tiny or structbert-base for others'],
    ];
    for (const [flags, message] of cases) {
      const args = flags.includes('--arch') ? flags : ['--arch', 'tiny', ...flags];
      const result = await runCli(['model', 'build', ...args, '--precision', 'fp32', '--out', dir]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(oneLineError(result)).toBe(message);
    }
    const tokenizer = await runCli(['model', 'build', '--arch', 'tiny', '--tokenizer', 'bpe', '--out', dir]);
    expect(tokenizer.code).toBe(2);
    expect(oneLineError(tokenizer)).toMatch(/--tokenizer.*'bpe'.*wordpiece, unigram/);
  });
});
