/** How many rows a text contributes to a batch and the length its own pairs pad to. */
export interface PaddingShape {
  rows: number;
  sequence: number;
}

/**
 * Splits texts into groups that each run as one padded session.run, so that merging never
 * costs more than `maxOverhead` (0.03 = 3%) extra token positions over running every text on
 * its own. Texts are taken shortest first: a group's padding is set by its newest member.
 * Returns groups of indices into `shapes`, each group in ascending length.
 */
export function groupForPadding(shapes: readonly PaddingShape[], maxOverhead: number): number[][] {
  const order = shapes.map((_, index) => index).sort((a, b) => (shapes[a]?.sequence ?? 0) - (shapes[b]?.sequence ?? 0) || a - b);
  const groups: number[][] = [];
  let current: number[] = [];
  let rows = 0;
  let ownCells = 0;
  for (const index of order) {
    const shape = shapes[index];
    if (shape === undefined) continue;
    const merged = (rows + shape.rows) * shape.sequence;
    const alone = ownCells + shape.rows * shape.sequence;
    if (current.length > 0 && merged > (1 + maxOverhead) * alone) {
      groups.push(current);
      current = [];
      rows = 0;
      ownCells = 0;
    }
    current.push(index);
    rows += shape.rows;
    ownCells += shape.rows * shape.sequence;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
