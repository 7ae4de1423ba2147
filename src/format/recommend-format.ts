/** The recommendation as a terminal table, Markdown or JSON: the same rounded numbers in each. */
import type { Candidate, Recommendation } from '../compare/recommend.js';
import type { Style } from './style.js';
import { renderMarkdownTable, renderTable } from './tables.js';
import { markdownSafe, num, providerCell, wrapText } from './text.js';

export const RECOMMEND_FORMATS = ['table', 'markdown', 'json'] as const;
export type RecommendFormat = (typeof RECOMMEND_FORMATS)[number];

const round = (value: number | undefined, digits: number): number | null =>
  value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

function verdict(candidate: Candidate): string {
  const marks = [candidate.fallback ? 'FALLBACK' : '', candidate.synthetic ? 'synthetic' : ''].filter((mark) => mark !== '');
  return `${candidate.passes ? 'meets' : 'FAILS'}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
}

/** Every column with `wide`; by default (about 100 columns) the run's time goes and host joins the profile. */
function rows(recommendation: Recommendation, wide: boolean): { head: string[]; rows: string[][] } {
  const metric = recommendation.slo.metric;
  const head = wide
    ? ['#', 'profile', 'host', 'run', 'provider', 'precision', `${metric} ms`, 'capacity req/s', 'instances', 'USD/h', 'USD per million', 'verdict']
    : ['#', 'profile@host', 'provider', 'precision', `${metric} ms`, 'req/s', 'inst.', 'USD/h', 'USD/M', 'verdict'];
  return {
    head,
    rows: recommendation.candidates.map((candidate) => [
      String(candidate.rank),
      ...(wide ? [candidate.profile, candidate.host, candidate.run] : [`${candidate.profile}@${candidate.host}`]),
      providerCell(candidate),
      candidate.precision,
      num(candidate.latencyMs, 1),
      num(candidate.capacityRps, 2),
      candidate.instances === undefined ? '-' : String(candidate.instances),
      num(candidate.fleetCostPerHour, 3),
      num(candidate.costPerMillion, 2),
      verdict(candidate),
    ]),
  };
}

/** The reason for each place, one numbered line each (too long for a table cell). */
function reasons(recommendation: Recommendation): string[] {
  return recommendation.candidates.map((candidate) => `${candidate.rank}. ${candidate.profile}@${candidate.host}: ${[candidate.reason, ...candidate.notes].join('; ')}`);
}

function title(recommendation: Recommendation): string {
  const parts = [`SLO ${recommendation.slo.text}`, `${recommendation.labels} labels`];
  if (recommendation.qps !== undefined) parts.push(`${recommendation.qps} QPS`);
  if (recommendation.budgetPerHour !== undefined) parts.push(`budget ${recommendation.budgetPerHour.toFixed(3)} USD/h`);
  return `Recommendation: ${parts.join(', ')}`;
}

function answer(recommendation: Recommendation): string {
  const best = recommendation.candidates[0];
  if (best === undefined || !best.passes) return 'No platform meets every requirement; see the reasons below.';
  return `Deploy on ${best.profile} (${best.host}, ${best.precision}, ${best.actualProvider})${best.instances !== undefined && recommendation.qps !== undefined ? ` x ${best.instances}` : ''}.`;
}

function json(recommendation: Recommendation): string {
  return `${JSON.stringify(
    {
      slo: { metric: recommendation.slo.metric, limit_ms: recommendation.slo.limitMs, inclusive: recommendation.slo.inclusive, text: recommendation.slo.text },
      labels: recommendation.labels,
      qps: recommendation.qps ?? null,
      budget_usd_per_hour: round(recommendation.budgetPerHour, 4),
      rules: recommendation.rules,
      warnings: recommendation.warnings,
      ranking: recommendation.candidates.map((candidate) => ({
        rank: candidate.rank,
        profile: candidate.profile,
        host: candidate.host,
        run: candidate.run,
        precision: candidate.precision,
        requested_provider: candidate.requestedProvider,
        actual_provider: candidate.actualProvider,
        fallback: candidate.fallback,
        synthetic: candidate.synthetic,
        latency_ms: round(candidate.latencyMs, 1),
        meets_single_stream: candidate.meetsSingleStream,
        load_curve: candidate.load?.curve ?? null,
        load_capacity_rps: round(candidate.load?.capacityRps, 2),
        capacity_rps: round(candidate.capacityRps, 2),
        capacity_source: candidate.capacity?.kind ?? null,
        instances: candidate.instances ?? null,
        cost_per_hour_usd: round(candidate.costPerHour, 4),
        fleet_cost_per_hour_usd: round(candidate.fleetCostPerHour, 3),
        cost_per_million_usd: round(candidate.costPerMillion, 2),
        passes: candidate.passes,
        failures: candidate.failures,
        notes: candidate.notes,
        reason: candidate.reason,
      })),
    },
    null,
    2,
  )}\n`;
}

export function formatRecommendation(recommendation: Recommendation, format: RecommendFormat, style: Style, options: { wide?: boolean } = {}): string {
  const table = rows(recommendation, format !== 'table' || options.wide === true);
  switch (format) {
    case 'table':
      return wrapText([
        style.bold(title(recommendation)),
        style.bold(answer(recommendation)),
        renderTable(table.head, table.rows, style, options),
        'Why each place:',
        ...reasons(recommendation),
        'Rules:',
        ...recommendation.rules.map((rule) => `- ${rule}`),
        '',
      ].join('\n'));
    case 'markdown':
      return [
        `## ${markdownSafe(title(recommendation))}`,
        '',
        `**${markdownSafe(answer(recommendation))}**`,
        '',
        renderMarkdownTable(table.head, table.rows),
        'Why each place:',
        '',
        ...reasons(recommendation).map(markdownSafe),
        '',
        'Rules:',
        '',
        ...recommendation.rules.map((rule) => `- ${markdownSafe(rule)}`),
        ...(recommendation.warnings.length > 0 ? ['', '**Notes**', '', ...recommendation.warnings.map((warning) => `- ${markdownSafe(warning)}`)] : []),
        '',
      ].join('\n');
    case 'json':
      return json(recommendation);
  }
}
