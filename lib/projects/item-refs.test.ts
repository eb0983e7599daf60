import { describe, expect, it } from 'vitest';
import { promptExcerpt } from './item-refs.ts';

describe('naming an item by its prompt', () => {
  it('takes the last user turn, on one line', () => {
    const messages = [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'An answer' },
      { role: 'user', content: '  How fast\nshould I   go?  ' },
    ];
    expect(promptExcerpt(messages)).toBe('How fast should I go?');
  });

  it('cuts long prompts with an ellipsis, within the limit', () => {
    const excerpt = promptExcerpt([{ role: 'user', content: 'word '.repeat(50) }], 20);
    expect(excerpt.length).toBeLessThanOrEqual(20);
    expect(excerpt.endsWith('…')).toBe(true);
  });

  it('gives an empty string for messages it cannot read', () => {
    expect(promptExcerpt(null)).toBe('');
    expect(promptExcerpt([{ role: 'assistant', content: 'only me' }])).toBe('');
    expect(promptExcerpt('text')).toBe('');
  });
});
