/**
 * What the user must know about how far to trust a result, worded once for every command and
 * table: synthetic weights (model-notes.ts, per architecture), a provider fallback, a machine
 * that does not match its profile. Each function returns the sentence; the caller adds
 * `note: ` (stderr) or places it in a table. Commands and tables import them from here.
 */
import type { Fallback } from '../core/session.js';

export { syntheticNote, syntheticNoteForId } from './model-notes.js';
export { platformMismatches } from '../profiles/platform.js';

export function fallbackNote(fallback: Fallback): string {
  return `${fallback.from} unavailable (${fallback.reason}); ran on cpu instead, and the results say fallback`;
}
