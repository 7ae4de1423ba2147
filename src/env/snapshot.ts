import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import si from 'systeminformation';
import { detectEmulation } from './emulation.js';
import { nvidiaInfo } from './gpu.js';
import { packageRoot } from './package.js';

/** The machine a result came from, stored with every result row. */
export interface EnvironmentSnapshot {
  hostname: string;
  os: string;
  arch: string;
  /** '' on the machine itself; else the emulator this ran under (timings are the emulator's). */
  emulated: string;
  cpuModel: string;
  cpuCores: number;
  cpuPhysicalCores: number;
  cpuFlags: string;
  ramBytes: number;
  gpuModel: string;
  gpuDriver: string;
  cudaVersion: string;
  nodeVersion: string;
  onnxruntimeVersion: string;
  toolVersion: string;
  gitCommit: string;
  timestamp: string;
}

/** Instruction-set flags that change how fast ONNX Runtime's kernels are. */
const RELEVANT_FLAGS = ['avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vnni', 'avx512_vnni', 'avx_vnni', 'amx_int8', 'asimd', 'neon', 'asimddp', 'fphp', 'asimdhp', 'sve', 'i8mm'];

export function relevantCpuFlags(flags: string): string {
  const present = new Set(flags.toLowerCase().split(/\s+/));
  return RELEVANT_FLAGS.filter((flag) => present.has(flag)).join(' ');
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

async function gitCommit(): Promise<string> {
  // Only a checkout of zsc-bench itself: installed under node_modules, git would name the host project.
  if (!existsSync(join(packageRoot(), '.git'))) return '';
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), timeout: 3000 });
    return stdout.trim();
  } catch {
    return '';
  }
}

export async function captureEnvironment(toolVersion: string): Promise<EnvironmentSnapshot> {
  const [cpu, flags, memory, os, graphics, nvidia, commit] = await Promise.all([
    si.cpu(),
    si.cpuFlags(),
    si.mem(),
    si.osInfo(),
    si.graphics().catch(() => ({ controllers: [] })),
    nvidiaInfo(),
    gitCommit(),
  ]);
  const nvidiaGpu = nvidia?.gpus[0];
  const otherGpu = graphics.controllers.find((controller) => controller.model !== '');
  return {
    hostname: hostname(),
    os: `${os.distro} ${os.release} (${os.platform} ${os.kernel})`.trim(),
    arch: process.arch,
    emulated: detectEmulation(),
    cpuModel: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    cpuCores: cpu.cores,
    cpuPhysicalCores: cpu.physicalCores,
    cpuFlags: relevantCpuFlags(flags),
    ramBytes: memory.total,
    gpuModel: nvidiaGpu?.name ?? otherGpu?.model ?? '',
    gpuDriver: nvidiaGpu?.driver ?? '',
    cudaVersion: nvidia?.cudaVersion ?? '',
    nodeVersion: process.version,
    onnxruntimeVersion: packageVersion('onnxruntime-node'),
    toolVersion,
    gitCommit: commit,
    timestamp: new Date().toISOString(),
  };
}
