import type { RunStatus } from '@/lib/generated/prisma/enums';
import type { EvalPoint, TrainingMethod } from '@/lib/training/runs';

export type { ExportChoice, EvalPoint, MetricPoint, ProgressPoint, TrainingMethod, TrainingRunSummaryView, TrainingRunView } from '@/lib/training/runs';

export const METHODS: readonly TrainingMethod[] = ['sft', 'reward', 'dpo'];

/** The hyper-parameters the form offers, model shape first; `beta` only for DPO. */
export const SHAPE_FIELDS = ['layers', 'width', 'heads', 'contextLength', 'vocabSize'] as const;
export const SCHEDULE_FIELDS = ['steps', 'batchSize', 'learningRate', 'beta', 'evalEvery', 'checkpointEvery'] as const;
export type FormField = (typeof SHAPE_FIELDS)[number] | (typeof SCHEDULE_FIELDS)[number];

export const isActive = (status: RunStatus) => status === 'QUEUED' || status === 'RUNNING';

export const runUrl = (id: string) => `/api/admin/training/${encodeURIComponent(id)}`;
export const fileUrl = (id: string, name: string) => `${runUrl(id)}/files/${encodeURIComponent(name)}`;

/** The one held-out figure a list shows: loss for SFT, pairwise accuracy for reward models and DPO. */
export function headlineFigure(method: TrainingMethod, evaluation: EvalPoint | null): { key: 'loss' | 'accuracy'; value: number } | null {
  const key = method === 'sft' ? 'loss' : 'accuracy';
  const value = evaluation?.[key];
  return typeof value === 'number' ? { key, value } : null;
}

/** `m:ss` or `h:mm:ss`: the same in every language. */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** Seconds from start to finish, or to now while the run goes on. */
export function elapsed(startedAt: string | null, finishedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  return ((finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt)) / 1000;
}
