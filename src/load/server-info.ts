/** What a running `zsc-bench serve` says about itself (/api/info), as the load and web UI CSVs record it. */
import { hostname } from 'node:os';
import { UsageError } from '../base/errors.js';
import type { LoadContext } from './csv.js';

export type ServerFields = Omit<LoadContext, 'toolVersion' | 'timestamp' | 'clientHost' | 'url' | 'sameMachine' | 'durationS' | 'warmupS' | 'timeoutS' | 'labels' | 'dataset' | 'datasetHash'>;

/** Flattens /api/info into the CSV's server columns; refuses anything that is not zsc-bench serve. */
export function serverFields(info: unknown, url: string): ServerFields {
  const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const top = record(info);
  const model = record(top['model']);
  const batching = record(top['batching']);
  const limits = record(top['limits']);
  const fallback = top['fallback'] === null ? undefined : record(top['fallback']);
  if (top['tool'] !== 'zsc-bench' || typeof top['provider'] !== 'string' || typeof batching['enabled'] !== 'boolean') {
    throw new UsageError(`--url: ${url}/api/info does not look like zsc-bench serve (no tool, provider or batching fields)`);
  }
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const number = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
  return {
    // serve no longer tells its host name (/api/info must not leak it): the URL names the server.
    // The server does not tell its name: a loopback URL is this machine, named as run results name it.
    serverHost: text(top['host']) || (LOOPBACK_HOSTS.has(new URL(url).hostname) ? hostname() : new URL(url).hostname.replace(/^\[|\]$/g, '')),
    serverProfile: text(top['profile']),
    serverToolVersion: text(top['toolVersion']),
    modelId: text(model['id']),
    modelSha256: text(model['sha256']),
    precision: text(top['precision']),
    requestedProvider: text(top['requestedProvider']),
    actualProvider: text(top['provider']),
    fallback: fallback !== undefined,
    fallbackReason: text(fallback?.['reason']),
    synthetic: top['synthetic'] === true,
    batching: batching['enabled'] === true ? 'on' : 'off',
    inexactBatching: batching['inexact'] === true,
    maxBatchPairs: number(batching['maxBatchPairs']),
    maxWaitMs: number(batching['maxWaitMs']),
    maxQueue: number(limits['maxQueue']),
  };
}

/** Hosts that always mean this machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The load generator and the server share this machine (and its cores). */
export function sameMachine(serverHost: string, url: URL): boolean {
  return serverHost === hostname() || LOOPBACK_HOSTS.has(url.hostname);
}

/** The server as named in file names: its host name when it tells, else the URL's host. */
export const serverLabel = (serverHost: string, url: URL): string => (serverHost !== '' ? serverHost : url.hostname.replace(/^\[|\]$/g, '')) || 'server';

