/**
 * Generation from a language-model checkpoint: the prompt is read once, then one token at a
 * time with cached keys and values. Temperature 0 is greedy; otherwise the distribution is
 * sharpened by the temperature, cut to the top-k tokens and then to the smallest set whose
 * probability reaches top-p, and drawn from with a seeded generator, so a seed reproduces.
 */
import { tf } from './backend.ts';
import type { Checkpoint } from './checkpoint.ts';
import { disposeViews, hiddenStates, keptViews, logitsAt, type KvCache } from './model.ts';
import { encodeChat, type ChatTurn } from './tokenizer.ts';

export interface SamplingOptions {
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  /** Generation ends before the first of these strings (which is left out). */
  stop?: string[];
}

/**
 * Asked before every token; true ends generation where it is (finish reason "length", like
 * running out of tokens). Generation is synchronous, so this is how a caller that cannot
 * interrupt the thread — a client gone, a time limit passed — gets it to stop.
 */
export type ShouldStop = () => boolean;

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks the next token from logits under the sampling options. */
export function pickToken(logits: Float32Array, options: Required<Pick<SamplingOptions, 'temperature' | 'topK' | 'topP'>>, random: () => number): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (options.temperature <= 0) return best;
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
  const kept = options.topK > 0 ? order.slice(0, options.topK) : order;
  const max = logits[best]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - max) / options.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let cut = kept.length;
  if (options.topP < 1) {
    let mass = 0;
    for (let i = 0; i < kept.length; i++) {
      mass += weights[i]! / total;
      if (mass >= options.topP) {
        cut = i + 1;
        break;
      }
    }
  }
  const pool = weights.slice(0, cut);
  const poolTotal = pool.reduce((a, b) => a + b, 0);
  let r = random() * poolTotal;
  for (let i = 0; i < cut; i++) {
    r -= pool[i]!;
    if (r <= 0) return kept[i]!;
  }
  return kept[cut - 1]!;
}

export interface Generation {
  text: string;
  tokens: number;
  promptTokens: number;
  finishReason: 'stop' | 'length';
}

/**
 * `onText` receives the reply as it grows, in pieces that never split a UTF-8 character or
 * run into a stop string.
 */
export function generate(model: Checkpoint, prompt: ChatTurn[], options: SamplingOptions = {}, onText?: (delta: string) => void, shouldStop?: ShouldStop): Generation {
  if (model.config.head !== 'lm') throw new Error('this checkpoint is a reward model; sample from an SFT or DPO checkpoint');
  const { maxTokens = 128, temperature = 1, topK = 0, topP = 1, seed = 0, stop = [] } = options;
  const random = seededRandom(seed);
  const end = model.tokenizer.special('<|end|>');
  let ids = encodeChat(model.tokenizer, prompt, { openAssistant: true }).ids;
  const room = model.config.contextLength - 1;
  // The newest part of a long conversation is what the reply depends on most.
  if (ids.length > room) ids = ids.slice(ids.length - room);
  const promptTokens = ids.length;
  const views = keptViews(model.config, model.params);
  const out: number[] = [];
  let cache: KvCache | null = null;
  let finishReason: Generation['finishReason'] = 'length';
  let text = '';
  let sent = 0;
  // Holds back what might still become a stop string or is half a character.
  const flush = (final: boolean) => {
    let ready = text.length;
    if (!final) {
      if (text.endsWith('\uFFFD')) ready = text.length - 1;
      for (const s of stop) for (let k = Math.min(s.length - 1, text.length); k > 0; k--) if (text.endsWith(s.slice(0, k))) ready = Math.min(ready, text.length - k);
    }
    if (ready > sent) {
      onText?.(text.slice(sent, ready));
      sent = ready;
    }
  };
  try {
    let input = ids;
    while (out.length < maxTokens && promptTokens + out.length < model.config.contextLength && !shouldStop?.()) {
      const next: KvCache = [];
      const past: KvCache | null = cache;
      const last = tf.tidy(() => logitsAt(views, hiddenStates(views, input, { past, next }), [input.length - 1]));
      const logits = last.dataSync() as Float32Array;
      last.dispose();
      disposeCache(past);
      cache = next;
      const token = pickToken(logits, { temperature, topK, topP }, random);
      if (token === end) {
        finishReason = 'stop';
        break;
      }
      out.push(token);
      input = [token];
      text = model.tokenizer.decode(out);
      const hit = stop.map((s) => (s ? text.indexOf(s) : -1)).filter((i) => i >= 0);
      if (hit.length) {
        text = text.slice(0, Math.min(...hit));
        finishReason = 'stop';
        break;
      }
      flush(false);
    }
    flush(true);
  } finally {
    disposeCache(cache);
    disposeViews(views);
  }
  return { text, tokens: out.length, promptTokens, finishReason };
}

function disposeCache(cache: KvCache | null): void {
  for (const layer of cache ?? []) for (const { k, v } of layer) tf.dispose([k, v]);
}
