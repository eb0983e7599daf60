'use client';

import { useEffect, useState } from 'react';
import { api } from '@/components/label/api';
import { useErrorText } from '@/components/admin/useErrorText';
import { GenerateForm } from './GenerateForm';
import { RunProgress } from './RunProgress';
import { RunsTable } from './RunsTable';
import { isRunning, runsUrl, runUrl, type EndpointChoice, type GenerationRunView, type ItemRef } from './types';

const POLL_MS = 1000;

type Shown = { run: GenerationRunView; items: ItemRef[] };

/**
 * The generate screen: the form, the run it started (polled every second while it goes on)
 * and the project's past runs. A run still going when the page opens is picked up again.
 */
export function GenerationManager({
  slug,
  endpoints,
  counts,
  maxN,
  preselected,
  runs: initialRuns,
}: {
  slug: string;
  endpoints: EndpointChoice[];
  counts: { all: number; unranked: number };
  maxN: number;
  preselected?: string;
  runs: GenerationRunView[];
}) {
  const errorText = useErrorText('generation');
  const [runs, setRuns] = useState(initialRuns);
  const [shown, setShown] = useState<Shown | null>(initialRuns[0] && isRunning(initialRuns[0].status) ? { run: initialRuns[0], items: [] } : null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  const show = (next: Shown) => {
    setShown(next);
    setRuns((list) => [next.run, ...list.filter((run) => run.id !== next.run.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  };
  /** Fetches a run with its failed items; a late answer for a run no longer followed is dropped. */
  const load = async (id: string, stale: () => boolean = () => false) => {
    try {
      const next = await api<Shown>(runUrl(slug, id));
      if (stale()) return;
      show(next);
      setError(null);
    } catch (e) {
      if (!stale()) setError(errorText(e));
    }
  };

  const cancel = async (id: string) => {
    try {
      await api(`${runUrl(slug, id)}/cancel`, { method: 'POST' });
      await load(id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const refresh = async () => {
    setRefreshing(true);
    try {
      setRuns((await api<{ runs: GenerationRunView[] }>(runsUrl(slug))).runs);
    } catch {
      // The list stays as it was; the next refresh tries again.
    }
    setRefreshing(false);
  };

  const shownId = shown?.run.id ?? null;
  const running = shown !== null && isRunning(shown.run.status);
  useEffect(() => {
    if (!running || !shownId) return;
    // One request at a time: the next poll is scheduled when the previous answer is in.
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      await load(shownId, () => stopped);
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // load and errorText are fresh functions every render; the poll depends only on the run and its state.
  }, [running, shownId]);

  return (
    <div className="space-y-8">
      <GenerateForm
        slug={slug}
        preselected={preselected}
        endpoints={endpoints}
        counts={counts}
        maxN={maxN}
        onStarted={(run) => {
          setError(null);
          show({ run, items: [] });
        }}
      />
      {shown && <RunProgress slug={slug} run={shown.run} items={shown.items} error={error} onCancel={() => cancel(shown.run.id)} />}
      <RunsTable runs={runs} shownId={shownId} onShow={(id) => void load(id)} onRefresh={() => void refresh()} refreshing={refreshing} />
    </div>
  );
}
