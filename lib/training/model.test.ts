import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorflow, tf } from './backend.ts';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.ts';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import { completion, fitWindow, pairExample, readRecords, sftExample } from './data.ts';
import { evaluateSft, logProbs, pairFigures, rewardMargins, withViews } from './evaluate.ts';
import { hiddenStates, initParams, weightViews, type Params } from './model.ts';
import { dpoLoss, rewardLoss } from './objectives.ts';
import { gatherRows, mm } from './ops.ts';
import { AdamW } from './optimizer.ts';
import { generate, pickToken } from './sample.ts';
import { encodeChat, trainTokenizer, type Tokenizer } from './tokenizer.ts';

let tokenizer: Tokenizer;
const corpus = [
  'The capital of France is Paris.',
  'Water boils at 100 degrees Celsius at sea level.',
  'I cannot help with that request, but here is a safer alternative.',
  '你好，世界！ 🌍 Hello again.',
];

function tinyConfig(head: ModelConfig['head'] = 'lm'): ModelConfig {
  return modelConfigSchema.parse({ vocabSize: tokenizer.vocabSize, contextLength: 64, layers: 2, width: 32, heads: 4, head });
}

beforeAll(async () => {
  await tensorflow();
  tokenizer = trainTokenizer(corpus, 300);
});

describe('2-D building blocks', () => {
  it('mm has the same value and gradients as tfjs matMul', () => {
    const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(mm(x, y))))([a, b]);
    const stock = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))))([a, b]);
    expect(Array.from(mm(a, b).dataSync())).toEqual(Array.from(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D).dataSync()));
    ours.forEach((g, i) => expect(Math.max(...tf.abs(tf.sub(g, stock[i]!)).dataSync())).toBeLessThan(1e-4));
  });

  it('the embedding gradient sums the rows of a repeated token', () => {
    const table = tf.ones([4, 2]);
    const [grad] = tf.grads((t: tf.Tensor) => tf.sum(gatherRows(t, tf.tensor1d([1, 3, 1], 'int32'))))([table]);
    expect(Array.from(grad!.dataSync())).toEqual([0, 0, 2, 2, 0, 0, 1, 1]);
  });
});

describe('SFT data', () => {
  it('puts the loss on exactly the assistant tokens (reply and end of turn), never on system or user tokens', () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Capital of France?' },
      { role: 'assistant' as const, content: 'Paris.' },
      { role: 'user' as const, content: 'And water?' },
      { role: 'assistant' as const, content: 'It boils at 100 degrees.' },
    ];
    const { ids, trainable } = encodeChat(tokenizer, messages);
    const example = sftExample(tokenizer, { messages }, 256)!;
    const targets = example.lossRows.map((i) => i + 1);
    const assistantPositions = trainable.flatMap((t, i) => (t ? [i] : []));
    expect(targets).toEqual(assistantPositions);
    const learned = targets.map((i) => ids[i]!);
    const expected = [
      ...tokenizer.encode('Paris.'),
      tokenizer.special('<|end|>'),
      ...tokenizer.encode('It boils at 100 degrees.'),
      tokenizer.special('<|end|>'),
    ];
    expect(learned).toEqual(expected);
  });

  it('keeps a reply whole (with its end of turn) whenever it fits beside a little prompt, and cuts only a reply too long for that', () => {
    expect(fitWindow(100, 40, 128)).toEqual([0, 100]);
    expect(fitWindow(300, 100, 256)).toEqual([44, 300]);
    expect(fitWindow(300, 60, 256)).toEqual([44, 300]);
    // A 260-token reply cannot fit whole: the prompt (40 < a quarter) stays, the reply's tail goes.
    expect(fitWindow(300, 40, 256)).toEqual([0, 256]);
    // 250 reply tokens + 16 of prompt do not fit in 256: a quarter of the window stays prompt.
    expect(fitWindow(350, 100, 256)).toEqual([36, 292]);
  });

  it('reads conversations whose turns do not alternate (as in HH-RLHF), and names the line and field of a broken one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-data-'));
    try {
      const file = path.join(dir, 'pairs.jsonl');
      const prompt = [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'Capital of France?' },
      ];
      fs.writeFileSync(file, `${JSON.stringify({ prompt, chosen: [{ role: 'assistant', content: 'Paris.' }], rejected: [{ role: 'assistant', content: 'No.' }] })}\n`);
      expect(await readRecords(file, 'preference')).toEqual([{ prompt, chosen: 'Paris.', rejected: 'No.' }]);
      fs.appendFileSync(file, `${JSON.stringify({ prompt: [{ role: 'user', content: 'x' }, { role: 'system', content: 'late' }], chosen: [], rejected: [] })}\n`);
      await expect(readRecords(file, 'preference')).rejects.toThrow(/pairs\.jsonl:2: prompt\[1\]\.role: a system message may only come first/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts a long prompt from the left and keeps the whole reply', () => {
    const prompt = [{ role: 'user' as const, content: 'Paris '.repeat(200) }];
    const c = completion(tokenizer, prompt, 'Paris is the capital.', 32);
    expect(c.ids.length).toBe(32);
    const reply = [...tokenizer.encode('Paris is the capital.'), tokenizer.special('<|end|>')];
    expect(c.ids.slice(-reply.length)).toEqual(reply);
    expect(c.lossRows.map((i) => c.ids[i + 1])).toEqual(reply);
  });
});

describe('reward model', { timeout: 60_000 }, () => {
  it('one optimiser step on a hand-made pair raises r(chosen) − r(rejected)', () => {
    const config = tinyConfig('reward');
    const params = new Map([...initParams(config, 7)].map(([k, v]) => [k, tf.variable(v, true, `rm-test/${k}`)]));
    const pair = pairExample(tokenizer, { prompt: [{ role: 'user', content: 'Capital of France?' }], chosen: 'The capital of France is Paris.', rejected: 'I cannot help with that request.' }, 64);
    const margin = () => withViews(config, params, (views) => rewardMargins(views, [pair])[0]!);
    const before = margin();
    const optimizer = new AdamW(params, { weightDecay: 0, gradClip: 1 });
    const { grads } = tf.variableGrads(() => rewardLoss(weightViews(config, params), [pair]), [...params.values()]);
    const named = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name.replace('rm-test/', ''), g]));
    optimizer.apply(named, 1e-2);
    expect(margin()).toBeGreaterThan(before);
  });
});

describe('pair figures', () => {
  it('count a tie as half right, so an untrained model reads 0.5, not 0', () => {
    expect(pairFigures([0, 0, 0, 0])).toEqual({ pairs: 4, accuracy: 0.5, meanMargin: 0 });
    expect(pairFigures([1, -1, 0.5, 0])).toEqual({ pairs: 4, accuracy: 0.625, meanMargin: 0.125 });
  });
});

describe('DPO', () => {
  it('has loss log 2 at step 0, when the policy is the reference', () => {
    const config = tinyConfig();
    const params = initParams(config, 3);
    const pairs = [
      pairExample(tokenizer, { prompt: [{ role: 'user', content: 'Capital of France?' }], chosen: 'Paris.', rejected: 'I cannot help.' }, 64),
      pairExample(tokenizer, { prompt: [{ role: 'user', content: 'Boiling point?' }], chosen: '100 degrees Celsius.', rejected: 'Hello again.' }, 64),
    ];
    const reference = withViews(config, params, (views) => logProbs(views, pairs));
    const loss = tf.tidy(() => dpoLoss(weightViews(config, params), pairs, reference, { beta: 0.1, nllWeight: 0 }).dataSync()[0]!);
    expect(loss).toBeCloseTo(Math.log(2), 5);
  });
});

describe('sampling', { timeout: 60_000 }, () => {
  const model = (): Checkpoint => ({ config: tinyConfig(), tokenizer, params: initParams(tinyConfig(), 11), training: null });
  const prompt = [{ role: 'user' as const, content: 'Capital of France?' }];

  it('at temperature 0 always takes the most likely token', () => {
    const logits = Float32Array.from([0.1, 2.5, 2.4, -1]);
    for (let i = 0; i < 20; i++) expect(pickToken(logits, { temperature: 0, topK: 0, topP: 1 }, Math.random)).toBe(1);
    const m = model();
    expect(generate(m, prompt, { temperature: 0, maxTokens: 12 }).text).toBe(generate(m, prompt, { temperature: 0, maxTokens: 12, seed: 99 }).text);
  });

  it('reproduces a sample with the same seed, and top-k 1 is greedy', () => {
    const m = model();
    const a = generate(m, prompt, { temperature: 1.5, topP: 0.95, maxTokens: 16, seed: 42 });
    const b = generate(m, prompt, { temperature: 1.5, topP: 0.95, maxTokens: 16, seed: 42 });
    expect(b).toEqual(a);
    expect(generate(m, prompt, { temperature: 1, topK: 1, maxTokens: 12, seed: 5 }).text).toBe(generate(m, prompt, { temperature: 0, maxTokens: 12 }).text);
  });

  it('streams the reply in pieces that add up to it, and ends before a stop string', () => {
    const m = model();
    const pieces: string[] = [];
    const whole = generate(m, prompt, { temperature: 1, maxTokens: 24, seed: 8 }, (delta) => pieces.push(delta));
    expect(pieces.join('')).toBe(whole.text);
    expect(pieces.every((p) => !p.includes('\uFFFD') || whole.text.includes('\uFFFD'))).toBe(true);
    const stopAt = whole.text.slice(3, 5);
    const streamed: string[] = [];
    const cut = generate(m, prompt, { temperature: 1, maxTokens: 24, seed: 8, stop: [stopAt] }, (delta) => streamed.push(delta));
    expect(cut.text).toBe(whole.text.slice(0, whole.text.indexOf(stopAt)));
    expect(cut.finishReason).toBe('stop');
    expect(streamed.join('')).toBe(cut.text);
  });

  it('top-p keeps only the smallest set of tokens reaching p', () => {
    const logits = Float32Array.from([Math.log(0.6), Math.log(0.3), Math.log(0.1)]);
    const seen = new Set<number>();
    let r = 0;
    for (let i = 0; i < 200; i++) seen.add(pickToken(logits, { temperature: 1, topK: 0, topP: 0.85 }, () => (r = (r + 0.137) % 1)));
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('with cached keys and values gives the logits of a full forward pass', () => {
    const m = model();
    const ids = encodeChat(tokenizer, prompt, { openAssistant: true }).ids;
    const full = withViews(m.config, m.params, (views) => evaluateSft(views, [{ ids, lossRows: ids.slice(0, -1).map((_, i) => i) }]));
    expect(Number.isFinite(full.loss)).toBe(true);
    const greedy = generate(m, prompt, { temperature: 0, maxTokens: 6 });
    // Re-deriving each greedy token with a fresh full forward pass gives the same tokens.
    let context = [...ids];
    const tokens: number[] = [];
    for (let i = 0; i < greedy.tokens; i++) {
      const next = tf.tidy(() => {
        const views = weightViews(m.config, m.params);
        const logits = tf.matMul(
          tf.slice(hiddenStates(views, context), [context.length - 1, 0], [1, m.config.width]) as tf.Tensor2D,
          views.wteT!,
        );
        return logits.argMax(1).dataSync()[0]!;
      });
      tokens.push(next);
      context = [...context, next];
    }
    expect(tokenizer.decode(tokens)).toBe(greedy.text);
  });
});

describe('checkpoints', () => {
  it('saved and loaded, give identical outputs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-ckpt-'));
    try {
      const config = tinyConfig();
      const params: Params = initParams(config, 21);
      // Inside the temporary folder: a checkpoint keeps its saves next to it, in <name>.saves.
      saveCheckpoint(path.join(dir, 'model'), { config, tokenizer, params, training: null });
      const loaded = loadCheckpoint(path.join(dir, 'model'));
      expect(loaded.config).toEqual(config);
      expect(loaded.tokenizer.toJSON()).toEqual(tokenizer.toJSON());
      const prompt = [{ role: 'user' as const, content: 'Boiling point of water?' }];
      const before = generate({ config, tokenizer, params, training: null }, prompt, { temperature: 0.8, maxTokens: 20, seed: 3 });
      const after = generate(loaded, prompt, { temperature: 0.8, maxTokens: 20, seed: 3 });
      expect(after).toEqual(before);
      for (const [name, value] of params) expect(Array.from(loaded.params.get(name)!.dataSync())).toEqual(Array.from(value.dataSync()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
