import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NvidiaGpu {
  name: string;
  driver: string;
  memoryTotalMiB: number;
}

export interface NvidiaInfo {
  gpus: NvidiaGpu[];
  cudaVersion: string;
}

async function nvidiaSmi(args: readonly string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('nvidia-smi', [...args], { timeout: 5000, encoding: 'utf8' });
    return stdout;
  } catch {
    // No NVIDIA driver (or no GPU): that is a normal state, not an error.
    return undefined;
  }
}

/** Parses `nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits`. */
export function parseGpuQuery(output: string): NvidiaGpu[] {
  return output
    .split('\n')
    .map((line) => line.split(',').map((field) => field.trim()))
    .filter((fields) => fields.length >= 3 && fields[0] !== '')
    .map(([name, driver, memory]) => ({ name: name ?? '', driver: driver ?? '', memoryTotalMiB: Number(memory) }));
}

/** The "CUDA Version: 12.4" the driver reports in nvidia-smi's banner. */
export function parseCudaVersion(banner: string): string {
  return /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? '';
}

/** Sums `--query-compute-apps=pid,used_memory --format=csv,noheader,nounits` rows for one process. */
export function parseProcessMemory(output: string, pid: number): number | undefined {
  let total: number | undefined;
  for (const line of output.split('\n')) {
    const [rowPid, used] = line.split(',').map((field) => field.trim());
    if (Number(rowPid) === pid && Number.isFinite(Number(used))) total = (total ?? 0) + Number(used);
  }
  return total;
}

export async function nvidiaInfo(): Promise<NvidiaInfo | undefined> {
  const query = await nvidiaSmi(['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader,nounits']);
  if (query === undefined) return undefined;
  const banner = (await nvidiaSmi([])) ?? '';
  return { gpus: parseGpuQuery(query), cudaVersion: parseCudaVersion(banner) };
}

/** GPU memory this process holds, in MiB; undefined without nvidia-smi or when it holds none. */
export async function gpuMemoryUsedMiB(pid = process.pid): Promise<number | undefined> {
  const output = await nvidiaSmi(['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits']);
  return output === undefined ? undefined : parseProcessMemory(output, pid);
}
