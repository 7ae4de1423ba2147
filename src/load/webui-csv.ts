/**
 * The web page's responsiveness, measured in a browser against a running server: one row per
 * page (normal, lite). A CSV kind of its own (`kind` = `webui`) that `compare` and `report` read.
 */
import { toCsv, type Column } from '../runner/results-csv.js';
import { fixed } from '../io/fixed.js';

/** Bumped whenever a web UI column changes meaning or goes away. */
export const WEBUI_SCHEMA_VERSION = 1;

/** The page counts as smooth when it adds less than this at p95 to the server's own latency. */
export const SMOOTH_LIMIT_MS = 100;

export const WEBUI_PAGES = ['normal', 'lite'] as const;
export type WebUiPage = (typeof WEBUI_PAGES)[number];

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

export interface WebUiContext {
  toolVersion: string;
  timestamp: string;
  clientHost: string;
  browser: string;
  url: string;
  cpuSlowdown: number;
  serverHost: string;
  serverProfile: string;
  modelId: string;
  modelSha256: string;
  precision: string;
  requestedProvider: string;
  actualProvider: string;
  fallback: boolean;
  synthetic: boolean;
}

export function isSmooth(measurement: Pick<WebUiMeasurement, 'addedMs'>): boolean {
  return Number.isFinite(measurement.addedMs.p95) && measurement.addedMs.p95 < SMOOTH_LIMIT_MS;
}

type WebUiRow = WebUiMeasurement & WebUiContext;
const ms = fixed(1);

export const WEBUI_COLUMNS: readonly Column<WebUiRow>[] = [
  ['schema_version', () => WEBUI_SCHEMA_VERSION],
  ['kind', () => 'webui'],
  ['tool_version', (r) => r.toolVersion],
  ['timestamp', (r) => r.timestamp],
  ['client_host', (r) => r.clientHost],
  ['browser', (r) => r.browser],
  ['url', (r) => r.url],
  ['page', (r) => r.page],
  ['page_path', (r) => r.path],
  ['cpu_slowdown', (r) => r.cpuSlowdown],
  ['loads', (r) => r.loads],
  ['classifications', (r) => r.classifications],
  ['dom_content_loaded_p50_ms', (r) => ms(r.domContentLoadedMs.p50)],
  ['dom_content_loaded_p95_ms', (r) => ms(r.domContentLoadedMs.p95)],
  ['load_p50_ms', (r) => ms(r.loadMs.p50)],
  ['load_p95_ms', (r) => ms(r.loadMs.p95)],
  ['bars_p50_ms', (r) => ms(r.barsMs.p50)],
  ['bars_p95_ms', (r) => ms(r.barsMs.p95)],
  ['server_p50_ms', (r) => ms(r.serverMs.p50)],
  ['server_p95_ms', (r) => ms(r.serverMs.p95)],
  ['added_p50_ms', (r) => ms(r.addedMs.p50)],
  ['added_p95_ms', (r) => ms(r.addedMs.p95)],
  ['added_max_ms', (r) => ms(r.addedMs.max)],
  ['render_p50_ms', (r) => ms(r.renderMs.p50)],
  ['render_p95_ms', (r) => ms(r.renderMs.p95)],
  ['long_tasks', (r) => r.longTasks],
  ['long_task_total_ms', (r) => ms(r.longTaskTotalMs)],
  ['long_task_max_ms', (r) => ms(r.longTaskMaxMs)],
  ['smooth_limit_ms', () => SMOOTH_LIMIT_MS],
  ['smooth', (r) => isSmooth(r)],
  ['server_host', (r) => r.serverHost],
  ['server_profile', (r) => r.serverProfile],
  ['model_id', (r) => r.modelId],
  ['model_sha256', (r) => r.modelSha256],
  ['precision', (r) => r.precision],
  ['requested_provider', (r) => r.requestedProvider],
  ['actual_provider', (r) => r.actualProvider],
  ['fallback', (r) => r.fallback],
  ['synthetic', (r) => r.synthetic],
];

export function formatWebUiCsv(measurements: readonly WebUiMeasurement[], context: WebUiContext): string {
  return toCsv(WEBUI_COLUMNS, measurements.map((measurement) => ({ ...measurement, ...context })));
}
