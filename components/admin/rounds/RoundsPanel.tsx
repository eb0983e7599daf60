'use client';

import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { RunStatusBadge } from '@/components/admin/RunStatusBadge';
import type { RoundExportChoice, RoundRun, RoundView } from '@/lib/rounds/rounds';
import { GenerateWithRoundModel } from './GenerateWithRoundModel';
import { StartRoundForm } from './StartRoundForm';

const cell = 'px-2 py-2 align-top';

/** A run as a link to its page, with its status unless it finished. */
function RunLink({ run, children }: { run: RoundRun; children: React.ReactNode }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Link href={`/admin/training/${run.id}`} className="text-brand-700 hover:underline">
        {children}
      </Link>
      {run.status !== 'SUCCEEDED' && <RunStatusBadge status={run.status} namespace="training" />}
    </span>
  );
}

/** The project's rounds of the loop, round over round, and the form that starts the next one. */
export function RoundsPanel({ slug, rounds, exports }: { slug: string; rounds: RoundView[]; exports: RoundExportChoice[] }) {
  const t = useTranslations('rounds');
  const format = useFormatter();
  const percent = (value: number | null) => (value === null ? '—' : format.number(value, { style: 'percent', maximumFractionDigits: 1 }));
  const decimal = (value: number | null) => (value === null ? '—' : format.number(value, { maximumFractionDigits: 3 }));
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4" data-testid="rounds" aria-labelledby="rounds-title">
      <h2 id="rounds-title" className="font-semibold">
        {t('title')}
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('intro')}</p>
      {rounds.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500" data-testid="rounds-empty">
          {t('empty')}
        </p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className={cell}>{t('columns.round')}</th>
                <th className={cell}>{t('columns.pairs')}</th>
                <th className={cell}>{t('columns.reward')}</th>
                <th className={cell}>{t('columns.dpo')}</th>
                <th className={cell}>{t('columns.model')}</th>
                <th className={cell}>{t('columns.candidates')}</th>
                <th className={cell}>{t('columns.winRate')}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((round) => (
                <tr key={round.id} className="border-t border-slate-100" data-testid={`round-${round.number}`}>
                  <td className={cell}>
                    <div className="font-medium">{t('roundNumber', { number: round.number })}</div>
                    <div className="text-xs text-slate-500">{format.dateTime(new Date(round.createdAt), { dateStyle: 'medium' })}</div>
                  </td>
                  <td className={cell} data-testid="round-pairs">
                    <div>{format.number(round.export.rows)}</div>
                    <div className="text-xs text-slate-500">{t('exportOf', { date: format.dateTime(new Date(round.export.createdAt), { dateStyle: 'medium', timeStyle: 'short' }), format: round.export.format })}</div>
                  </td>
                  <td className={cell} data-testid="round-reward">
                    {round.reward ? (
                      <RunLink run={round.reward}>
                        {percent(round.reward.accuracy)}
                      </RunLink>
                    ) : (
                      <span className="text-slate-400">{t('notTrained')}</span>
                    )}
                    {round.reward?.pairs != null && <div className="text-xs text-slate-500">{t('heldOutPairs', { count: round.reward.pairs })}</div>}
                  </td>
                  <td className={cell} data-testid="round-dpo">
                    {round.dpo ? (
                      <RunLink run={round.dpo}>{decimal(round.dpo.meanMargin)}</RunLink>
                    ) : (
                      <span className="text-slate-400">{t('notTrained')}</span>
                    )}
                    {round.dpo?.accuracy != null && <div className="text-xs text-slate-500">{t('dpoAccuracy', { value: percent(round.dpo.accuracy) })}</div>}
                  </td>
                  <td className={cell} data-testid="round-model">
                    {round.model ? (
                      <>
                        <RunLink run={round.model}>
                          <span className="font-mono text-xs">{round.model.id}</span>
                        </RunLink>
                        <div className="text-xs text-slate-500">{t(`kinds.${round.model.kind}`)}</div>
                        <GenerateWithRoundModel slug={slug} roundId={round.id} />
                      </>
                    ) : (
                      <span className="text-slate-400">{t('noModel')}</span>
                    )}
                  </td>
                  <td className={cell} data-testid="round-candidates">
                    {t('candidates', { written: round.candidates.written, ranked: round.candidates.ranked })}
                  </td>
                  <td className={cell} data-testid="round-win-rate">
                    {round.winRate.rate === null ? (
                      <span className="text-slate-400">{t('noComparisons')}</span>
                    ) : (
                      <>
                        <div className="font-medium">{percent(round.winRate.rate)}</div>
                        <div className="text-xs text-slate-500">{t('comparisons', { count: round.winRate.comparisons, wins: round.winRate.wins, ties: round.winRate.ties, losses: round.winRate.losses })}</div>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <StartRoundForm slug={slug} exports={exports} next={(rounds.at(-1)?.number ?? 0) + 1} />
    </section>
  );
}
