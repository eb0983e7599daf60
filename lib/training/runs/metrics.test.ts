import { describe, expect, it } from 'vitest';
import { MetricsLog, type ProgressPoint } from './metrics.ts';

const progress = (step: number): ProgressPoint => ({ type: 'progress', step, steps: 10_000, loss: 1 / step, learningRate: 1e-3, tokensPerSecond: 100, etaSeconds: 1 });

describe('the metrics a run keeps', () => {
  it('keeps every progress point of a short run, and every evaluation, in step order', () => {
    const log = new MetricsLog(500);
    log.addEval({ type: 'eval', step: 0, trainLoss: null, loss: 5 });
    for (let step = 1; step <= 4; step++) log.addProgress(progress(step));
    log.addEval({ type: 'eval', step: 4, trainLoss: 0.25, loss: 4 });
    expect(log.series().map((p) => `${p.type}@${p.step}`)).toEqual(['eval@0', 'progress@1', 'progress@2', 'progress@3', 'progress@4', 'eval@4']);
    expect(log.latest()).toEqual({ progress: progress(4), eval: { type: 'eval', step: 4, trainLoss: 0.25, loss: 4 } });
  });

  it('thins a long run’s progress to at most the limit, evenly spread, always ending at the newest step', () => {
    const log = new MetricsLog(100);
    for (let step = 1; step <= 10_001; step++) {
      log.addProgress(progress(step));
      if (step % 1000 === 0) log.addEval({ type: 'eval', step, trainLoss: 1, loss: 1 });
    }
    const series = log.series();
    const points = series.filter((p) => p.type === 'progress');
    expect(points.length).toBeLessThanOrEqual(101);
    expect(points.length).toBeGreaterThan(50);
    expect(points.at(-1)!.step).toBe(10_001);
    const gaps = new Set(points.slice(0, -1).map((p, i) => points[i + 1]!.step - p.step).slice(0, -1));
    expect(gaps.size).toBe(1);
    expect(series.filter((p) => p.type === 'eval')).toHaveLength(10);
    expect(log.latest().progress!.step).toBe(10_001);
  });

  it('has nothing to show before the first line', () => {
    expect(new MetricsLog().series()).toEqual([]);
    expect(new MetricsLog().latest()).toEqual({ progress: null, eval: null });
  });

  it('carries on a curve recorded before a resume, and the steps done again replace their first figures', () => {
    const first = new MetricsLog(500);
    first.addEval({ type: 'eval', step: 0, trainLoss: null, loss: 5 });
    for (let step = 1; step <= 6; step++) first.addProgress(progress(step));
    first.addEval({ type: 'eval', step: 5, trainLoss: 0.2, loss: 4 });
    // The worker died; the last checkpoint was at step 4, so steps 5 and 6 run again.
    const resumed = MetricsLog.from(first.series(), 500);
    const again = { ...progress(5), loss: 0.5 };
    resumed.addProgress(again);
    expect(resumed.series().map((p) => `${p.type}@${p.step}`)).toEqual(['eval@0', 'progress@1', 'progress@2', 'progress@3', 'progress@4', 'progress@5']);
    expect(resumed.latest()).toEqual({ progress: again, eval: { type: 'eval', step: 0, trainLoss: null, loss: 5 } });
  });
});
