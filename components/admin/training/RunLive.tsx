'use client';

import { useFormatter, useNow, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api } from '@/components/label/api';
import { cardClass, secondaryButtonClass } from '@/components/admin/exports/fields';
import { useErrorText } from '@/components/admin/useErrorText';
import { RunStatusBadge } from '@/components/admin/RunStatusBadge';
import { HeldOutChart, TrainLossChart } from './Charts';
import { clock, elapsed, fileUrl, isActive, runUrl, type TrainingMethod, type TrainingRunView } from './types';

const POLL_MS = 2000;

const HELD_OUT_LABEL = { loss: 'heldOutLoss', tokens: 'tokens', accuracy: 'accuracy', meanMargin: 'meanMargin', pairs: 'pairs' } as const;
/** The figures an evaluation of each method reports, in the order they are shown. */
const HELD_OUT_FIGURES: Record<TrainingMethod, readonly (keyof typeof HELD_OUT_LABEL)[]> = { sft: ['loss', 'tokens'], reward: ['accuracy', 'meanMargin', 'pairs'], dpo: ['accuracy', 'meanMargin', 'pairs'] };

/**
 * One run, live: polls its row every 2 s while it is queued or running, and shows the progress
 * bar, the curves, the held-out figures beside the baseline, the checkpoint files and any error.
 */
export function RunLive({ initial }: { initial: TrainingRunView }) {
  const t = useTranslations('training');
  const format = useFormatter();
  const errorText = useErrorText('training');
  const now = useNow({ updateInterval: 1000 }).getTime();
  const [run, setRun] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const active = isActive(run.status);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(async () => {
      try {
        setRun((await api<{ run: TrainingRunView }>(runUrl(run.id))).run);
        setError(null);
      } catch (e) {
        setError(errorText(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
    // errorText is a fresh function every render; the poll depends only on the run and its state.
  }, [active, run.id]);

  const cancel = async () => {
    setCancelling(true);
    setError(null);
    try {
      setRun((await api<{ run: TrainingRunView }>(`${runUrl(run.id)}/cancel`, { method: 'POST' })).run);
    } catch (e) {
      setError(errorText(e));
    }
    setCancelling(false);
  };

  const number = (value: number | null | undefined, digits = 4) => (typeof value === 'number' ? format.number(value, { maximumSignificantDigits: digits }) : '—');
  const figure = (key: string, value: number | null | undefined) =>
    key === 'accuracy' && typeof value === 'number' ? format.number(value, { style: 'percent', maximumFractionDigits: 1 }) : number(value, key === 'pairs' || key === 'tokens' ? 21 : 4);
  const date = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'medium' }) : '—');

  const progress = run.latest.progress;
  const evaluation = run.latest.eval;
  const fraction = progress && progress.steps > 0 ? progress.step / progress.steps : run.status === 'SUCCEEDED' ? 1 : 0;
  const baselineEntry = Object.entries(run.summary?.baseline ?? {}).find(([, value]) => typeof value === 'number') as [string, number] | undefined;
  const term = 'text-xs text-slate-500';

  return (
    <div className="space-y-6" data-testid="training-run" data-status={run.status}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold" data-testid="page-title">
          {t('run.title', { method: t(`methods.${run.method}`) })}
        </h1>
        <RunStatusBadge status={run.status} namespace="training" />
        {active && (
          <button type="button" onClick={() => void cancel()} disabled={cancelling || run.cancelRequested} className={`${secondaryButtonClass} ml-auto`}>
            {run.cancelRequested ? t('run.cancelling') : t('run.cancel')}
          </button>
        )}
      </div>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}

      <section className={cardClass} aria-label={t('run.about')}>
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className={term}>{t('run.export')}</dt>
            <dd>
              {run.export
                ? t('form.exportOption', { project: run.export.project.name, format: run.export.format, rows: run.export.rows, date: date(run.export.createdAt) })
                : '—'}
            </dd>
          </div>
          {run.method !== 'sft' && (
            <div>
              <dt className={term}>{t('run.base')}</dt>
              <dd>
                {run.initRun ? (
                  <Link href={`/admin/training/${run.initRun.id}`} className="text-brand-700 hover:underline">
                    {t(`methods.${run.initRun.method}`)} · {date(run.initRun.createdAt)}
                  </Link>
                ) : (
                  '—'
                )}
              </dd>
            </div>
          )}
          <div>
            <dt className={term}>{t('run.createdBy')}</dt>
            <dd>{run.createdBy?.email ?? t('run.cli')}</dd>
          </div>
          <div>
            <dt className={term}>{t('run.started')}</dt>
            <dd suppressHydrationWarning>{date(run.startedAt)}</dd>
          </div>
          <div>
            <dt className={term}>{t('run.duration')}</dt>
            <dd className="tabular-nums" suppressHydrationWarning>
              {clock(elapsed(run.startedAt, run.finishedAt, now))}
            </dd>
          </div>
          {run.summary && (
            <div>
              <dt className={term}>{t('run.parameters')}</dt>
              <dd className="tabular-nums">{format.number(run.summary.parameters)}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className={`${cardClass} space-y-3`} data-testid="run-progress">
        <p className="text-sm text-slate-700">
          {progress ? t('run.step', { step: progress.step, steps: progress.steps }) : active ? t('run.waiting') : '—'}
        </p>
        <div
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
          role="progressbar"
          aria-label={t('run.progressLabel')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
        >
          <div
            className={`h-full transition-all ${run.status === 'FAILED' ? 'bg-red-500' : run.status === 'CANCELLED' ? 'bg-slate-400' : 'bg-brand-600'}`}
            style={{ width: `${Math.round(fraction * 100)}%` }}
          />
        </div>
        <dl className="grid gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className={term}>{t('run.loss')}</dt>
            <dd className="tabular-nums" data-testid="run-loss">
              {number(progress?.loss)}
            </dd>
          </div>
          <div>
            <dt className={term}>{t('run.tokensPerSecond')}</dt>
            <dd className="tabular-nums">{number(progress?.tokensPerSecond, 3)}</dd>
          </div>
          <div>
            <dt className={term}>{t('run.eta')}</dt>
            <dd className="tabular-nums">{active ? clock(progress?.etaSeconds) : '—'}</dd>
          </div>
          <div>
            <dt className={term}>{t('run.learningRate')}</dt>
            <dd className="tabular-nums">{number(progress?.learningRate, 3)}</dd>
          </div>
        </dl>
      </section>

      <section className={`${cardClass} space-y-2`} data-testid="held-out">
        <h2 className="font-semibold">
          {t('run.heldOut')} {evaluation && <span className="text-sm font-normal text-slate-500">{t('run.atStep', { step: evaluation.step })}</span>}
        </h2>
        <dl className="grid gap-3 text-sm sm:grid-cols-4">
          {HELD_OUT_FIGURES[run.method].map((key) => (
            <div key={key}>
              <dt className={term}>{t(`run.${HELD_OUT_LABEL[key]}`)}</dt>
              <dd className="tabular-nums" data-testid={`held-out-${key}`}>
                {figure(key, evaluation?.[key] as number | null | undefined)}
              </dd>
            </div>
          ))}
          {baselineEntry && (
            <div>
              <dt className={term}>{t.has(`run.baselines.${baselineEntry[0]}`) ? t(`run.baselines.${baselineEntry[0]}`) : baselineEntry[0]}</dt>
              <dd className="tabular-nums" data-testid="baseline">
                {figure(baselineEntry[0] === 'bagOfWordsAccuracy' ? 'accuracy' : 'loss', baselineEntry[1])}
              </dd>
            </div>
          )}
        </dl>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section className={cardClass} data-testid="train-loss-chart">
          <h2 className="mb-2 font-semibold">{t('run.charts.trainLoss')}</h2>
          {run.metrics.some((m) => m.type === 'progress') ? (
            <TrainLossChart metrics={run.metrics} labels={{ loss: t('run.loss'), step: t('run.charts.step') }} />
          ) : (
            <p className="text-sm text-slate-500">{t('run.charts.empty')}</p>
          )}
        </section>
        <section className={cardClass} data-testid="held-out-chart">
          <h2 className="mb-2 font-semibold">{t('run.charts.heldOut')}</h2>
          {run.metrics.some((m) => m.type === 'eval') ? (
            <HeldOutChart
              method={run.method}
              metrics={run.metrics}
              baseline={baselineEntry?.[1] ?? null}
              labels={{ loss: t('run.heldOutLoss'), accuracy: t('run.accuracy'), meanMargin: t('run.meanMargin'), baseline: t('run.baseline'), step: t('run.charts.step') }}
            />
          ) : (
            <p className="text-sm text-slate-500">{t('run.charts.empty')}</p>
          )}
        </section>
      </div>

      {run.status === 'FAILED' && run.error && (
        <section className="rounded-xl border border-red-200 bg-red-50 p-4" data-testid="run-error">
          <h2 className="mb-2 font-semibold text-red-900">{t('run.error')}</h2>
          <pre className="overflow-x-auto text-xs whitespace-pre-wrap text-red-900">{run.error}</pre>
        </section>
      )}
      {run.status === 'CANCELLED' && <p className="text-sm text-slate-600">{t('run.cancelled')}</p>}

      <section className={`${cardClass} space-y-2`} data-testid="checkpoint-files">
        <h2 className="font-semibold">{t('run.files')}</h2>
        <p className="text-xs text-slate-500">{t('run.filesHint')}</p>
        {run.files.length === 0 ? (
          <p className="text-sm text-slate-500">{t('run.noFiles')}</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {run.files.map((file) => (
              <li key={file.name} className="flex flex-wrap items-baseline gap-2">
                <a href={fileUrl(run.id, file.name)} download className="font-medium text-brand-700 hover:underline">
                  {file.name}
                </a>
                <span className="text-xs text-slate-500">{format.number(file.size / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={cardClass}>
        <h2 className="mb-2 font-semibold">{t('run.config')}</h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-4">
          {Object.entries(run.config).map(([key, value]) => (
            <div key={key}>
              <dt className="font-mono text-xs text-slate-500">{key}</dt>
              <dd className="tabular-nums">{number(value, 6)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
