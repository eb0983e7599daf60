import { describe, expect, it } from 'vitest';
import { changeCounts, sideBySide } from './side-by-side.ts';

const same = (l: number, r: number, text: string) => ({ kind: 'same', left: { no: l, text }, right: { no: r, text } });

describe('side-by-side guideline diff', () => {
  it('keeps unchanged lines on both sides and pairs a replaced line with its replacement', () => {
    expect(sideBySide('# G\n- Be kind.\n- Be brief.\n', '# G\n- Be kind.\n- Cite sources.\n')).toEqual([
      same(1, 1, '# G'),
      same(2, 2, '- Be kind.'),
      { kind: 'changed', left: { no: 3, text: '- Be brief.' }, right: { no: 3, text: '- Cite sources.' } },
    ]);
  });

  it('puts an added line on the right only, against an empty left cell, and numbers both sides', () => {
    const rows = sideBySide('a\nb\nc', 'a\nb\nnew\nc');
    expect(rows).toEqual([same(1, 1, 'a'), same(2, 2, 'b'), { kind: 'added', left: null, right: { no: 3, text: 'new' } }, same(3, 4, 'c')]);
  });

  it('puts a removed line on the left only', () => {
    expect(sideBySide('a\ngone\nb', 'a\nb')).toEqual([same(1, 1, 'a'), { kind: 'removed', left: { no: 2, text: 'gone' }, right: null }, same(3, 2, 'b')]);
  });

  it('pairs runs of unequal length first with first and leaves the surplus unpaired', () => {
    const rows = sideBySide('keep\nold 1\nold 2\nold 3\nend', 'keep\nnew 1\nend');
    expect(rows.map((row) => [row.kind, row.left?.text ?? null, row.right?.text ?? null])).toEqual([
      ['same', 'keep', 'keep'],
      ['changed', 'old 1', 'new 1'],
      ['removed', 'old 2', null],
      ['removed', 'old 3', null],
      ['same', 'end', 'end'],
    ]);
    const more = sideBySide('x\nold\ny', 'x\nnew 1\nnew 2\ny');
    expect(more.map((row) => row.kind)).toEqual(['same', 'changed', 'added', 'same']);
    expect(more[2]).toEqual({ kind: 'added', left: null, right: { no: 3, text: 'new 2' } });
    expect(more[3]).toEqual(same(3, 4, 'y'));
  });

  it('shows every line of each side exactly once, in order', () => {
    const before = '# T\n\n## Helpful\n- one\n- two\n\n## Harmless\n- three\n';
    const after = '# T\n\n## Helpful\n- one, better\n- two\n- two and a half\n\n## Truthful\n- new\n';
    const rows = sideBySide(before, after);
    expect(rows.flatMap((row) => (row.left ? [row.left.text] : []))).toEqual(before.trimEnd().split('\n'));
    expect(rows.flatMap((row) => (row.right ? [row.right.text] : []))).toEqual(after.trimEnd().split('\n'));
    expect(rows.flatMap((row) => (row.left ? [row.left.no] : []))).toEqual(before.trimEnd().split('\n').map((_, i) => i + 1));
  });

  it('ignores a missing final newline and Windows line endings', () => {
    expect(sideBySide('- Be harmless.', '- Be harmless.\n- Use metric units.\n')).toEqual([
      same(1, 1, '- Be harmless.'),
      { kind: 'added', left: null, right: { no: 2, text: '- Use metric units.' } },
    ]);
    expect(sideBySide('a\r\nb\r\n', 'a\nb')).toEqual([same(1, 1, 'a'), same(2, 2, 'b')]);
  });

  it('handles empty texts and identical texts', () => {
    expect(sideBySide('', '')).toEqual([]);
    expect(sideBySide('', 'a\nb')).toEqual([
      { kind: 'added', left: null, right: { no: 1, text: 'a' } },
      { kind: 'added', left: null, right: { no: 2, text: 'b' } },
    ]);
    expect(sideBySide('a\nb', '')).toEqual([
      { kind: 'removed', left: { no: 1, text: 'a' }, right: null },
      { kind: 'removed', left: { no: 2, text: 'b' }, right: null },
    ]);
    const text = '# Same\n\nbody\n';
    expect(changeCounts(sideBySide(text, text))).toEqual({ removed: 0, added: 0 });
  });

  it('counts removed and added lines, a changed row as both', () => {
    expect(changeCounts(sideBySide('a\nb\nc', 'a\nB\nc\nd'))).toEqual({ removed: 1, added: 2 });
  });

  it('shows two wholly different large texts as replaced instead of stalling', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 20_000 }, (_, i) => `new ${i}`).join('\n');
    const started = Date.now();
    const rows = sideBySide(before, after);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rows).toHaveLength(20_000);
    expect(rows.every((row) => row.kind === 'changed')).toBe(true);
  });
});
