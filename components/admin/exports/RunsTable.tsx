'use client';

import { useTranslations } from 'next-intl';
import { RunsSection } from '@/components/admin/RunsSection';
import { Timestamp } from '@/components/ui/Timestamp';
import { fileUrl, type ExportRunView } from './types';

const STATUS_STYLE: Record<string, string> = {
  SUCCEEDED: 'bg-emerald-100 text-emerald-800',
  FAILED: 'bg-red-100 text-red-800',
  RUNNING: 'bg-amber-100 text-amber-800',
};

/** Past exports, newest first, with a download link and the sha256 of every file. */
export function RunsTable({ runs, onRefresh, refreshing }: { runs: ExportRunView[]; onRefresh: () => void; refreshing: boolean }) {
  const t = useTranslations('exports');
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <RunsSection
      namespace="exports"
      testId="export-runs"
      isEmpty={runs.length === 0}
      onRefresh={onRefresh}
      refreshing={refreshing}
    >
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('runs.when')}</th>
            <th className={cell}>{t('runs.project')}</th>
            <th className={cell}>{t('runs.what')}</th>
            <th className={cell}>{t('runs.status')}</th>
            <th className={cell}>{t('runs.rows')}</th>
            <th className={cell}>{t('runs.guidelines')}</th>
            <th className={cell}>{t('runs.by')}</th>
            <th className={cell}>{t('runs.files')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100" data-testid={`export-run-${run.id}`}>
              <td className={`${cell} whitespace-nowrap`}>
                <Timestamp iso={run.createdAt} />
              </td>
              <td className={cell}>{run.project.name}</td>
              <td className={cell}>
                <span className="block">{t(`form.kinds.${run.kind === 'SFT' ? 'sft' : 'preference'}`)}</span>
                <span className="font-mono text-xs">
                  {run.format}
                  {run.mode ? ` · ${run.mode}` : ''}
                </span>
                {run.testFraction > 0 && (
                  <span className="block text-xs text-slate-500">{t('runs.split', { fraction: run.testFraction, seed: run.seed })}</span>
                )}
              </td>
              <td className={cell}>
                <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_STYLE[run.status] ?? 'bg-slate-100 text-slate-700'}`} title={run.error ?? undefined}>
                  {t.has(`runs.statuses.${run.status}`) ? t(`runs.statuses.${run.status}`) : run.status}
                </span>
              </td>
              <td className={`${cell} tabular-nums`}>{run.rows}</td>
              <td className={cell}>{run.guidelineVersions.map((v) => `v${v}`).join(', ') || '—'}</td>
              <td className={cell}>{run.createdBy?.email ?? t('runs.cli')}</td>
              <td className={cell}>
                {run.status === 'SUCCEEDED' && run.downloads.length === 0 ? (
                  <span className="text-xs text-slate-500">{t('runs.notHere')}</span>
                ) : (
                  <ul className="space-y-1">
                    {run.downloads.map((name) => {
                      const file = run.files.find((f) => f.name === name);
                      return (
                        <li key={name}>
                          <a href={fileUrl(run.id, name)} download className="font-medium text-brand-700 hover:underline">
                            {name}
                          </a>
                          {file && <code className="block break-all text-[11px] text-slate-500">{file.sha256}</code>}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </RunsSection>
  );
}
