import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutAtSentence, importThucnews } from '../../src/dataset/import-thucnews.js';
import { formatDatasetCsv, parseDatasetCsv, readDataset } from '../../src/io/dataset.js';

describe('dataset CSV', () => {
  it('reads back every item as it was written (quotes, commas, newlines, Chinese)', () => {
    const items = [
      { id: '1', label: '体育', text: '球赛，"精彩"。' },
      { id: 'a,b', label: '财经', text: '第一行\n第二行' },
    ];
    expect(parseDatasetCsv(formatDatasetCsv(items), 'd.csv')).toEqual(items);
  });
  it('parses id,label,text with extra columns and a BOM', () => {
    expect(parseDatasetCsv('\uFEFFid,label,text,source\n1,体育,球赛。,x\n2,财经,"股市，上涨。",y\n', 'd.csv')).toEqual([
      { id: '1', label: '体育', text: '球赛。' },
      { id: '2', label: '财经', text: '股市，上涨。' },
    ]);
  });
  it('names the file and line of each problem', () => {
    expect(() => parseDatasetCsv('id,text\n1,x\n', 'd.csv')).toThrow('d.csv:1: missing column(s) label; expected a dataset (id,label,text), found header: id,text');
    expect(() => parseDatasetCsv('id,label,text\n1,体育,ok\n2,体育,\n', 'd.csv')).toThrow('d.csv:3: empty text for id 2');
    expect(() => parseDatasetCsv('id,label,text\n1,体育,a\n1,财经,b\n', 'd.csv')).toThrow("d.csv:3: duplicate id '1' (first on line 2)");
    expect(() => parseDatasetCsv('', 'd.csv')).toThrow('d.csv: empty file; expected a dataset (id,label,text) with a header row and rows');
    expect(() => parseDatasetCsv('id,label,text\n', 'd.csv')).toThrow('d.csv: no rows after the header');
  });
  it('refuses bytes that are not UTF-8, naming the line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zsc-ds-')), 'gbk.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('id,label,text\n1,a,ok\n2,b,'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('\n')]));
    expect(() => readDataset(file)).toThrow(`${file}:3: not valid UTF-8; save the file as UTF-8`);
    expect(() => readDataset(join(tmpdir(), 'no-such-dataset.csv'))).toThrow(/--dataset: cannot read .*no-such-dataset\.csv \(ENOENT\)/);
  });
  it('the bundled sample has 10 items in each of the ten categories', () => {
    const items = readDataset(resolve('datasets/thucnews-style-100.csv'));
    expect(items).toHaveLength(100);
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.label, (counts.get(item.label) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['体育', '娱乐', '家居', '房产', '教育', '时尚', '时政', '游戏', '科技', '财经'].sort());
    expect([...counts.values()].every((count) => count === 10)).toBe(true);
    const mean = items.reduce((sum, item) => sum + [...item.text].length, 0) / items.length;
    expect(mean).toBeGreaterThan(110);
    expect(mean).toBeLessThan(140);
  });
  it('formats and parses back', () => {
    const items = [{ id: 'a', label: '体育', text: '含有,逗号和"引号"的文本' }];
    expect(parseDatasetCsv(formatDatasetCsv(items), 'x.csv')).toEqual(items);
  });
});

describe('import-thucnews', () => {
  it('cuts at the sentence end nearest the limit', () => {
    expect(cutAtSentence('一二三。四五六七八。九十。', 6)).toBe('一二三。');
    expect(cutAtSentence('一二三。四五六七八。九十。', 9)).toBe('一二三。四五六七八。');
    expect(cutAtSentence('他说：“好。”然后走了。', 7)).toBe('他说：“好。”');
    expect(cutAtSentence('没有句号的一段很长的文字', 5)).toBe('没有句号的');
    expect(cutAtSentence('短句。', 50)).toBe('短句。');
  });
  it('reads the THUCNews folder layout, stratified and seeded', () => {
    const a = importThucnews('test/fixtures/thucnews-folder', { perClass: 2, seed: 1, maxChars: 30 });
    expect(a.stats.counts).toEqual({ 体育: 2, 科技: 2, 财经: 1 });
    expect(a.stats.warnings).toEqual(['财经: only 1 articles, fewer than --per-class 2']);
    expect(a.items.every((item) => [...item.text].length <= 40)).toBe(true);
    expect(importThucnews('test/fixtures/thucnews-folder', { perClass: 2, seed: 1, maxChars: 30 })).toEqual(a);
    expect(a.items[0]?.id).toBe('thucnews-体育-001');
  });
  it('reads cnews-style files (a file or a folder of cnews.*.txt)', () => {
    const fromFolder = importThucnews('test/fixtures/cnews', { perClass: 1, seed: 3, maxChars: 128 });
    const fromFile = importThucnews('test/fixtures/cnews/cnews.train.txt', { perClass: 1, seed: 3, maxChars: 128 });
    expect(fromFolder).toEqual(fromFile);
    expect(fromFile.stats.counts).toEqual({ 体育: 1, 科技: 1, 财经: 1 });
    expect(fromFile.stats.minChars).toBeGreaterThan(0);
  });
  it('names the file and line of a malformed cnews line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zsc-cn-')), 'cnews.txt');
    writeFileSync(file, '体育\t好球。\n没有制表符的一行\n');
    expect(() => importThucnews(file, { perClass: 1, seed: 1, maxChars: 10 })).toThrow(`${file}:2: expected label<TAB>text`);
    expect(() => importThucnews('/no/such/corpus', { perClass: 1, seed: 1, maxChars: 10 })).toThrow("import-thucnews: no such file or folder '/no/such/corpus'");
  });
});
