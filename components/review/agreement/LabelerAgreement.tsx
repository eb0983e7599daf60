import { getTranslations } from 'next-intl/server';
import type { ProjectAgreement } from '@/lib/metrics/project-agreement';
import { Figure } from './Figure';

const cell = 'px-3 py-2 text-left';

/**
 * Per-labeler figures (agreement with the others, gold accuracy, volume, median time) and the
 * project's gold accuracy, for the reviewers' agreement panel and, `compact`, the admin dashboard.
 */
export async function LabelerAgreement({ report, compact = false }: { report: Pick<ProjectAgreement, 'perLabeler' | 'gold'>; compact?: boolean }) {
  const t = await getTranslations('agreement');
  const hint = t('notEnoughData');
  const duration = (ms: number | null) => {
    if (ms === null) return t('empty');
    const seconds = Math.round(ms / 1000);
    return seconds < 90 ? t('labelers.seconds', { value: seconds }) : t('labelers.minutes', { value: Math.round(seconds / 60) });
  };

  if (report.perLabeler.length === 0) return <p className="text-sm text-slate-500">{t('labelers.empty')}</p>;
  return (
    <div className="overflow-x-auto">
      <p className="mb-2 text-sm text-slate-600" data-testid="gold-accuracy">
        {report.gold.total === 0 ? (
          t('labelers.noGold')
        ) : (
          <>
            {t('labelers.goldOverall')} <Figure value={report.gold.accuracy} hint={hint} size="small" digits={2} />{' '}
            <span className="text-xs text-slate-500">({t('labelers.goldCount', { correct: report.gold.correct, total: report.gold.total })})</span>
          </>
        )}
      </p>
      <table className="w-full text-sm" data-testid="agreement-labelers">
        <thead className="text-slate-500">
          <tr>
            <th className={cell}>{t('labelers.name')}</th>
            <th className={cell}>{t('labelers.agreement')}</th>
            {!compact && <th className={cell}>{t('labelers.pairs')}</th>}
            <th className={cell}>{t('labelers.gold')}</th>
            <th className={cell}>{t('labelers.rankings')}</th>
            <th className={cell}>{t('labelers.medianTime')}</th>
          </tr>
        </thead>
        <tbody>
          {report.perLabeler.map((row) => (
            <tr key={row.userId} className="border-t border-slate-100" data-testid={`labeler-${row.email}`}>
              <td className={cell} title={row.email}>
                {row.name || row.email}
              </td>
              <td className={cell}>
                <Figure value={row.agreement} hint={hint} size="small" />
              </td>
              {!compact && <td className={cell}>{row.pairs}</td>}
              <td className={cell}>
                <Figure value={row.gold.accuracy} hint={hint} size="small" digits={2} />
                {row.gold.total > 0 && (
                  <span className="ml-1 text-xs text-slate-500">({t('labelers.goldCount', { correct: row.gold.correct, total: row.gold.total })})</span>
                )}
              </td>
              <td className={cell}>{row.rankings}</td>
              <td className={cell}>{duration(row.medianTimeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
