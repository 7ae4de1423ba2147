import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { median } from '../stats/statistics.js';
import { UsageError } from '../base/errors.js';
import { readInputFile } from '../base/input-file.js';
import { hashString, mulberry32, shuffle } from '../stats/random.js';
import { decodeUtf8, type DatasetItem } from '../io/dataset.js';

export interface ImportOptions {
  perClass: number;
  seed: number;
  maxChars: number;
}

export interface ImportStats {
  counts: Record<string, number>;
  meanChars: number;
  medianChars: number;
  minChars: number;
  maxChars: number;
  warnings: string[];
}

interface Article {
  label: string;
  text: string;
  source: string;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** THUCNews layout: <root>/<category>/<NNN>.txt, one article per file. */
function readFolderLayout(root: string): Article[] {
  const articles: Article[] = [];
  for (const category of readdirSync(root).sort()) {
    const dir = join(root, category);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.txt')).sort()) {
      const text = collapse(decodeUtf8(readInputFile(join(dir, file), 'dataset'), join(dir, file)));
      if (text !== '') articles.push({ label: category, text, source: `${category}/${file}` });
    }
  }
  return articles;
}

/** cnews layout: `label<TAB>text` per line. */
function readCnewsFile(file: string): Article[] {
  const lines = decodeUtf8(readInputFile(file, 'dataset'), file).split('\n');
  const articles: Article[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    if (tab <= 0) throw new UsageError(`${file}:${index + 1}: expected label<TAB>text`);
    const text = collapse(line.slice(tab + 1));
    if (text !== '') articles.push({ label: line.slice(0, tab).trim(), text, source: `${basename(file)}:${index + 1}` });
  });
  return articles;
}

function readCorpus(path: string): Article[] {
  if (!existsSync(path)) throw new UsageError(`import-thucnews: no such file or folder '${path}'`);
  if (statSync(path).isFile()) return readCnewsFile(path);
  const entries = readdirSync(path).sort();
  const cnewsFiles = entries.filter((name) => /^cnews.*\.txt$/.test(name) && statSync(join(path, name)).isFile());
  if (cnewsFiles.length > 0) return cnewsFiles.flatMap((name) => readCnewsFile(join(path, name)));
  return readFolderLayout(path);
}

const SENTENCE_END = /[。！？!?][”’"』」]?/g;

/** Cuts at the sentence end nearest maxChars (in code points); with none, cuts hard at maxChars. */
export function cutAtSentence(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) return text;
  let best: number | undefined;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = [...text.slice(0, (match.index ?? 0) + match[0].length)].length;
    if (best === undefined || Math.abs(end - maxChars) < Math.abs(best - maxChars)) best = end;
  }
  return chars.slice(0, best ?? maxChars).join('');
}

/** A stratified sample: perClass articles per label, drawn with the seed, in a stable order. */
export function importThucnews(path: string, options: ImportOptions): { items: DatasetItem[]; stats: ImportStats } {
  const articles = readCorpus(path);
  if (articles.length === 0) throw new UsageError(`import-thucnews: no articles found in '${path}'; expected category/NNN.txt files or label<TAB>text lines`);
  const byLabel = new Map<string, Article[]>();
  for (const article of articles) byLabel.set(article.label, [...(byLabel.get(article.label) ?? []), article]);
  const items: DatasetItem[] = [];
  const warnings: string[] = [];
  const counts: Record<string, number> = {};
  for (const label of [...byLabel.keys()].sort()) {
    const pool = byLabel.get(label) ?? [];
    const chosen = shuffle([...pool], mulberry32(hashString(`${options.seed}:${label}`))).slice(0, options.perClass);
    if (chosen.length < options.perClass) warnings.push(`${label}: only ${chosen.length} articles, fewer than --per-class ${options.perClass}`);
    counts[label] = chosen.length;
    chosen.forEach((article, index) => {
      items.push({ id: `thucnews-${label}-${String(index + 1).padStart(3, '0')}`, label, text: cutAtSentence(article.text, options.maxChars) });
    });
  }
  const lengths = items.map((item) => [...item.text].length);
  return {
    items,
    stats: {
      counts,
      meanChars: lengths.reduce((sum, length) => sum + length, 0) / lengths.length,
      medianChars: median(lengths),
      minChars: Math.min(...lengths),
      maxChars: Math.max(...lengths),
      warnings,
    },
  };
}
