/**
 * The fixed-decimal formatter of numeric CSV columns (result, load and A/B CSVs) and compare's
 * rounded figures. Lists packed into one cell and terminal text (format/text.ts) round their own way. It lives in base, not format, because the CSV writers (schema, runner, load, compare)
 * sit below format in the layers and may not import it.
 */

/** A number with `digits` decimals; empty for a missing or non-finite value (never 'NaN'). */
export const fixed =
  (digits: number) =>
  (value: number | undefined): string =>
    value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
