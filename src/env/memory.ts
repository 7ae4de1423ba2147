import { readFileSync, writeFileSync } from 'node:fs';

/** Parses a `VmHWM:  123456 kB` style line of /proc/self/status into bytes. */
export function parseStatusKiB(status: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/**
 * Peak resident memory of this process so far, in bytes. Native memory (ONNX Runtime's arenas)
 * is not in the JS heap figures, so only RSS tells the truth: VmHWM on Linux, else maxRSS.
 */
export function peakRssBytes(): number {
  try {
    const peak = parseStatusKiB(readFileSync('/proc/self/status', 'utf8'), 'VmHWM');
    if (peak !== undefined) return peak;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Resident memory of this process now, in bytes: VmRSS on Linux (under qemu-user, libuv's source,
 * /proc/self/stat, is the emulator's stand-in with the RSS field 0), else libuv's figure.
 */
export function currentRssBytes(): number {
  try {
    const now = parseStatusKiB(readFileSync('/proc/self/status', 'utf8'), 'VmRSS');
    if (now !== undefined && now > 0) return now;
  } catch {
    // not Linux
  }
  return process.memoryUsage.rss();
}

/**
 * Resets this process's VmHWM to its current RSS (Linux >= 4.0: write 5 to clear_refs), so a
 * peak measured afterwards is not inflated by earlier work such as building a model.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
