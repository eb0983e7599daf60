import { diffLines } from 'diff';

export type DiffLine = { kind: 'added' | 'removed' | 'same'; text: string };

/** Line-by-line changes from one guideline body to the next, for "what changed" views. */
export function guidelineDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  // A body typed into a form rarely ends with a newline; appending a line must not mark the
  // old last line as changed.
  for (const part of diffLines(before, after, { ignoreNewlineAtEof: true })) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    for (const line of text.split('\n')) lines.push({ kind, text: line });
  }
  return lines;
}
