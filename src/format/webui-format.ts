/** The web UI measurement as table rows: the same cells in the terminal, Markdown and the HTML report. */
import type { WebUiRecord } from '../compare/read-results.js';
import { SMOOTH_LIMIT_MS, type WebUiMeasurement } from '../load/webui-csv.js';
import { num } from './text.js';

export const WEBUI_RULE =
  `Smooth when the page adds less than ${SMOOTH_LIMIT_MS} ms at p95: the time from the Classify click to the first frame painted with the bars, ` +
  'minus the server\'s own latency for that request (so loopback and HTTP, JSON parsing, rendering and painting are what is left; render = from the answer\'s last byte to the painted bars). ' +
  'Long tasks are main-thread tasks over 50 ms (Long Tasks API) during page loads and classifications.';

type Row = Pick<WebUiRecord, 'page' | 'cpuSlowdown' | 'loads' | 'classifications' | 'domContentLoadedMs' | 'loadMs' | 'barsMs' | 'serverMs' | 'addedMs' | 'renderMs' | 'longTasks' | 'longTaskMaxMs' | 'smooth'> &
  Partial<Pick<WebUiRecord, 'serverHost' | 'serverProfile' | 'precision' | 'actualProvider' | 'fallback' | 'timestamp'>>;

const verdict = (row: Row): string => (row.smooth ? 'smooth' : 'NOT smooth');

export function webUiRows(rows: readonly Row[]): { head: string[]; rows: string[][] } {
  const head = ['server', 'run', 'page', 'CPU slowdown', 'loads', 'classifications', 'DOMContentLoaded p50 ms', 'load p50 ms', 'bars p95 ms', 'server p95 ms', 'page adds p50 ms', 'page adds p95 ms', 'render p95 ms', 'long tasks', 'longest task ms', 'web UI'];
  return {
    head,
    rows: rows.map((row) => [
      row.serverHost === undefined ? '-' : `${row.serverHost}${row.serverProfile ? ` ${row.serverProfile}` : ''} (${row.precision ?? '?'}, ${row.actualProvider ?? '?'}${row.fallback === true ? ' FALLBACK' : ''})`,
      row.timestamp === undefined ? '-' : row.timestamp.replace(/\.\d+Z$/, 'Z'),
      row.page,
      `${row.cpuSlowdown}x`,
      String(row.loads),
      String(row.classifications),
      num(row.domContentLoadedMs.p50, 1),
      num(row.loadMs.p50, 1),
      num(row.barsMs.p95, 1),
      num(row.serverMs.p95, 1),
      num(row.addedMs.p50, 1),
      num(row.addedMs.p95, 1),
      num(row.renderMs.p95, 1),
      String(row.longTasks),
      num(row.longTaskMaxMs, 1),
      verdict(row),
    ]),
  };
}

/** Rows for a measurement that has not been written and read back yet (the command's own table). */
export function measurementRow(measurement: WebUiMeasurement, cpuSlowdown: number, smooth: boolean): Row {
  return { ...measurement, cpuSlowdown, smooth };
}
