import { describe, expect, it } from 'vitest';
import { parseTrainerLine } from './lines.ts';

describe('the trainer’s JSON lines', () => {
  it('reads progress, evaluation and result lines', () => {
    expect(parseTrainerLine('{"type":"progress","step":1,"steps":4,"loss":5.6,"learningRate":0.00005,"tokensPerSecond":188.5,"etaSeconds":0.47}')).toEqual({
      type: 'progress',
      step: 1,
      steps: 4,
      loss: 5.6,
      learningRate: 0.00005,
      tokensPerSecond: 188.5,
      etaSeconds: 0.47,
    });
    expect(parseTrainerLine('{"type":"eval","step":0,"trainLoss":null,"pairs":3,"accuracy":0.66,"meanMargin":0.01}')).toEqual({ type: 'eval', step: 0, trainLoss: null, pairs: 3, accuracy: 0.66, meanMargin: 0.01 });
    const result = parseTrainerLine('{"type":"result","method":"sft","out":"/x","step":4,"finished":true,"parameters":8144,"baseline":{"unigramLoss":4.36},"eval":{"step":4,"trainLoss":5.6,"tokens":29,"loss":5.6}}');
    expect(result).toMatchObject({ type: 'result', finished: true, baseline: { unigramLoss: 4.36 } });
  });

  it('passes over anything else: log text, broken JSON, unknown or malformed messages', () => {
    for (const line of ['', 'sft: 9 training examples', '{"type":"progress"', '{"type":"other"}', '[1,2]', '{"type":"eval","step":"0","trainLoss":null}', '{"type":"eval","step":1,"trainLoss":null,"note":"text"}']) {
      expect(parseTrainerLine(line), line).toBeNull();
    }
  });

  it('accepts a figure JSON wrote as null (NaN or Infinity)', () => {
    expect(parseTrainerLine('{"type":"eval","step":2,"trainLoss":1.5,"tokens":0,"loss":null}')).toMatchObject({ loss: null });
  });
});
