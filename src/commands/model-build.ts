import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { parseIntegerInRange, parseList } from '../shell/parse.js';
import { BOUNDS } from '../shell/bounds.js';
import { DEFAULT_SEED } from '../stats/random.js';
import { parsePrecision } from '../models/precision.js';
import { buildModel, type Arch } from '../models/build.js';
import { formatBytes } from '../format/text.js';
import { syntheticNote } from '../format/notes.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export interface ModelBuildFlags {
  arch: string;
  precision: string;
  seed: string;
  out?: string;
  json?: boolean;
}

export async function modelBuildCommand(flags: ModelBuildFlags, io: Io): Promise<ExitCode> {
  // commander has checked --arch against ARCHS.
  const arch = flags.arch as Arch;
  const precisions = [...new Set(parseList(flags.precision, '--precision', parsePrecision))];
  const seed = parseIntegerInRange(flags.seed, '--seed', 0, BOUNDS.seed);
  const outDir = resolve(flags.out ?? `models/${arch}-seed${seed}`);
  const json = flags.json === true;
  const started = performance.now();
  const result = await buildModel({
    arch,
    outDir,
    seed,
    precisions,
    outDirLabel: '--out',
    onProgress: json ? undefined : (message: string) => io.err(`${io.errStyle.dim(message)}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (json) {
    io.out(`${JSON.stringify({ ...result, synthetic: true, seconds }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`built ${arch} (seed ${seed}) in ${seconds.toFixed(1)} s: ${outDir}`];
  for (const file of result.files) {
    lines.push(`  ${file.path.padEnd(28)} ${formatBytes(file.bytes).padStart(10)}  sha256 ${file.sha256.slice(0, 16)}`);
  }
  io.out(`${lines.join('\n')}\n`);
  io.err(`${io.errStyle.yellow(`note: ${syntheticNote({ synthetic: true, arch })}`)}\n`);
  return EXIT.ok;
}

export const MODEL_BUILD_DEFAULTS = { precision: 'fp32,fp16,int8', seed: String(DEFAULT_SEED) } as const;
