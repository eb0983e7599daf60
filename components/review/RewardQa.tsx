'use client';

import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { api, type ApiError } from '@/components/label/api';
import type { DisagreementRow, RewardQaReport, RewardRunChoice } from '@/lib/review/reward-qa';
import type { ScoringView } from '@/lib/review/reward-scoring';
import { InvalidateRanking } from './InvalidateRanking';

const POLL_MS = 1500;
const active = (scoring: ScoringView | null) => scoring?.status === 'QUEUED' || scoring?.status === 'RUNNING';

/**
 * Pick a reward model, have the worker score the project's ranked candidates it has not scored
 * yet (following its progress), and look at the worst disagreements.
 */
export function RewardQa({ slug, runs }: { slug: string; runs: RewardRunChoice[] }) {
  const t = useTranslations('rewardQa');
  const format = useFormatter();
  const [runId, setRunId] = useState(runs[0]!.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<RewardQaReport | null>(null);
  const [invalidated, setInvalidated] = useState<Set<string>>(new Set());
  const [scoring, setScoring] = useState<ScoringView | null>(null);
  // Polling stops when the reviewer leaves the page.
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const selected = runs.find((run) => run.id === runId) ?? runs[0]!;

  const find = async () => {
    const url = `/api/review/projects/${encodeURIComponent(slug)}/reward-qa`;
    const read = () => api<RewardQaReport>(`${url}?${new URLSearchParams({ runId })}`);
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      let current = await read();
      if (current.unscored > 0 || active(current.scoring)) {
        // The candidates without a reward yet are scored by the worker; the page follows it.
        let job = active(current.scoring) ? current.scoring! : (await api<{ scoring: ScoringView }>(url, { method: 'POST', body: { runId } })).scoring;
        setScoring(job);
        while (active(job) && mounted.current) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          current = await read();
          job = current.scoring ?? job;
          setScoring(job);
        }
        if (job.status === 'FAILED') setError(t('scoringFailed', { reason: job.error ?? '' }));
        if (job.status === 'CANCELLED') setError(t('scoringStopped'));
      }
      setReport(current);
      setInvalidated(new Set());
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const stopScoring = async () => {
    if (!scoring) return;
    try {
      const { scoring: stopped } = await api<{ scoring: ScoringView }>(`/api/review/projects/${encodeURIComponent(slug)}/reward-qa/scoring/${encodeURIComponent(scoring.id)}/cancel`, { method: 'POST' });
      setScoring(stopped);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <div className="mt-6 space-y-4">
      <div className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
        <label className="block text-sm">
          <span className="font-medium">{t('model')}</span>
          <select
            value={runId}
            onChange={(e) => setRunId(e.target.value)}
            disabled={busy}
            data-testid="reward-run"
            className="mt-1 block rounded-md border border-slate-300 px-2 py-1"
          >
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                {run.accuracy === null ? t('modelOptionUnknown', { date: date(run.createdAt) }) : t('modelOption', { date: date(run.createdAt), accuracy: run.accuracy })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void find()}
          disabled={busy}
          aria-busy={busy}
          data-testid="find-disagreements"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {busy ? t('finding') : t('find')}
        </button>
        <p className="text-xs text-slate-500" data-testid="reward-run-figures">
          {selected.accuracy === null ? t('accuracyUnknown') : t('accuracy', { accuracy: selected.accuracy, pairs: selected.heldOutPairs ?? 0 })}
          {selected.baselineAccuracy !== null && ` · ${t('baseline', { accuracy: selected.baselineAccuracy })}`}
        </p>
      </div>
      <p className="text-sm text-slate-600">{t('help')}</p>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}

      {busy && scoring && active(scoring) && (
        <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="scoring-progress">
          <div className="flex flex-wrap items-center gap-3">
            <p>{scoring.total === 0 ? t('scoringQueued') : t('scoring', { done: scoring.done, total: scoring.total })}</p>
            {!scoring.cancelRequested && (
              <button type="button" onClick={() => void stopScoring()} data-testid="stop-scoring" className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100">
                {t('stopScoring')}
              </button>
            )}
          </div>
          <div
            role="progressbar"
            aria-label={t('scoringLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={scoring.total === 0 ? 0 : Math.round((100 * scoring.done) / scoring.total)}
            className="mt-2 h-2 overflow-hidden rounded bg-slate-100"
          >
            <div className="h-full bg-brand-600" style={{ width: `${scoring.total === 0 ? 0 : (100 * scoring.done) / scoring.total}%` }} />
          </div>
        </div>
      )}

      {report && (
        <section data-testid="reward-qa-results">
          <p className="mb-3 text-sm text-slate-600" data-testid="reward-qa-summary">
            {t('summary', { rankings: report.rankingsScored, found: report.disagreements.length })}
          </p>
          {report.disagreements.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="reward-qa-none">
              {t('none')}
            </p>
          ) : (
            <ol className="space-y-3">
              {report.disagreements.map((row) => (
                <Disagreement key={row.rankingId} row={row} invalid={invalidated.has(row.rankingId)} onInvalidated={() => setInvalidated((s) => new Set(s).add(row.rankingId))} date={date} />
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}

function Disagreement({ row, invalid, onInvalidated, date }: { row: DisagreementRow; invalid: boolean; onInvalidated: () => void; date: (iso: string) => string }) {
  const t = useTranslations('rewardQa');
  const format = useFormatter();
  const reward = (value: number) => format.number(value, { maximumFractionDigits: 3 });
  return (
    <li className={`rounded-xl border bg-white p-4 text-sm ${invalid ? 'border-red-300 opacity-80' : 'border-slate-200'}`} data-testid="disagreement" data-ranking={row.rankingId}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="rounded bg-red-100 px-2 py-0.5 font-mono text-red-900" data-testid="margin" title={t('marginHelp')}>
          {t('margin', { margin: reward(row.margin) })}
        </span>
        <span data-testid="labeler">{t('rankedBy', { name: row.labeler.name, email: row.labeler.email, date: row.rankedAt ? date(row.rankedAt) : '' })}</span>
        <Link href={row.href} className="ml-auto text-brand-700 underline hover:no-underline" data-testid="open-item">
          {t('open')}
        </Link>
      </div>
      <p className="mt-2 text-xs font-semibold uppercase text-slate-500">{t('prompt')}</p>
      <p className="whitespace-pre-wrap" data-testid="prompt">
        {row.prompt || <span className="text-slate-400">{t('noPrompt')}</span>}
      </p>
      <div className="mt-3 grid gap-3 md:grid-cols-2">
        <div className="rounded-lg bg-slate-50 p-3" data-testid="labeler-preferred">
          <p className="text-xs font-semibold uppercase text-slate-500">
            {t('labelerPreferred')} · {t('reward', { value: reward(row.labelerPreferred.reward) })}
          </p>
          <p className="mt-1 line-clamp-6 whitespace-pre-wrap">{row.labelerPreferred.text}</p>
        </div>
        <div className="rounded-lg bg-amber-50 p-3" data-testid="model-preferred">
          <p className="text-xs font-semibold uppercase text-slate-500">
            {t('modelPreferred')} · {t('reward', { value: reward(row.modelPreferred.reward) })}
          </p>
          <p className="mt-1 line-clamp-6 whitespace-pre-wrap">{row.modelPreferred.text}</p>
        </div>
      </div>
      <div className="mt-3">
        {invalid ? (
          <p className="text-red-800" data-testid="row-invalidated">
            {t('invalidated')}
          </p>
        ) : row.own ? (
          <p className="text-xs text-slate-500">{t('own')}</p>
        ) : (
          <InvalidateRanking rankingId={row.rankingId} onInvalidated={onInvalidated} />
        )}
      </div>
    </li>
  );
}
