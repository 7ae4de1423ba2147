/**
 * One parity test per model interface users bring (issue 22): the core's scores equal the
 * transformers.js zero-shot pipeline's on the same folder, and its token ids equal the
 * transformers.js tokenizer's. Each variant is the tiny synthetic graph with another tokenizer,
 * token_type_ids input or head order (test/helpers/models.ts INTERFACE_VARIANTS).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classifier } from '../../src/core/classifier.js';
import { DEFAULT_TEMPLATE } from '../../src/core/labels.js';
import { loadClassifier } from '../../src/model-store/source.js';
import { float16ToFloat32, float32ToFloat16 } from '../../src/models/float16.js';
import { INTERFACE_VARIANTS, testInterfaceModel, type InterfaceVariant } from '../helpers/models.js';

type Pipeline = (text: string, labels: string[], options: { hypothesis_template: string; multi_label?: boolean }) => Promise<{ labels: string[]; scores: number[] }>;
interface JsTokenizer {
  (text: string, options?: { text_pair?: string; truncation?: boolean }): { input_ids: { data: BigInt64Array } };
  tokenize(text: string): string[];
}

/** fp32 on one machine: batched (ours) and one pair per run (the pipeline) differ only by rounding. */
const TOLERANCE = 1e-5;
const TEXTS = [
  '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。',
  '财经快讯：央行今日公布的数据显示，上月财政收入同比增长，股市与债市随之走强。',
  '新款手机搭载自研芯片，AI 影像与 5G 网络表现亮眼，发布会吸引大量科技爱好者。',
];
const LABELS = ['体育', '财经', '科技', '娱乐', '房产', '教育', '游戏', '时政', '家居', '时尚'];
const ENGLISH = { text: 'Last night the home team won the football match 2-1 in front of 40,000 fans.', template: 'This example is {}.', labels: ['sports', 'finance', 'technology', 'politics'] };
/** Characters none of the tokenizers joins into a word: one token each, so a cut in tokens is a cut in characters. */
const LONG_PREMISE = '甲乙丙丁戊己庚辛壬癸'.repeat(70);

async function transformers(): Promise<typeof import('@huggingface/transformers')> {
  const module = await import('@huggingface/transformers');
  module.env.allowRemoteModels = false;
  module.env.allowLocalModels = true;
  module.env.localModelPath = '/';
  return module;
}

function scoreOf(result: { labels: readonly string[]; scores: readonly number[] }, label: string): number {
  return result.scores[result.labels.indexOf(label)] ?? Number.NaN;
}

const maxDiffs: string[] = [];
afterAll(() => {
  // What the report quotes: the largest |ours - pipeline| per variant.
  console.info(`interface parity, max abs score difference: ${maxDiffs.join('; ')}`);
});

for (const variant of Object.keys(INTERFACE_VARIANTS) as InterfaceVariant[]) {
  describe(`${variant}: the core equals the transformers.js pipeline at fp32`, () => {
    let ours: Classifier;
    let theirs: Pipeline;
    let tokenizer: JsTokenizer;
    let maxDiff = 0;
    let maxLogitDiff = 0;
    let jsModel: (inputs: unknown) => Promise<unknown>;
    const compare = (a: { labels: readonly string[]; scores: readonly number[] }, b: { labels: readonly string[]; scores: readonly number[] }, labels: readonly string[], where: string) => {
      for (const label of labels) {
        const diff = Math.abs(scoreOf(a, label) - scoreOf(b, label));
        maxDiff = Math.max(maxDiff, diff);
        expect(diff, `${label} in ${where}`).toBeLessThanOrEqual(TOLERANCE);
      }
    };

    beforeAll(async () => {
      const dir = await testInterfaceModel(variant);
      ours = await loadClassifier({ model: dir });
      const js = await transformers();
      theirs = await js.pipeline('zero-shot-classification', dir, { dtype: 'fp32', device: 'cpu' });
      tokenizer = await js.AutoTokenizer.from_pretrained(dir);
      const model = await js.AutoModelForSequenceClassification.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' });
      jsModel = async (inputs) => (await model(inputs)) as unknown;
    });
    afterAll(async () => {
      maxDiffs.push(`${variant} scores ${maxDiff.toExponential(2)}, logits ${maxLogitDiff.toExponential(2)}`);
      await ours.dispose();
    });

    it('encodes each pair as the transformers.js tokenizer does (Chinese and English)', () => {
      for (const [text, template, label] of [[TEXTS[0] ?? '', DEFAULT_TEMPLATE, '体育'], [ENGLISH.text, ENGLISH.template, 'sports']] as const) {
        const encoded = ours.encode(text, [label], template);
        const expected = Array.from(tokenizer(text, { text_pair: template.replace('{}', label) }).input_ids.data, Number);
        expect(Array.from(encoded.batch.inputIds, Number)).toEqual(expected);
      }
    });

    for (const multiLabel of [false, true]) {
      it(`${multiLabel ? 'multi' : 'single'}-label, 1 to 10 labels, Chinese template`, async () => {
        for (const text of TEXTS) {
          for (const count of [1, 3, 10]) {
            const labels = LABELS.slice(0, count);
            const a = await ours.classify(text, labels, { multiLabel });
            const b = await theirs(text, labels, { hypothesis_template: DEFAULT_TEMPLATE, multi_label: multiLabel });
            compare(a, b, labels, text.slice(0, 8));
          }
        }
      });

      it(`${multiLabel ? 'multi' : 'single'}-label, English text and template '${ENGLISH.template}'`, async () => {
        const a = await ours.classify(ENGLISH.text, ENGLISH.labels, { multiLabel, template: ENGLISH.template });
        const b = await theirs(ENGLISH.text, [...ENGLISH.labels], { hypothesis_template: ENGLISH.template, multi_label: multiLabel });
        compare(a, b, ENGLISH.labels, 'English');
      });
    }

    it("the model's logits for each pair equal transformers.js's model on its own encoding (the scores' inputs, before softmax)", async () => {
      // Scores near 1/n hide small differences; logits differ between classes by ~0.1, so this is the sharp check.
      const labels = LABELS.slice(0, 4);
      for (const [text, template] of [[TEXTS[2] ?? '', DEFAULT_TEMPLATE], [ENGLISH.text, ENGLISH.template]] as const) {
        const ourLogits = await ours.run(ours.encode(text, labels, template).batch);
        const classes = INTERFACE_VARIANTS[variant].headLabels.length;
        for (const [row, label] of labels.entries()) {
          const inputs = tokenizer(text, { text_pair: template.replace('{}', label) });
          const output = (await jsModel(inputs)) as { logits: { data: Float32Array } };
          const theirs = Array.from(output.logits.data);
          expect(theirs).toHaveLength(classes);
          theirs.forEach((value, index) => {
            const diff = Math.abs((ourLogits[row * classes + index] ?? Number.NaN) - value);
            maxLogitDiff = Math.max(maxLogitDiff, diff);
            expect(diff, `${label} class ${index}`).toBeLessThanOrEqual(TOLERANCE);
          });
        }
      }
    });

    it('would fail on a head read the wrong way round: entailment and contradiction swapped differ from the pipeline', async () => {
      // Random weights put single-label scores near 1/n (they differ by ~1e-6), so the head order
      // shows in the multi-label score, softmax([contradiction, entailment]): swapped, it is 1 - score.
      const labels = LABELS.slice(0, 3);
      const a = await ours.classify(TEXTS[0] ?? '', labels, { multiLabel: true });
      const b = await theirs(TEXTS[0] ?? '', labels, { hypothesis_template: DEFAULT_TEMPLATE, multi_label: true });
      for (const label of labels) expect(Math.abs(1 - scoreOf(a, label) - scoreOf(b, label)), label).toBeGreaterThan(100 * TOLERANCE);
    });

    /**
     * A premise longer than the model reads. transformers.js cuts the pair's tail (losing the
     * hypothesis and the last separator); the core, on purpose, does what the Python pipeline
     * does: truncation only_first, each pair's premise cut to max length - special tokens - its
     * own hypothesis. So the core on the whole text must equal the pipeline on the text already
     * cut by that rule, computed here with transformers.js's tokenizer.
     */
    describe('a premise cut to fit: the Python pipeline rule (only_first, per pair)', () => {
      // The tokenizer's own count of special tokens around a pair (RoBERTa's 4, BERT's 3).
      const specialTokens = () => tokenizer('甲', { text_pair: '乙' }).input_ids.data.length - tokenizer.tokenize('甲').length - tokenizer.tokenize('乙').length;
      const cutFor = (hypothesis: string): string => {
        const tokens = tokenizer.tokenize(LONG_PREMISE);
        const kept = ours.model.maxLength - specialTokens() - tokenizer.tokenize(hypothesis).length;
        expect(kept).toBeLessThan(tokens.length);
        const wanted = JSON.stringify(tokens.slice(0, kept));
        // The longest prefix that tokenizes to the kept tokens (one character a token here).
        for (let length = kept + 1; length > 0; length -= 1) {
          const prefix = LONG_PREMISE.slice(0, length);
          if (JSON.stringify(tokenizer.tokenize(prefix)) === wanted) return prefix;
        }
        throw new Error(`no prefix of the premise tokenizes to its first ${kept} tokens`);
      };

      it('single-label, hypotheses of one length: one cut for all', async () => {
        const labels = ['体育', '财经', '科技'];
        const a = await ours.classify(LONG_PREMISE, labels);
        expect(a.truncated?.premiseTokens).toBe(tokenizer.tokenize(LONG_PREMISE).length);
        const b = await theirs(cutFor(DEFAULT_TEMPLATE.replace('{}', '体育')), labels, { hypothesis_template: DEFAULT_TEMPLATE });
        compare(a, b, labels, 'long premise');
      });

      it('token ids: each pair is the pipeline tokenizer on the cut text, not its own tail cut', () => {
        const labels = ['体育', '国际关系', '房地产市场调控'];
        const { batch } = ours.encode(LONG_PREMISE, labels, DEFAULT_TEMPLATE);
        labels.forEach((label, row) => {
          const hypothesis = DEFAULT_TEMPLATE.replace('{}', label);
          const expected = Array.from(tokenizer(cutFor(hypothesis), { text_pair: hypothesis }).input_ids.data, Number);
          const mask = Array.from(batch.attentionMask.subarray(row * batch.sequence, (row + 1) * batch.sequence), Number);
          const ids = Array.from(batch.inputIds.subarray(row * batch.sequence, (row + 1) * batch.sequence), Number).slice(0, mask.indexOf(0) === -1 ? undefined : mask.indexOf(0));
          expect(ids, label).toEqual(expected);
          expect(ids).toHaveLength(ours.model.maxLength);
          // transformers.js on the whole text keeps the premise and cuts the hypothesis off: the difference on purpose.
          const tail = Array.from(tokenizer(LONG_PREMISE, { text_pair: hypothesis, truncation: true }).input_ids.data, Number);
          expect(tail).toHaveLength(ours.model.maxLength);
          expect(tail).not.toEqual(ids);
        });
      });

      it('multi-label, hypotheses of different lengths: each pair keeps its own share of the text', async () => {
        const labels = ['体育', '国际关系', '房地产市场调控'];
        const a = await ours.classify(LONG_PREMISE, labels, { multiLabel: true });
        for (const label of labels) {
          const b = await theirs(cutFor(DEFAULT_TEMPLATE.replace('{}', label)), [label], { hypothesis_template: DEFAULT_TEMPLATE, multi_label: true });
          compare(a, b, [label], `long premise, ${label}`);
        }
      });
    });
  });
}

/**
 * Weights in ONNX external data (onnx/model.onnx + onnx/model.onnx_data, as exports over 2 GiB
 * come): ONNX Runtime reads the data file beside the model file; the scores are the inline model's.
 */
describe('xlm-r with external data: the same scores as inline, and as the pipeline', () => {
  let inline: Classifier;
  let external: Classifier;
  let theirs: Pipeline;
  let dir = '';
  beforeAll(async () => {
    dir = await testInterfaceModel('xlm-r', { externalData: true });
    inline = await loadClassifier({ model: await testInterfaceModel('xlm-r') });
    external = await loadClassifier({ model: dir });
    const js = await transformers();
    theirs = await js.pipeline('zero-shot-classification', dir, { dtype: 'fp32', device: 'cpu', use_external_data_format: true });
  });
  afterAll(async () => {
    await inline.dispose();
    await external.dispose();
  });

  it('keeps the weights in the data file and gives identical scores', async () => {
    // Nearly all bytes are in the data file: the model file holds the graph and the small constants.
    expect(statSync(join(dir, 'onnx', 'model.onnx')).size).toBeLessThan(64 * 1024);
    expect(statSync(join(dir, 'onnx', 'model.onnx_data')).size).toBeGreaterThan(5 * 1024 * 1024);
    for (const multiLabel of [false, true]) {
      const a = await external.classify(TEXTS[1] ?? '', LABELS, { multiLabel });
      const b = await inline.classify(TEXTS[1] ?? '', LABELS, { multiLabel });
      const c = await theirs(TEXTS[1] ?? '', LABELS, { hypothesis_template: DEFAULT_TEMPLATE, multi_label: multiLabel });
      for (const label of LABELS) {
        expect(scoreOf(a, label), label).toBe(scoreOf(b, label));
        expect(Math.abs(scoreOf(a, label) - scoreOf(c, label)), label).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});

/**
 * An fp16 export without keep_io_types gives float16 logits (ONNX Runtime hands them over as
 * their 16 bits). The core reads them as numbers: its scores stay within fp16 rounding of the
 * same model with float32 logits, and of the pipeline on that model. (transformers.js 4.3 on
 * Node 20 reads the float16 logits' bits as integers, so it is compared on the float32-logits file.)
 */
describe('xlm-r at fp16 with float16 logits', () => {
  /** Logits rounded to fp16 (steps of 2^-11 near 1) move a score by about 1e-4. */
  const FP16_TOLERANCE = 1e-3;
  let half: Classifier;
  let keepIo: Classifier;
  let theirs: Pipeline;
  beforeAll(async () => {
    half = await loadClassifier({ model: await testInterfaceModel('xlm-r', { fp16: true, float16Outputs: true }), precision: 'fp16' });
    const keepIoDir = await testInterfaceModel('xlm-r', { fp16: true });
    keepIo = await loadClassifier({ model: keepIoDir, precision: 'fp16' });
    const js = await transformers();
    theirs = await js.pipeline('zero-shot-classification', keepIoDir, { dtype: 'fp16', device: 'cpu' });
  });
  afterAll(async () => {
    await half.dispose();
    await keepIo.dispose();
  });

  it('reads the float16 logits as their values: fp16 numbers, within fp16 rounding of the float32-logits file and the pipeline', async () => {
    const { batch } = half.encode(TEXTS[0] ?? '', LABELS.slice(0, 3), DEFAULT_TEMPLATE);
    const logits = await half.run(batch);
    expect(logits).toBeInstanceOf(Float32Array);
    // Each value is a float16 (survives the round trip) and no bit pattern read as an integer (|logit| < 100).
    expect(Array.from(float16ToFloat32(float32ToFloat16(logits)))).toEqual(Array.from(logits));
    for (const value of logits) expect(Math.abs(value)).toBeLessThan(100);
    const widest = { keepIo: 0, pipeline: 0 };
    for (const multiLabel of [false, true]) {
      // One pair per run, as the pipeline runs: fp16 batches differ slightly from single pairs.
      const a = await half.classify(TEXTS[0] ?? '', LABELS, { multiLabel, pairsPerRun: 1 });
      const b = await keepIo.classify(TEXTS[0] ?? '', LABELS, { multiLabel, pairsPerRun: 1 });
      const c = await theirs(TEXTS[0] ?? '', LABELS, { hypothesis_template: DEFAULT_TEMPLATE, multi_label: multiLabel });
      for (const label of LABELS) {
        expect(Math.abs(scoreOf(a, label) - scoreOf(b, label)), label).toBeLessThanOrEqual(FP16_TOLERANCE);
        expect(Math.abs(scoreOf(a, label) - scoreOf(c, label)), label).toBeLessThanOrEqual(FP16_TOLERANCE);
        expect(Math.abs(scoreOf(b, label) - scoreOf(c, label)), label).toBeLessThanOrEqual(TOLERANCE);
        widest.keepIo = Math.max(widest.keepIo, Math.abs(scoreOf(a, label) - scoreOf(b, label)));
        widest.pipeline = Math.max(widest.pipeline, Math.abs(scoreOf(a, label) - scoreOf(c, label)));
      }
    }
    console.info(`fp16 with float16 logits, max abs score difference: vs float32 logits ${widest.keepIo.toExponential(2)}, vs the pipeline ${widest.pipeline.toExponential(2)}`);
  });
});
