import { median, percentile } from '../src/stats/statistics.js';

/** A ratio's centre and spread over rounds: the noisy machine needs both. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p25: percentile(values, 25),
    p75: percentile(values, 75),
  };
}
