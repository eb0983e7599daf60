'use client';

import { useState } from 'react';
import { api } from '@/components/label/api';
import { ExportForm } from './ExportForm';
import { RunsTable } from './RunsTable';
import { TokensPanel } from './TokensPanel';
import type { ExportRunView, ProjectChoice, TokenView } from './types';

/** The exports screen: the form (with preview and run), past runs, and API tokens. */
export function ExportsManager({ projects, runs: initialRuns, tokens }: { projects: ProjectChoice[]; runs: ExportRunView[]; tokens: TokenView[] }) {
  const [project, setProject] = useState(projects.find((p) => p.slug === 'demo')?.slug ?? projects[0]?.slug ?? '');
  const [runs, setRuns] = useState(initialRuns);
  const [refreshing, setRefreshing] = useState(false);

  const refresh = async () => {
    setRefreshing(true);
    try {
      setRuns((await api<{ runs: ExportRunView[] }>('/api/admin/exports')).runs);
    } catch {
      // The list stays as it was; the next refresh tries again.
    }
    setRefreshing(false);
  };

  return (
    <div className="space-y-8">
      <ExportForm projects={projects} project={project} onProjectChange={setProject} onFinished={() => void refresh()} />
      <RunsTable runs={runs} onRefresh={() => void refresh()} refreshing={refreshing} />
      <TokensPanel initialTokens={tokens} project={project} />
    </div>
  );
}
