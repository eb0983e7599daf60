/**
 * Byte-level BPE: every UTF-8 byte is a token to begin with, so any text round-trips exactly
 * (Chinese, emoji, broken markup alike); training merges the most frequent adjacent pairs
 * within pre-tokenised chunks until the vocabulary is full. Special tokens frame a chat
 * (system / user / assistant, end of turn) and can never be produced from plain text.
 */

export const SPECIAL_TOKENS = ['<|system|>', '<|user|>', '<|assistant|>', '<|end|>', '<|pad|>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

const BYTE_TOKENS = 256;
const FIRST_SPECIAL = BYTE_TOKENS;
const FIRST_MERGE = BYTE_TOKENS + SPECIAL_TOKENS.length;

// Words with their leading space, numbers, punctuation runs, whitespace (GPT-2-style chunks).
const CHUNK = /'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
// BPE on one chunk costs time quadratic in its length, and anyone may send a prompt (a URL, base64,
// one character a million times): longer chunks are cut into pieces of this many characters.
export const MAX_CHUNK_CHARS = 64;
const PIECE = new RegExp(`[\\s\\S]{1,${MAX_CHUNK_CHARS}}`, 'gu');

/** The text as the chunks BPE works on, none longer than MAX_CHUNK_CHARS characters. */
function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  for (const chunk of text.match(CHUNK) ?? []) {
    if (chunk.length <= MAX_CHUNK_CHARS) chunks.push(chunk);
    else for (const piece of chunk.match(PIECE) ?? []) chunks.push(piece);
  }
  return chunks;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export interface TokenizerJson {
  kind: 'byte-bpe';
  version: 1;
  specials: readonly string[];
  /** Merge i creates token FIRST_MERGE + i from the pair [left, right]. */
  merges: [number, number][];
}

export class Tokenizer {
  private readonly ranks = new Map<string, number>();
  private readonly pieces: Uint8Array[];
  private readonly cache = new Map<string, number[]>();

  constructor(readonly merges: [number, number][]) {
    this.pieces = Array.from({ length: BYTE_TOKENS }, (_, b) => Uint8Array.of(b));
    for (let i = 0; i < SPECIAL_TOKENS.length; i++) this.pieces.push(new Uint8Array());
    merges.forEach(([left, right], i) => {
      this.ranks.set(`${left},${right}`, i);
      const a = this.pieces[left]!;
      const b = this.pieces[right]!;
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a);
      joined.set(b, a.length);
      this.pieces.push(joined);
    });
  }

  get vocabSize(): number {
    return FIRST_MERGE + this.merges.length;
  }

  special(token: SpecialToken): number {
    return FIRST_SPECIAL + SPECIAL_TOKENS.indexOf(token);
  }

  isSpecial(id: number): boolean {
    return id >= FIRST_SPECIAL && id < FIRST_MERGE;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const chunk of chunksOf(text)) for (const id of this.encodeChunk(chunk)) ids.push(id);
    return ids;
  }

  decode(ids: number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      if (this.isSpecial(id)) continue;
      const piece = this.pieces[id];
      if (!piece) throw new Error(`token id ${id} is outside the vocabulary (${this.vocabSize})`);
      for (const b of piece) bytes.push(b);
    }
    return decoder.decode(Uint8Array.from(bytes));
  }

  /** Applies the learned merges to one chunk, lowest rank first (as they were learned). */
  private encodeChunk(chunk: string): number[] {
    const cached = this.cache.get(chunk);
    if (cached) return cached;
    let symbols = Array.from(encoder.encode(chunk));
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = this.ranks.get(`${symbols[i]},${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best === -1) break;
      const merged = FIRST_MERGE + bestRank;
      const [left, right] = this.merges[bestRank]!;
      const next: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === left && symbols[i + 1] === right) {
          next.push(merged);
          i += 1;
        } else next.push(symbols[i]!);
      }
      symbols = next;
    }
    if (this.cache.size < 100_000) this.cache.set(chunk, symbols);
    return symbols;
  }

  toJSON(): TokenizerJson {
    return { kind: 'byte-bpe', version: 1, specials: SPECIAL_TOKENS, merges: this.merges };
  }

  static fromJSON(json: TokenizerJson): Tokenizer {
    if (json.kind !== 'byte-bpe' || json.version !== 1) throw new Error('not a Feedloop byte-level BPE tokenizer (kind/version)');
    if (JSON.stringify(json.specials) !== JSON.stringify(SPECIAL_TOKENS)) throw new Error('the tokenizer was saved with other special tokens');
    return new Tokenizer(json.merges);
  }
}

/**
 * Learns merges from a corpus until the vocabulary has `vocabSize` tokens (or no pair occurs
 * twice). Pair counts are updated incrementally, touching only the words a merge changes.
 */
export function trainTokenizer(texts: Iterable<string>, vocabSize: number): Tokenizer {
  if (vocabSize < FIRST_MERGE) throw new Error(`vocabSize must be at least ${FIRST_MERGE} (bytes + special tokens)`);
  const counts = new Map<string, number>();
  for (const text of texts) for (const chunk of chunksOf(text)) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  const words = [...counts.entries()].map(([chunk, count]) => ({ symbols: Array.from(encoder.encode(chunk)), count }));

  const pairCounts = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const { symbols, count } = words[w]!;
    for (let i = 0; i < symbols.length - 1; i++) {
      const key = `${symbols[i]},${symbols[i + 1]}`;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  words.forEach((_, w) => addPairs(w, 1));

  const merges: [number, number][] = [];
  while (FIRST_MERGE + merges.length < vocabSize) {
    let bestKey = '';
    let bestCount = 1;
    for (const [key, count] of pairCounts) {
      // Ties broken by the key, so that training is deterministic.
      if (count > bestCount || (count === bestCount && count > 1 && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (!bestKey) break;
    const [left, right] = bestKey.split(',').map(Number) as [number, number];
    const token = FIRST_MERGE + merges.length;
    merges.push([left, right]);
    for (const w of pairWords.get(bestKey) ?? []) {
      const word = words[w]!;
      addPairs(w, -1);
      const next: number[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (i < word.symbols.length - 1 && word.symbols[i] === left && word.symbols[i + 1] === right) {
          next.push(token);
          i += 1;
        } else next.push(word.symbols[i]!);
      }
      word.symbols = next;
      addPairs(w, 1);
    }
    pairCounts.delete(bestKey);
    pairWords.delete(bestKey);
  }
  return new Tokenizer(merges);
}

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The chat template: `<|role|> text <|end|>` per turn. `trainable[i]` is true for the tokens
 * the model should learn to produce — assistant text and its end-of-turn — and false for the
 * system and user tokens, which SFT masks out of the loss.
 */
export function encodeChat(tokenizer: Tokenizer, turns: ChatTurn[], { openAssistant = false } = {}): { ids: number[]; trainable: boolean[] } {
  const ids: number[] = [];
  const trainable: boolean[] = [];
  const push = (tokens: number[], learn: boolean) => {
    for (const id of tokens) {
      ids.push(id);
      trainable.push(learn);
    }
  };
  for (const turn of turns) {
    const learn = turn.role === 'assistant';
    push([tokenizer.special(`<|${turn.role}|>` as SpecialToken)], false);
    push(tokenizer.encode(turn.content), learn);
    push([tokenizer.special('<|end|>')], learn);
  }
  // For generation: open an assistant turn for the model to complete.
  if (openAssistant) push([tokenizer.special('<|assistant|>')], false);
  return { ids, trainable };
}
