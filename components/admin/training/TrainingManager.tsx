'use client';

import { useEffect, useState } from 'react';
import { api } from '@/components/label/api';
import { RunsTable } from './RunsTable';
import { StartForm } from './StartForm';
import { isActive, type ExportChoice, type FormField, type TrainingRunSummaryView } from './types';

const POLL_MS = 3000;

/** The training screen: the start form and the runs, refreshed while any of them is going. */
export function TrainingManager({
  exports,
  baseRuns,
  defaults,
  runs: initialRuns,
}: {
  exports: ExportChoice[];
  baseRuns: TrainingRunSummaryView[];
  defaults: Record<FormField, number>;
  runs: TrainingRunSummaryView[];
}) {
  const [runs, setRuns] = useState(initialRuns);
  const [refreshing, setRefreshing] = useState(false);

  const refresh = async () => {
    setRefreshing(true);
    try {
      setRuns((await api<{ runs: TrainingRunSummaryView[] }>('/api/admin/training')).runs);
    } catch {
      // The list stays as it was; the next refresh tries again.
    }
    setRefreshing(false);
  };

  const anyActive = runs.some((run) => isActive(run.status));
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive]);

  return (
    <div className="space-y-8">
      <StartForm exports={exports} baseRuns={baseRuns} defaults={defaults} />
      <RunsTable runs={runs} onRefresh={() => void refresh()} refreshing={refreshing} />
    </div>
  );
}
