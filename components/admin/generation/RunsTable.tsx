'use client';

import { useTranslations } from 'next-intl';
import { secondaryButtonClass } from '@/components/admin/exports/fields';
import { RunsSection } from '@/components/admin/RunsSection';
import { RunStatusBadge } from '@/components/admin/RunStatusBadge';
import { Timestamp } from '@/components/ui/Timestamp';
import type { GenerationRunView } from './types';

/** Past runs of this project, newest first; "Show" opens one above, with its failed items. */
export function RunsTable({
  runs,
  shownId,
  onShow,
  onRefresh,
  refreshing,
}: {
  runs: GenerationRunView[];
  shownId: string | null;
  onShow: (id: string) => void;
  onRefresh: () => void;
  refreshing: boolean;
}) {
  const t = useTranslations('generation');
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <RunsSection
      namespace="generation"
      testId="generation-runs"
      isEmpty={runs.length === 0}
      onRefresh={onRefresh}
      refreshing={refreshing}
    >
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('runs.started')}</th>
            <th className={cell}>{t('runs.status')}</th>
            <th className={cell}>{t('runs.done')}</th>
            <th className={cell}>{t('runs.failed')}</th>
            <th className={cell}>{t('runs.finished')}</th>
            <th className={cell}>
              <span className="sr-only">{t('runs.show')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className={`border-t border-slate-100 ${shownId === run.id ? 'bg-brand-50' : ''}`} data-testid={`generation-run-${run.id}`}>
              <td className={`${cell} whitespace-nowrap`}><Timestamp iso={run.createdAt} /></td>
              <td className={cell}>
                <RunStatusBadge status={run.status} namespace="generation" />
              </td>
              <td className={`${cell} tabular-nums`}>{t('runs.doneOf', { done: run.done, total: run.total })}</td>
              <td className={`${cell} tabular-nums`}>{run.failed}</td>
              <td className={`${cell} whitespace-nowrap`}><Timestamp iso={run.finishedAt} /></td>
              <td className={cell}>
                <button type="button" className={`${secondaryButtonClass} px-3 py-1`} onClick={() => onShow(run.id)} disabled={shownId === run.id}>
                  {t('runs.show')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </RunsSection>
  );
}
