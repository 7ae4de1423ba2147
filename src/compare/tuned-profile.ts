/**
 * The profile file `tune` writes: it `extends` the starting profile and holds only the fields
 * the winner changed, each with what was measured for it in `"tuned"` (the screening gain where
 * the field changed, and the A/B proof). Pure: the command writes it.
 */
import type { AbComparison } from './ab.js';
import { changedFields, DIMENSION_OF_FIELD, type TuneSettings } from './tune.js';
import type { Tried } from './tune-run.js';

export interface TunedProfileInput {
  /** What `extends` says: the bundled name, or the path relative to the written file. */
  extendsRef: string;
  name: string;
  startName: string;
  /** The profile the proof compared the winner with: the start, or the first setting that met the constraints. */
  versus: string;
  host: string;
  date: string;
  start: TuneSettings;
  winner: TuneSettings;
  tried: readonly Tried[];
  proof: readonly AbComparison[];
  proofItems: number;
  /** Why the winner was adopted whatever the proof said (the start broke a constraint). */
  adoptedFor: string | undefined;
}

const ratioText = (comparison: AbComparison): string => `${comparison.labels} labels ${comparison.ratio.toFixed(3)}x (95% ${comparison.interval[0].toFixed(3)}-${comparison.interval[1].toFixed(3)})`;

export function tunedProfileDocument(input: TunedProfileInput): Record<string, unknown> {
  const fields = changedFields(input.start, input.winner);
  const notes: Record<string, string> = {};
  for (const field of Object.keys(fields)) {
    const key = field as keyof TuneSettings;
    // The screening where this field took its final value: the last adopted candidate that set it.
    const adopted = [...input.tried].reverse().find((entry) => entry.role === 'candidate' && entry.dimension === DIMENSION_OF_FIELD[key] && entry.verdict.startsWith('ADOPTED') && entry.screening.settings[key] === input.winner[key]);
    notes[field] = adopted === undefined ? 'changed with another field' : `screening (${adopted.dimension}): ${adopted.verdict.replace(/^ADOPTED: /, '')}; peak ${(adopted.screening.peakRssBytes / 2 ** 20).toFixed(0)} MiB; flips ${adopted.screening.flipPercent.toFixed(1)}%`;
  }
  notes['proof'] = `A/B against ${input.versus} on ${input.host} ${input.date} (mean latency, tuned/${input.versus}, ${input.proofItems} items per pass): ${input.proof.map(ratioText).join('; ')}${input.adoptedFor !== undefined ? `; adopted because ${input.adoptedFor}` : ''}`;
  return {
    extends: input.extendsRef,
    name: input.name,
    description: `${input.startName} tuned by zsc-bench tune on ${input.host} (${input.date}): only the fields that changed; "tuned" says what each gained`,
    ...fields,
    tuned: notes,
  };
}
