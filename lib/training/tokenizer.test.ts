import { describe, expect, it } from 'vitest';
import { encodeChat, MAX_CHUNK_CHARS, SPECIAL_TOKENS, Tokenizer, trainTokenizer } from './tokenizer.ts';

const CORPUS = [
  'The capital of Australia is Canberra.',
  'The capital of France is Paris, and the capital of Italy is Rome.',
  'I can’t help with that, but here is a safe alternative.',
  '机器学习是让计算机从数据中自动学习规律的方法。机器学习很有用。',
  'def add(a, b):\n    return a + b\n',
  'The the the capital capital 🙂🙂',
];

describe('byte-level BPE tokenizer', () => {
  // Twice over, as in any real corpus every word of these sentences recurs.
  const tokenizer = trainTokenizer([...CORPUS, ...CORPUS], 400);

  it('round-trips any UTF-8 text exactly, Chinese, emoji and markup included', () => {
    const samples = [
      ...CORPUS,
      '',
      '   leading and trailing   ',
      'Mixed 中文 and English, ünïcödé, 🧪🚀, tabs\tand\r\nnewlines',
      '<|user|> is just text here',
      String.fromCodePoint(0x1f600, 0x20, 0x4e2d, 0x6587),
    ];
    for (const text of samples) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('learns merges that shorten text it was trained on, and fills the vocabulary it was given', () => {
    expect(tokenizer.vocabSize).toBeLessThanOrEqual(400);
    expect(tokenizer.merges.length).toBeGreaterThan(20);
    const text = 'The capital of Australia is Canberra.';
    expect(tokenizer.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  it('trains deterministically and survives saving and loading', () => {
    const again = trainTokenizer([...CORPUS, ...CORPUS], 400);
    expect(again.merges).toEqual(tokenizer.merges);
    const loaded = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    expect(loaded.encode('The capital of Italy')).toEqual(tokenizer.encode('The capital of Italy'));
  });

  it('cuts a chunk longer than MAX_CHUNK_CHARS into pieces, so a huge unbroken prompt is encoded piece by piece and round-trips', () => {
    const word = 'capital'.repeat(40_000);
    const ids = tokenizer.encode(word);
    expect(tokenizer.decode(ids)).toBe(word);
    const piece = word.slice(0, MAX_CHUNK_CHARS);
    expect(ids.slice(0, tokenizer.encode(piece).length)).toEqual(tokenizer.encode(piece));
    // Characters outside the BMP are never split in half.
    const emoji = '🙂'.repeat(MAX_CHUNK_CHARS + 3);
    expect(tokenizer.decode(tokenizer.encode(emoji))).toBe(emoji);
  });

  it('never produces a special token from plain text', () => {
    const specials = SPECIAL_TOKENS.map((token) => tokenizer.special(token));
    const ids = tokenizer.encode(SPECIAL_TOKENS.join(' '));
    expect(ids.some((id) => specials.includes(id))).toBe(false);
  });

  it('frames a chat with role tokens and marks only assistant tokens as trainable', () => {
    const { ids, trainable } = encodeChat(tokenizer, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ]);
    expect(ids[0]).toBe(tokenizer.special('<|system|>'));
    expect(ids.at(-1)).toBe(tokenizer.special('<|end|>'));
    const learned = ids.filter((_, i) => trainable[i]);
    expect(tokenizer.decode(learned)).toBe('Paris.');
    expect(learned.at(-1)).toBe(tokenizer.special('<|end|>'));
    expect(tokenizer.decode(ids)).toBe('Be brief.Capital of France?Paris.');
  });

  it('refuses a vocabulary too small for bytes and special tokens', () => {
    expect(() => trainTokenizer(CORPUS, 100)).toThrow(/at least/);
  });
});
