import type { CacheContents, CachedModel } from '../model-store/cache.js';
import { ARCH_KINDS, ARCHS, type Arch } from '../models/build.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { formatBytes, wrapText } from './text.js';

/** What the weights are: downloaded (trained), synthetic random, or a known-answer model. */
export function weightsCell(model: Pick<CachedModel, 'synthetic' | 'arch'>): string {
  if (!model.synthetic) return 'downloaded';
  const arch = (ARCHS as readonly string[]).includes(model.arch ?? '') ? (model.arch as Arch) : undefined;
  if (arch === undefined) return 'synthetic';
  return ARCH_KINDS[arch].weights === 'known-answer' ? 'synthetic, known answers' : 'synthetic, random';
}

/** `model list`: one row per cached model, then the cache's place and total size. */
export function formatCacheList(contents: CacheContents, style: Style): string {
  const lines: string[] = [];
  if (contents.models.length === 0) {
    lines.push('no models in the cache');
  } else {
    const rows = contents.models.map((model) => [
      model.name,
      weightsCell(model),
      model.files.length === 0 ? '(no ONNX file)' : model.files.map((file) => `${file.precision} ${formatBytes(file.bytes)}`).join(', '),
      formatBytes(model.bytes),
    ]);
    lines.push(renderTable(['model (--model)', 'weights', 'ONNX files', 'size'], rows, style));
  }
  for (const leftover of contents.leftovers) lines.push(`unfinished build or removal: ${leftover.dir} (${formatBytes(leftover.bytes)})`);
  lines.push(`cache ${contents.home}: ${contents.models.length} model(s), ${formatBytes(contents.bytes)} ($ZSC_BENCH_HOME moves it)`);
  return wrapText(`${lines.join('\n')}\n`);
}
