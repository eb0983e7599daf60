'use client';

import { useFormatter, useNow, useTranslations } from 'next-intl';
import Link from 'next/link';
import { RunsSection } from '@/components/admin/RunsSection';
import { RunStatusBadge } from '@/components/admin/RunStatusBadge';
import { Timestamp } from '@/components/ui/Timestamp';
import { clock, elapsed, headlineFigure, type TrainingRunSummaryView } from './types';

/** Past and current runs, newest first: what, on which export, how far, the latest held-out figure, and how long. */
export function RunsTable({ runs, onRefresh, refreshing }: { runs: TrainingRunSummaryView[]; onRefresh: () => void; refreshing: boolean }) {
  const t = useTranslations('training');
  const format = useFormatter();
  // Re-renders running durations every few seconds.
  const now = useNow({ updateInterval: 5000 }).getTime();
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <RunsSection
      namespace="training"
      testId="training-runs"
      isEmpty={runs.length === 0}
      onRefresh={onRefresh}
      refreshing={refreshing}
    >
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('runs.method')}</th>
            <th className={cell}>{t('runs.export')}</th>
            <th className={cell}>{t('runs.status')}</th>
            <th className={cell}>{t('runs.progress')}</th>
            <th className={cell}>{t('runs.heldOut')}</th>
            <th className={cell}>{t('runs.started')}</th>
            <th className={cell}>{t('runs.duration')}</th>
            <th className={cell}>
              <span className="sr-only">{t('runs.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const progress = run.latest.progress;
            const figure = headlineFigure(run.method, run.latest.eval);
            return (
              <tr key={run.id} className="border-t border-slate-100" data-testid={`training-run-${run.id}`}>
                <td className={cell}>{t(`methods.${run.method}`)}</td>
                <td className={cell}>
                  {run.export ? (
                    <>
                      <span className="block">{run.export.project.name}</span>
                      <span className="font-mono text-xs">{run.export.format}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className={cell}>
                  <RunStatusBadge status={run.status} namespace="training" />
                </td>
                <td className={`${cell} tabular-nums`}>{progress ? t('runs.step', { step: progress.step, steps: progress.steps }) : t('runs.notStarted')}</td>
                <td className={`${cell} tabular-nums`}>
                  {figure
                    ? t(`figures.${figure.key}`, {
                        value: figure.key === 'accuracy' ? format.number(figure.value, { style: 'percent', maximumFractionDigits: 1 }) : format.number(figure.value, { maximumFractionDigits: 3 }),
                      })
                    : '—'}
                </td>
                <td className={`${cell} whitespace-nowrap`}>
                  <Timestamp iso={run.startedAt} />
                </td>
                <td className={`${cell} tabular-nums`} suppressHydrationWarning>
                  {clock(elapsed(run.startedAt, run.finishedAt, now))}
                </td>
                <td className={cell}>
                  <Link href={`/admin/training/${run.id}`} className="font-medium text-brand-700 hover:underline">
                    {t('runs.open')}
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </RunsSection>
  );
}
