import { describe, expect, it } from 'vitest';
import { guidelineDiff } from './diff.ts';

describe('guideline diff', () => {
  it('marks added and removed lines and keeps the rest', () => {
    const diff = guidelineDiff('# G\n- Be kind.\n- Be brief.', '# G\n- Be kind.\n- Cite sources.');
    expect(diff).toEqual([
      { kind: 'same', text: '# G' },
      { kind: 'same', text: '- Be kind.' },
      { kind: 'removed', text: '- Be brief.' },
      { kind: 'added', text: '- Cite sources.' },
    ]);
  });

  it('shows a line appended to a body without a final newline as the only change', () => {
    const diff = guidelineDiff('- Be harmless.', '- Be harmless.\n- Use metric units.');
    expect(diff.filter((line) => line.kind !== 'same')).toEqual([{ kind: 'added', text: '- Use metric units.' }]);
  });
});
