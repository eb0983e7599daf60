/**
 * The curves a run keeps in its row. A long run prints a progress line every step; keeping
 * them all would grow the row without bound, so progress points are kept on a stride that
 * doubles whenever there are more than `maxPoints` of them (evenly spread over the whole run
 * at any moment), while every held-out evaluation and the newest progress line are kept.
 */
import type { EvalLine, ProgressLine } from './lines.ts';

export type ProgressPoint = ProgressLine;
export type EvalPoint = EvalLine;
export type MetricPoint = ProgressPoint | EvalPoint;

/** The newest of each, for lists and progress bars. */
export interface LatestFigures {
  progress: ProgressPoint | null;
  eval: EvalPoint | null;
}

export const MAX_PROGRESS_POINTS = 500;

export class MetricsLog {
  private points: ProgressPoint[] = [];
  private evals: EvalPoint[] = [];
  private stride = 1;
  private last: ProgressPoint | null = null;

  constructor(private readonly maxPoints = MAX_PROGRESS_POINTS) {}

  /** Carries on a curve recorded before (a run resumed by another worker). */
  static from(points: MetricPoint[], maxPoints = MAX_PROGRESS_POINTS): MetricsLog {
    const log = new MetricsLog(maxPoints);
    for (const point of points) {
      if (point.type === 'progress') log.addProgress(point);
      else log.addEval(point);
    }
    return log;
  }

  addProgress(point: ProgressPoint): void {
    // A resumed run does again the steps after its last checkpoint: their first figures give way.
    if (this.last && point.step <= this.last.step) {
      this.points = this.points.filter((p) => p.step < point.step);
      this.evals = this.evals.filter((e) => e.step < point.step);
    }
    this.last = point;
    if (point.step % this.stride !== 0) return;
    this.points.push(point);
    while (this.points.length > this.maxPoints) {
      this.stride *= 2;
      this.points = this.points.filter((p) => p.step % this.stride === 0);
    }
  }

  addEval(point: EvalPoint): void {
    this.evals.push(point);
  }

  latest(): LatestFigures {
    return { progress: this.last, eval: this.evals.at(-1) ?? null };
  }

  /** Every kept point by step, progress before the evaluation of the same step; the curve always ends at the newest step. */
  series(): MetricPoint[] {
    const progress = this.last && this.points.at(-1) !== this.last ? [...this.points, this.last] : this.points;
    return [...progress, ...this.evals].sort((a, b) => a.step - b.step || (a.type === b.type ? 0 : a.type === 'progress' ? -1 : 1));
  }
}
