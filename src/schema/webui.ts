/**
 * `zsc-bench webui`'s results: one row per page (normal, lite), declared once like the other
 * result kinds (see src/schema/csv.ts). Parts: 'context' once per measurement (the command),
 * 'page' per page (load/webui-csv.ts from the measurement), 'derived' (the writer).
 */
import { above, between, boolean, column, csvKind, isoTime, metric, numberIn, oneOf, required, text, wholeIn, type PartOf, type ReadRowOf, type RowOf } from './csv.js';
import { DURATION, SCHEMA_VERSION } from './results.js';

/** Bumped whenever a web UI column changes meaning or goes away. */
export const WEBUI_SCHEMA_VERSION = 1;

export const WEBUI_PAGES = ['normal', 'lite'] as const;

/** Browser timings: 0 is possible (a long task that ended with the page), a day is not. */
const ms = metric(1, DURATION);
/** --loads and --classifications take up to 1e6 each. */
const MAX_LOADS = 1_000_000;

export const WEBUI_CSV = csvKind('zsc-bench web UI CSV (from `zsc-bench webui`)', {
  schemaVersion: required('schema_version', numberIn(SCHEMA_VERSION), 'derived'),
  kind: required('kind', oneOf(['webui']), 'derived'),
  toolVersion: column('tool_version', text, 'context'),
  timestamp: required('timestamp', isoTime, 'context'),
  clientHost: required('client_host', text, 'context'),
  browser: required('browser', text, 'context'),
  url: column('url', text, 'context'),
  page: required('page', oneOf(WEBUI_PAGES), 'page'),
  path: required('page_path', text, 'page'),
  /** --cpu-slowdown: 1 (none) or more, up to the flag's 1e6. */
  cpuSlowdown: required('cpu_slowdown', numberIn(between(1, 1e6)), 'context'),
  loads: required('loads', numberIn(wholeIn(1, MAX_LOADS)), 'page'),
  classifications: required('classifications', numberIn(wholeIn(0, MAX_LOADS * MAX_LOADS)), 'page'),
  domContentLoadedP50Ms: required('dom_content_loaded_p50_ms', ms, 'page'),
  domContentLoadedP95Ms: required('dom_content_loaded_p95_ms', ms, 'page'),
  loadP50Ms: required('load_p50_ms', ms, 'page'),
  loadP95Ms: required('load_p95_ms', ms, 'page'),
  barsP50Ms: required('bars_p50_ms', ms, 'page'),
  barsP95Ms: required('bars_p95_ms', ms, 'page'),
  serverP50Ms: required('server_p50_ms', ms, 'page'),
  serverP95Ms: required('server_p95_ms', ms, 'page'),
  addedP50Ms: required('added_p50_ms', ms, 'page'),
  addedP95Ms: required('added_p95_ms', ms, 'page'),
  addedMaxMs: required('added_max_ms', ms, 'page'),
  renderP50Ms: column('render_p50_ms', ms, 'page'),
  renderP95Ms: column('render_p95_ms', ms, 'page'),
  longTasks: required('long_tasks', numberIn(wholeIn(0, 1e12)), 'page'),
  longTaskTotalMs: required('long_task_total_ms', ms, 'page'),
  longTaskMaxMs: required('long_task_max_ms', ms, 'page'),
  smoothLimitMs: required('smooth_limit_ms', numberIn(above(0, 60_000)), 'derived'),
  smooth: required('smooth', boolean, 'derived'),
  serverHost: required('server_host', text, 'context'),
  serverProfile: required('server_profile', text, 'context'),
  modelId: required('model_id', text, 'context'),
  modelSha256: column('model_sha256', text, 'context'),
  precision: required('precision', text, 'context'),
  requestedProvider: column('requested_provider', text, 'context'),
  actualProvider: required('actual_provider', text, 'context'),
  fallback: required('fallback', boolean, 'context'),
  synthetic: required('synthetic', boolean, 'context'),
});

export type WebUiColumns = (typeof WEBUI_CSV)['columns'];
export type WebUiCsvRow = RowOf<WebUiColumns>;
export type WebUiContext = PartOf<WebUiColumns, 'context'>;
export type WebUiPageCells = PartOf<WebUiColumns, 'page'>;
export type WebUiReadRow = ReadRowOf<WebUiColumns>;
