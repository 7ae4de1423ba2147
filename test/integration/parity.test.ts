import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classifier } from '../../src/core/classifier.js';
import { loadClassifier } from '../../src/model-store/source.js';
import { DEFAULT_TEMPLATE } from '../../src/core/labels.js';
import { testModel } from '../helpers/models.js';

type Pipeline = (text: string, labels: string[], options: { hypothesis_template: string; multi_label?: boolean }) => Promise<{ labels: string[]; scores: number[] }>;

const TEXTS = [
  '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。',
  '财经快讯：央行今日公布的数据显示，上月财政收入同比增长，股市与债市随之走强。',
  '新款手机搭载自研芯片，AI 影像与 5G 网络表现亮眼，发布会吸引大量科技爱好者。',
];
const LABELS = ['体育', '财经', '科技', '娱乐', '房产', '教育', '游戏', '时政', '家居', '时尚'];

async function transformersPipeline(dir: string): Promise<Pipeline> {
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = '/';
  return await transformers.pipeline('zero-shot-classification', dir, { dtype: 'fp32', device: 'cpu' });
}

for (const arch of ['tiny', 'overlap'] as const) {
  describe(`scores match the transformers.js zero-shot pipeline at fp32 (${arch})`, () => {
    let ours: Classifier;
    let theirs: Pipeline;
    beforeAll(async () => {
      const dir = await testModel(arch);
      ours = await loadClassifier({ model: dir });
      theirs = await transformersPipeline(dir);
    });
    afterAll(() => ours.dispose());

    for (const multiLabel of [false, true]) {
      it(`${multiLabel ? 'multi' : 'single'}-label, 3 to 10 labels, within 1e-4`, async () => {
        for (const text of TEXTS) {
          for (const count of [1, 3, 10]) {
            const labels = LABELS.slice(0, count);
            const a = await ours.classify(text, labels, { multiLabel });
            const b = await theirs(text, labels, { hypothesis_template: DEFAULT_TEMPLATE, multi_label: multiLabel });
            for (const label of labels) {
              const ourScore = a.scores[a.labels.indexOf(label)] ?? Number.NaN;
              const theirScore = b.scores[b.labels.indexOf(label)] ?? Number.NaN;
              expect(Math.abs(ourScore - theirScore), `${label} in ${text.slice(0, 8)}…`).toBeLessThan(1e-4);
            }
          }
        }
      });
    }
  });
}
