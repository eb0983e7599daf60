/**
 * The yardsticks a trained model must beat, computed on the same split in the same run:
 * a unigram model of the assistant tokens (for SFT) and a bag-of-words logistic regression
 * on the difference between the chosen and rejected replies (for reward models).
 */
import type { PreferenceRecord, SftExample } from './data.ts';

/** Held-out NLL per token of an add-one-smoothed unigram model fitted to the training targets. */
export function unigramLoss(train: SftExample[], test: SftExample[], vocabSize: number): { tokens: number; loss: number } {
  const counts = new Float64Array(vocabSize).fill(1);
  let total = vocabSize;
  for (const e of train) for (const i of e.lossRows) {
    counts[e.ids[i + 1]!]! += 1;
    total += 1;
  }
  let nll = 0;
  let tokens = 0;
  for (const e of test) for (const i of e.lossRows) {
    nll -= Math.log(counts[e.ids[i + 1]!]! / total);
    tokens += 1;
  }
  return { tokens, loss: tokens ? nll / tokens : NaN };
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/**
 * P(chosen ≻ rejected) = σ(w · (φ(chosen) − φ(rejected))), φ = word counts (log-scaled), no
 * bias so the model is symmetric in the two replies; L2-regularised, full-batch gradient descent.
 */
export function bagOfWordsAccuracy(train: PreferenceRecord[], test: PreferenceRecord[], { epochs = 200, learningRate = 0.5, l2 = 1e-3 } = {}): { pairs: number; accuracy: number } {
  const vocab = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const r of train) for (const w of new Set([...words(r.chosen), ...words(r.rejected)])) seen.set(w, (seen.get(w) ?? 0) + 1);
  for (const [w, n] of seen) if (n >= 2) vocab.set(w, vocab.size);
  const features = (r: PreferenceRecord) => {
    const diff = new Map<number, number>();
    const add = (text: string, sign: number) => {
      const counts = new Map<number, number>();
      for (const w of words(text)) {
        const id = vocab.get(w);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const [id, n] of counts) diff.set(id, (diff.get(id) ?? 0) + sign * Math.log1p(n));
    };
    add(r.chosen, 1);
    add(r.rejected, -1);
    return [...diff.entries()];
  };
  const xs = train.map(features);
  const w = new Float64Array(vocab.size);
  const score = (x: [number, number][]) => x.reduce((s, [id, v]) => s + w[id]! * v, 0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Float64Array(vocab.size);
    for (const x of xs) {
      const g = -1 / (1 + Math.exp(score(x))); // d/ds of −log σ(s)
      for (const [id, v] of x) grad[id]! += g * v;
    }
    for (let i = 0; i < w.length; i++) w[i]! -= learningRate * (grad[i]! / xs.length + l2 * w[i]!);
  }
  // Scored like the models: a tie (no known word tells the replies apart) counts as half.
  const correct = test.reduce((sum, r) => {
    const s = score(features(r));
    return sum + (s > 0 ? 1 : s === 0 ? 0.5 : 0);
  }, 0);
  return { pairs: test.length, accuracy: test.length ? correct / test.length : NaN };
}
