import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/base/errors.js';
import { DEFAULT_TEMPLATE, fillTemplate, parseLabelList, validateLabels, validateTemplate } from '../../src/core/labels.js';

describe('parseLabelList', () => {
  it('splits on ASCII and full-width commas and trims', () => {
    expect(parseLabelList('体育, 财经，科技 ,', '--labels')).toEqual(['体育', '财经', '科技']);
  });
  it('rejects an empty list, naming the flag', () => {
    expect(() => parseLabelList(' , ，', '--labels')).toThrow(new UsageError('--labels: no labels given; expected a comma-separated list such as 体育,财经,科技'));
  });
  it('rejects duplicates, naming the label', () => {
    expect(() => parseLabelList('体育,财经,体育', '--labels')).toThrow("--labels: duplicate label '体育'; each label may appear once");
  });
  it('accepts 64 labels and rejects 65', () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `标签${i}`);
    expect(() => validateLabels(labels(64), '--labels')).not.toThrow();
    expect(() => validateLabels(labels(65), '--labels')).toThrow('--labels: 65 labels given; at most 64 are allowed');
  });
});

describe('templates', () => {
  it('fills only the first placeholder, like the Hugging Face pipeline', () => {
    expect(fillTemplate(DEFAULT_TEMPLATE, '体育')).toBe('这是一篇关于体育的新闻。');
    expect(fillTemplate('{} 与 {}', '体育')).toBe('体育 与 {}');
  });
  it('inserts labels literally, even with $ patterns', () => {
    expect(fillTemplate('关于{}', '$&')).toBe('关于$&');
  });
  it('rejects a template without {}', () => {
    expect(() => validateTemplate('这是一篇新闻。', '--template')).toThrow(
      "--template: template '这是一篇新闻。' has no '{}' placeholder for the label; for example 这是一篇关于{}的新闻。",
    );
  });
});
