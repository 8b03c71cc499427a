import { INDICATORS, INDICATOR_NAMES, INTERNAL_COUNTS, ROW_SUMS, type IndicatorName } from './metrics.indicators';

/** One figure of an answer before it is shown: its value and whether it must be hidden. */
export interface Cell {
  value: number | null;
  suppressed: boolean;
}

/** The cells of one row, by indicator (and internal count) name. */
export type CellRow = Record<string, Cell>;

/** Counts of 1 to 4 people or records are hidden from analysts (ACCESS.md, small-cell protection). */
export const SMALL_CELL_MAX = 4;

const COUNT_NAMES: string[] = [...INDICATOR_NAMES.filter((name) => INDICATORS[name].kind === 'count'), ...Object.keys(INTERNAL_COUNTS)];
const DERIVED_NAMES = INDICATOR_NAMES.filter((name) => INDICATORS[name].kind !== 'count');

/** A sum shown in the same answer: `total` = Σ `parts` (or ≥, for distinct counts). */
interface Sum {
  total: Cell;
  parts: Cell[];
}

const present = (cell: Cell | undefined): cell is Cell & { value: number } => cell !== undefined && cell.value !== null;

/**
 * Small-cell protection of one answer, in three steps:
 *
 * 1. primary: every count from 1 to SMALL_CELL_MAX is suppressed;
 * 2. complementary: for every sum whose total and parts are all in the answer (each count indicator over the rows
 *    against the total row; the parts of a row-level total such as `childrenPlacedInFamilies`), while exactly one of
 *    its cells is suppressed, the smallest other non-zero cell is suppressed too (a part before the total; a zero
 *    part only when nothing else is left), until no sum has a single hidden cell;
 * 3. derived: a percentage or median is suppressed when a count it is derived from is.
 *
 * `rows` are the grouped rows (`[total]` when the answer is not grouped); `total` is the total row of the answer;
 * `unshown` are groups computed but left out of the answer (a null key, e.g. referrals without a service type):
 * they are hidden parts of the sums over the rows, so that subtraction cannot reveal them either when they are small.
 */
export function suppressSmallCells(rows: CellRow[], total: CellRow, unshown: CellRow[] = []): void {
  const all = rows.includes(total) ? rows : [...rows, total];
  const hiddenCells = new Set<Cell>();
  for (const row of unshown) for (const name of COUNT_NAMES) if (row[name]) hiddenCells.add(row[name]);
  for (const row of [...all, ...unshown]) {
    for (const name of COUNT_NAMES) {
      const cell = row[name];
      if (present(cell) && cell.value >= 1 && cell.value <= SMALL_CELL_MAX) cell.suppressed = true;
    }
  }

  const sums: Sum[] = [];
  const grouped = rows.length > 0 && !rows.includes(total);
  if (grouped) {
    for (const name of COUNT_NAMES) {
      const parts = rows.map((row) => row[name]);
      if (!present(total[name]) || !parts.every(present)) continue;
      sums.push({ total: total[name], parts: [...parts, ...unshown.map((row) => row[name]).filter(present)] });
    }
  }
  for (const row of all) {
    for (const sum of ROW_SUMS) {
      const parts = sum.parts.map((name) => row[name]);
      if (present(row[sum.total]) && parts.every(present)) sums.push({ total: row[sum.total], parts });
    }
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const sum of sums) {
      const hidden = [sum.total, ...sum.parts].filter((cell) => cell.suppressed || hiddenCells.has(cell));
      if (hidden.length !== 1) continue;
      // A group left out of the answer may be worked out by subtraction only when it is small.
      if (hiddenCells.has(hidden[0]) && !hidden[0].suppressed) continue;
      const next = complement(sum, hiddenCells);
      if (next) {
        next.suppressed = true;
        changed = true;
      }
    }
  }

  for (const row of all) {
    for (const name of DERIVED_NAMES) {
      const cell = row[name];
      const sources = (INDICATORS[name as IndicatorName] as { derivedFrom?: readonly string[] }).derivedFrom ?? [];
      if (cell && sources.some((source) => row[source]?.suppressed)) cell.suppressed = true;
    }
  }
}

/** The cell to hide beside a single hidden one: the smallest non-zero part, else the total, else a zero part. */
function complement(sum: Sum, hiddenCells: ReadonlySet<Cell>): Cell | null {
  const open = (cell: Cell) => !cell.suppressed && !hiddenCells.has(cell);
  const nonZeroParts = sum.parts.filter((cell) => open(cell) && (cell.value ?? 0) > 0).sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
  if (nonZeroParts.length) return nonZeroParts[0];
  if (open(sum.total) && (sum.total.value ?? 0) > 0) return sum.total;
  return sum.parts.find(open) ?? (open(sum.total) ? sum.total : null);
}
