import { diffLines } from 'diff';

/** One line on one side of a side-by-side view, with its 1-based line number in that text. */
export interface SideLine {
  no: number;
  text: string;
}

/**
 * One row of a side-by-side diff:
 * - `same`: an unchanged line, on both sides;
 * - `changed`: a removed line (left) paired with the added line that replaced it (right);
 * - `removed`: a line only on the left; `added`: a line only on the right.
 */
export type SideBySideRow =
  | { kind: 'same'; left: SideLine; right: SideLine }
  | { kind: 'changed'; left: SideLine; right: SideLine }
  | { kind: 'removed'; left: SideLine; right: null }
  | { kind: 'added'; left: null; right: SideLine };

// Beyond this many edited lines the line diff gives up (after about a second in the worst case)
// and the bodies are shown as wholly replaced, so two unrelated 100,000-character bodies cannot
// stall a request. A real revision of a guideline changes far fewer lines.
const MAX_EDIT_LENGTH = 2_000;

function lines(value: string): string[] {
  if (value === '') return [];
  const text = value.endsWith('\n') ? value.slice(0, -1) : value;
  return text.split('\n');
}

/**
 * Pairs the line changes from `before` to `after` for a two-column view: unchanged lines on
 * both sides, each run of removed lines beside the run of added lines that replaced it (first
 * with first, second with second), and the surplus of the longer run against an empty cell.
 * Every row keeps both texts' line numbers, so the columns stay aligned however long the runs.
 */
export function sideBySide(before: string, after: string): SideBySideRow[] {
  const normalise = (text: string) => text.replace(/\r\n?/g, '\n');
  const oldText = normalise(before);
  const newText = normalise(after);
  const parts = diffLines(oldText, newText, { ignoreNewlineAtEof: true, maxEditLength: MAX_EDIT_LENGTH }) ?? [
    { value: oldText, removed: true, added: false, count: 0 },
    { value: newText, added: true, removed: false, count: 0 },
  ];

  const rows: SideBySideRow[] = [];
  let leftNo = 0;
  let rightNo = 0;
  let removed: string[] = [];
  let added: string[] = [];

  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i++) {
      rows.push({ kind: 'changed', left: { no: ++leftNo, text: removed[i]! }, right: { no: ++rightNo, text: added[i]! } });
    }
    for (const text of removed.slice(paired)) rows.push({ kind: 'removed', left: { no: ++leftNo, text }, right: null });
    for (const text of added.slice(paired)) rows.push({ kind: 'added', left: null, right: { no: ++rightNo, text } });
    removed = [];
    added = [];
  };

  for (const part of parts) {
    if (part.removed) removed.push(...lines(part.value));
    else if (part.added) added.push(...lines(part.value));
    else {
      flush();
      for (const text of lines(part.value)) rows.push({ kind: 'same', left: { no: ++leftNo, text }, right: { no: ++rightNo, text } });
    }
  }
  flush();
  return rows;
}

/** How many lines a side-by-side view shows as removed and as added (a changed row counts as both). */
export function changeCounts(rows: SideBySideRow[]): { removed: number; added: number } {
  let removed = 0;
  let added = 0;
  for (const row of rows) {
    if (row.kind === 'changed' || row.kind === 'removed') removed++;
    if (row.kind === 'changed' || row.kind === 'added') added++;
  }
  return { removed, added };
}
