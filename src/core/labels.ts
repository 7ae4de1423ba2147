import { UsageError } from '../base/errors.js';

export const MAX_LABELS = 64;
export const DEFAULT_TEMPLATE = '这是一篇关于{}的新闻。';
export const TEMPLATE_PLACEHOLDER = '{}';

/** Splits a label list on ASCII and full-width commas, as users type them in either script. */
/** `where` names the value in errors: a flag on the CLI, a field in the API. */
export function parseLabelList(value: string, where: string): string[] {
  const labels = value
    .split(/[,，]/)
    .map((label) => label.trim())
    .filter((label) => label.length > 0);
  validateLabels(labels, where);
  return labels;
}

export function validateLabels(labels: readonly string[], where: string): void {
  if (labels.length === 0) {
    throw new UsageError(`${where}: no labels given; expected a comma-separated list such as 体育,财经,科技`);
  }
  if (labels.length > MAX_LABELS) {
    throw new UsageError(`${where}: ${labels.length} labels given; at most ${MAX_LABELS} are allowed`);
  }
  const seen = new Set<string>();
  for (const label of labels) {
    if (label.trim().length === 0) throw new UsageError(`${where}: empty label; every label needs text`);
    if (seen.has(label)) throw new UsageError(`${where}: duplicate label '${label}'; each label may appear once`);
    seen.add(label);
  }
}

export function validateTemplate(template: string, where: string): void {
  if (!template.includes(TEMPLATE_PLACEHOLDER)) {
    throw new UsageError(
      `${where}: template '${template}' has no '${TEMPLATE_PLACEHOLDER}' placeholder for the label; for example ${DEFAULT_TEMPLATE}`,
    );
  }
}

/** Fills the first `{}` only, as the Hugging Face zero-shot pipeline does. */
export function fillTemplate(template: string, label: string): string {
  return template.replace(TEMPLATE_PLACEHOLDER, () => label);
}
