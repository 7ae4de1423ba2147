/** The web page measurements (`zsc-bench webui`) in compare: JSON's fields, and the cell a platform's row shows them in. */
import type { WebUiRecord } from '../../compare/read-results.js';
import { DIGITS, shown, type Fields } from './columns.js';

export const WEBUI_FIELDS = {
  server_host: { read: (page) => page.serverHost },
  server_profile: { read: (page) => page.serverProfile },
  precision: { read: (page) => page.precision },
  actual_provider: { read: (page) => page.actualProvider },
  timestamp: { read: (page) => page.timestamp },
  browser: { read: (page) => page.browser },
  page: { read: (page) => page.page },
  cpu_slowdown: { read: (page) => page.cpuSlowdown },
  loads: { read: (page) => page.loads },
  classifications: { read: (page) => page.classifications },
  dom_content_loaded_p50_ms: { digits: DIGITS.ms, read: (page) => page.domContentLoadedMs.p50 },
  load_p50_ms: { digits: DIGITS.ms, read: (page) => page.loadMs.p50 },
  bars_p95_ms: { digits: DIGITS.ms, read: (page) => page.barsMs.p95 },
  server_p95_ms: { digits: DIGITS.ms, read: (page) => page.serverMs.p95 },
  added_p50_ms: { digits: DIGITS.ms, read: (page) => page.addedMs.p50 },
  added_p95_ms: { digits: DIGITS.ms, read: (page) => page.addedMs.p95 },
  long_tasks: { read: (page) => page.longTasks },
  long_task_max_ms: { digits: DIGITS.ms, read: (page) => page.longTaskMaxMs },
  smooth: { read: (page) => page.smooth },
} satisfies Fields<WebUiRecord>;

/** `smooth (normal +42.0 ms, lite +30.1 ms at p95)`: the web UI column, by the rule in WEBUI_RULE. */
export function webUiCell(pages: readonly WebUiRecord[]): string {
  if (pages.length === 0) return '-';
  const verdict = pages.every((page) => page.smooth) ? 'smooth' : 'NOT smooth';
  const parts = pages.map((page) => `${page.page}${page.cpuSlowdown > 1 ? ` CPU/${page.cpuSlowdown}` : ''} ${page.smooth ? '' : '(slow) '}+${shown(WEBUI_FIELDS.added_p95_ms, page)} ms`);
  return `${verdict} (${parts.join(', ')} at p95)`;
}
