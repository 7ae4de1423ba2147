import type { ProfileSummary } from '../profiles/profile.js';
import type { Style } from './style.js';
import { displayWidth, wrapText } from './text.js';

/** Widest line of `profiles list`: descriptions are cut to fit (`profiles show NAME` has them whole). */
const LINE_WIDTH = 100;

/** Cuts text to `width` terminal columns, ending in … when cut. */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  for (const char of text) {
    if (displayWidth(kept + char) > width - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/** `profiles list`: a header, base first (the defaults), what each extends, runs on and at. */
export function formatProfileList(profiles: readonly ProfileSummary[], style: Style): string {
  const head = ['name', 'extends', 'providers', 'precision', 'description'];
  const rows = profiles.map((profile) => [profile.name, profile.extends ?? '-', profile.providers, profile.precision, profile.description]);
  const widths = head.slice(0, -1).map((title, index) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[index] ?? ''))));
  const line = (cells: readonly string[]) => {
    const fixed = cells.slice(0, -1).map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ');
    return `${fixed}  ${fitWidth(cells[cells.length - 1] ?? '', Math.max(20, LINE_WIDTH - fixed.length - 2))}`;
  };
  return wrapText(`${[style.bold(line(head)), ...rows.map(line)].join('\n')}\n(profiles show NAME prints a profile whole, after inheritance; README "Profile fields" explains each field)\n`);
}
