/**
 * The web page's responsiveness, measured in a browser against a running server: one row per
 * page (normal, lite). A CSV kind of its own (`kind` = `webui`, declared in src/schema/webui.ts)
 * that `compare` and `report` read.
 */
import { formatRows } from '../io/csv-table.js';
import { WEBUI_CSV, WEBUI_PAGES, WEBUI_SCHEMA_VERSION, type WebUiContext, type WebUiCsvRow, type WebUiPageCells } from '../schema/webui.js';

export { WEBUI_PAGES, WEBUI_SCHEMA_VERSION, type WebUiContext } from '../schema/webui.js';
export type WebUiPage = (typeof WEBUI_PAGES)[number];

/** The page counts as smooth when it adds less than this at p95 to the server's own latency. */
export const SMOOTH_LIMIT_MS = 100;

/** Percentiles of one quantity over the measured page loads or classifications. */
export interface Spread {
  p50: number;
  p95: number;
  max: number;
}

/** One page's measurement: what the browser saw, and what the page itself added. */
export interface WebUiMeasurement {
  page: WebUiPage;
  path: string;
  loads: number;
  classifications: number;
  /** Navigation timing: DOMContentLoaded and load event ends, from navigation start. */
  domContentLoadedMs: Spread;
  loadMs: Spread;
  /** From the Classify click to the first frame painted with the bars in it. */
  barsMs: Spread;
  /** The server's own latency for the same requests (`latencyMs` of the API answer). */
  serverMs: Spread;
  /** barsMs - serverMs per classification: the page's (and the loopback's) cost. */
  addedMs: Spread;
  /** From the answer's last byte (Resource Timing responseEnd) to the bars painted: parsing and drawing alone. */
  renderMs: Spread;
  longTasks: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
}

export function isSmooth(measurement: Pick<WebUiMeasurement, 'addedMs'>): boolean {
  return Number.isFinite(measurement.addedMs.p95) && measurement.addedMs.p95 < SMOOTH_LIMIT_MS;
}

function pageCells(m: WebUiMeasurement): WebUiPageCells {
  return {
    page: m.page,
    path: m.path,
    loads: m.loads,
    classifications: m.classifications,
    domContentLoadedP50Ms: m.domContentLoadedMs.p50,
    domContentLoadedP95Ms: m.domContentLoadedMs.p95,
    loadP50Ms: m.loadMs.p50,
    loadP95Ms: m.loadMs.p95,
    barsP50Ms: m.barsMs.p50,
    barsP95Ms: m.barsMs.p95,
    serverP50Ms: m.serverMs.p50,
    serverP95Ms: m.serverMs.p95,
    addedP50Ms: m.addedMs.p50,
    addedP95Ms: m.addedMs.p95,
    addedMaxMs: m.addedMs.max,
    renderP50Ms: m.renderMs.p50,
    renderP95Ms: m.renderMs.p95,
    longTasks: m.longTasks,
    longTaskTotalMs: m.longTaskTotalMs,
    longTaskMaxMs: m.longTaskMaxMs,
  };
}

export function formatWebUiCsv(measurements: readonly WebUiMeasurement[], context: WebUiContext): string {
  const rows: WebUiCsvRow[] = measurements.map((m) => ({
    schemaVersion: WEBUI_SCHEMA_VERSION, kind: 'webui', ...pageCells(m), smoothLimitMs: SMOOTH_LIMIT_MS, smooth: isSmooth(m), ...context,
  }));
  return formatRows(WEBUI_CSV, rows);
}
