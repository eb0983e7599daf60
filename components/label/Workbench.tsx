'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { LabelKind, NextTask, Task } from '@/lib/queue/types';
import { api, ApiError } from './api';
import { DemonstrationEditor } from './DemonstrationEditor';
import { GuidelineDrawer } from './GuidelineDrawer';
import { GuidelineGate } from './GuidelineGate';
import { RankingBoard } from './RankingBoard';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { ItemNoteForm, SkipForm } from './TaskActions';
import { usePanelKeys } from './usePanelKeys';

type Panel = 'none' | 'skip' | 'note' | 'guideline' | 'shortcuts';

// Skip and flag only while there is a task to skip or flag.
const TASK_KEYS: Record<string, Panel> = { s: 'skip', f: 'note' };
const NO_KEYS: Record<string, Panel> = {};

/**
 * The labeler's workspace for one project and kind: guideline gate first, then one task after
 * another without a page reload.
 */
export function Workbench({ slug, kind }: { slug: string; kind: LabelKind }) {
  const t = useTranslations('work');
  const [next, setNext] = useState<NextTask | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>('none');
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState(0);

  const load = useCallback(async () => {
    setPanel('none');
    setError(null);
    try {
      setNext(await api<NextTask>(`/api/label/projects/${slug}/next`, { method: 'POST', body: { kind } }));
    } catch (e) {
      setError((e as ApiError).message);
    }
  }, [slug, kind]);

  useEffect(() => {
    void load();
  }, [load]);

  const task: Task | null = next?.status === 'task' ? next.task : null;
  const onSubmitted = useCallback(() => {
    setDone((n) => n + 1);
    setNotice(t('submitted'));
    void load();
  }, [load, t]);

  usePanelKeys<Panel>(panel, setPanel, task ? TASK_KEYS : NO_KEYS);

  const heading = kind === 'DEMONSTRATION' ? t('writeTitle') : t('rankTitle');
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-bold" data-testid="workbench-title">
          {heading}
        </h1>
        {task && <span className="text-sm text-slate-500">{task.project.name}</span>}
        <span className="text-sm text-slate-500" data-testid="done-count">
          {t('doneThisSession', { count: done })}
        </span>
        <div className="ml-auto flex gap-2 text-sm">
          <button type="button" onClick={() => setPanel('guideline')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
            {t('guideline')} <kbd className="text-xs text-slate-500">g</kbd>
          </button>
          {task && (
            <>
              <button type="button" onClick={() => setPanel('note')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                {t('flagItem')} <kbd className="text-xs text-slate-500">f</kbd>
              </button>
              <button type="button" onClick={() => setPanel('skip')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                {t('skip')} <kbd className="text-xs text-slate-500">s</kbd>
              </button>
            </>
          )}
          <button type="button" onClick={() => setPanel('shortcuts')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100" aria-label={t('shortcutsTitle')}>
            ?
          </button>
        </div>
      </div>

      {notice && (
        <p role="status" data-testid="notice" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}

      {task && panel === 'skip' && <SkipForm assignmentId={task.assignmentId} onSkipped={() => void load()} onCancel={() => setPanel('none')} />}
      {task && panel === 'note' && (
        <ItemNoteForm
          assignmentId={task.assignmentId}
          onDone={(saved) => {
            setPanel('none');
            if (saved) setNotice(t('noteSaved'));
          }}
        />
      )}

      {next === null && !error && <p className="text-slate-500">{t('loading')}</p>}
      {next?.status === 'needs_ack' && (
        <GuidelineGate slug={slug} guideline={next.guideline} previous={next.previous} onAcknowledged={() => void load()} />
      )}
      {next?.status === 'empty' && (
        <div className="rounded-xl border border-slate-200 bg-white p-6 text-center" data-testid="queue-empty">
          <p className="font-medium">{t('queueEmpty')}</p>
          <Link href="/label" className="mt-2 inline-block text-sm text-brand-700 underline">
            {t('backToMyWork')}
          </Link>
        </div>
      )}
      {next?.status === 'paused' && <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-800">{t('projectPaused')}</p>}
      {task &&
        (task.kind === 'DEMONSTRATION' ? (
          <DemonstrationEditor key={task.assignmentId} task={task} onDone={onSubmitted} />
        ) : (
          <RankingBoard key={task.assignmentId} task={task} onDone={onSubmitted} />
        ))}

      <GuidelineDrawer slug={slug} open={panel === 'guideline'} onClose={() => setPanel('none')} />
      {panel === 'shortcuts' && <ShortcutsOverlay onClose={() => setPanel('none')} />}
    </div>
  );
}
