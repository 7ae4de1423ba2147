/**
 * Chart.js's browser build, read from node_modules when a report is written, so the report
 * carries its own charting code and opens without a network (mailed, or attached to a CI run).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ChartLibrary {
  name: string;
  version: string;
  license: string;
  /** The UMD build's source, its licence banner kept, without the source-map reference. */
  source: string;
}

export function readChartLibrary(): ChartLibrary {
  // chart.js's `exports` map hides dist/chart.umd.min.js and package.json: find the folder from its main entry.
  const root = dirname(dirname(createRequire(import.meta.url).resolve('chart.js')));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; license: string };
  const source = readFileSync(join(root, 'dist', 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return { name: 'Chart.js', version: manifest.version, license: manifest.license, source };
}
