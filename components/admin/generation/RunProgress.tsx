'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { cardClass, secondaryButtonClass } from '@/components/admin/exports/fields';
import { RunStatusBadge } from '@/components/admin/RunStatusBadge';
import { FailuresList } from './FailuresList';
import { isRunning, type GenerationRunView, type ItemRef } from './types';

/** One run: waiting for a worker, how far it got (answered and failed items of the total) and, once it ended, what failed and why. */
export function RunProgress({
  slug,
  run,
  items,
  error,
  onCancel,
}: {
  slug: string;
  run: GenerationRunView;
  items: ItemRef[];
  error: string | null;
  onCancel: () => Promise<void>;
}) {
  const t = useTranslations('generation');
  const [cancelling, setCancelling] = useState(false);
  const running = isRunning(run.status);
  const processed = run.done + run.failed;
  const percent = run.total > 0 ? Math.round((processed / run.total) * 100) : running ? 0 : 100;
  return (
    <section className={`${cardClass} space-y-3`} data-testid="generation-run" data-status={run.status} aria-labelledby="generation-run-title">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="generation-run-title" className="text-lg font-semibold">
          {t('run.title')}
        </h2>
        <RunStatusBadge status={run.status} namespace="generation" />
        {running && !run.cancelRequested && (
          <button
            type="button"
            className={`${secondaryButtonClass} ml-auto`}
            disabled={cancelling}
            onClick={() => {
              setCancelling(true);
              void onCancel().finally(() => setCancelling(false));
            }}
          >
            {cancelling ? t('run.cancelling') : t('run.cancel')}
          </button>
        )}
      </div>
      <div
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={t('run.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        {/* Answered and failed items side by side, so the bar fills as the run gets through them. */}
        <div className="flex h-full transition-all" style={{ width: `${percent}%` }}>
          <div className="h-full bg-brand-600" style={{ flexGrow: run.done || (run.failed === 0 ? 1 : 0) }} />
          <div className="h-full bg-red-500" style={{ flexGrow: run.failed }} />
        </div>
      </div>
      <p className="text-sm text-slate-700 tabular-nums" data-testid="run-counts">
        {t('run.counts', { processed, total: run.total, done: run.done, failed: run.failed })}
      </p>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      {run.status === 'QUEUED' && !run.cancelRequested && (
        <p className="text-sm text-slate-600" data-testid="run-queued">
          {t('run.queued')}
        </p>
      )}
      {run.cancelRequested && <p className="text-sm text-slate-600">{t('run.stopRequested')}</p>}
      {run.error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="run-error">
          {t('run.error', { error: run.error })}
        </p>
      )}
      {run.status === 'CANCELLED' && <p className="text-sm text-slate-600">{t('run.cancelled')}</p>}
      {!running && run.total === 0 && <p className="text-sm text-slate-600">{t('run.nothingToDo')}</p>}
      {!running && run.failures.length > 0 && (
        <div className="space-y-2">
          <h3 className="font-semibold text-red-900">{t('failures.title', { count: run.failures.length })}</h3>
          <FailuresList slug={slug} failures={run.failures} items={items} />
        </div>
      )}
      {!running && run.total > 0 && (
        <p className="text-sm text-slate-600" data-testid="rerun-note">
          {run.failures.length > 0 ? t('run.rerunFills') : t('run.rerunNothing')}
        </p>
      )}
    </section>
  );
}
