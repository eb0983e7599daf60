'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '@/components/label/api';
import { Conversation } from '@/components/label/Conversation';
import { isTextEntry } from '@/components/label/keyboard';
import { Markdown } from '@/components/ui/Markdown';
import type { Turn } from '@/lib/queue/types';
import type { NextReview, ReviewTask, VerdictResult } from '@/lib/review/types';
import { uuidV4 } from '@/lib/uuid';
import { usePanelKeys } from '@/components/label/usePanelKeys';
import { ReviewShortcuts } from './ReviewShortcuts';

type Verdict = 'APPROVE' | 'REJECT' | 'REVISE';
type Panel = 'none' | 'guideline' | 'shortcuts';

// A reply more than half of which was pasted is pointed out to the reviewer.
const PASTE_HEAVY = 0.5;

/** The reviewer's workspace for one project: one reply after another without a page reload. */
export function ReviewWorkbench({ slug }: { slug: string }) {
  const t = useTranslations('reviewing');
  const [next, setNext] = useState<NextReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState(0);
  const [panel, setPanel] = useState<Panel>('none');

  const load = useCallback(async () => {
    setPanel('none');
    setError(null);
    try {
      setNext(await api<NextReview>(`/api/review/projects/${slug}/next`, { method: 'POST' }));
    } catch (e) {
      setError((e as ApiError).message);
    }
  }, [slug]);

  useEffect(() => {
    void load();
  }, [load]);

  const onDone = useCallback(() => {
    setDone((n) => n + 1);
    setNotice(t('saved'));
    void load();
  }, [load, t]);

  usePanelKeys<Panel>(panel, setPanel);

  const task = next?.status === 'task' ? next.task : null;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-bold" data-testid="workbench-title">
          {t('workbenchTitle')}
        </h1>
        {task && <span className="text-sm text-slate-500">{task.project.name}</span>}
        <span className="text-sm text-slate-500" data-testid="done-count">
          {t('doneThisSession', { count: done })}
        </span>
        <div className="ml-auto flex gap-2 text-sm">
          {task && (
            <Link href={`/review/items/${task.item.id}`} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100" data-testid="item-rankings-link">
              {t('itemRankings')}
            </Link>
          )}
          {task?.guideline && (
            <button type="button" onClick={() => setPanel('guideline')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
              {t('guideline')} <kbd className="text-xs text-slate-500">g</kbd>
            </button>
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
      {next === null && !error && <p className="text-slate-500">{t('loading')}</p>}
      {next?.status === 'empty' && (
        <div className="rounded-xl border border-slate-200 bg-white p-6 text-center" data-testid="queue-empty">
          <p className="font-medium">{t('queueEmpty')}</p>
          <Link href="/review" className="mt-2 inline-block text-sm text-brand-700 underline">
            {t('backToReview')}
          </Link>
        </div>
      )}
      {task && <ReviewPanel key={task.assignmentId} task={task} onDone={onDone} onNext={() => void load()} onGuideline={() => setPanel('guideline')} />}

      {task?.guideline && panel === 'guideline' && (
        <div className="fixed inset-0 z-40 flex justify-end bg-slate-900/20" onClick={() => setPanel('none')}>
          <aside
            role="dialog"
            aria-label={t('guideline')}
            data-testid="guideline-drawer"
            onClick={(e) => e.stopPropagation()}
            className="h-full w-full max-w-xl overflow-y-auto bg-white p-5 shadow-xl"
          >
            <div className="mb-3 flex items-center">
              <h2 className="text-lg font-semibold">{`${task.guideline.title} (v${task.guideline.version})`}</h2>
              <button type="button" onClick={() => setPanel('none')} className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-sm">
                {t('close')} <kbd className="text-xs">Esc</kbd>
              </button>
            </div>
            <Markdown text={task.guideline.body} />
          </aside>
        </div>
      )}
      {panel === 'shortcuts' && <ReviewShortcuts onClose={() => setPanel('none')} />}
    </div>
  );
}

function ReviewPanel({ task, onDone, onNext, onGuideline }: { task: ReviewTask; onDone: () => void; onNext: () => void; onGuideline: () => void }) {
  const t = useTranslations('reviewing');
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [edited, setEdited] = useState<Turn[]>(() => task.demonstration.messages.map((m) => ({ ...m })));
  const [editedRefusal, setEditedRefusal] = useState(task.demonstration.isRefusal);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [clientKey] = useState(uuidV4);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);

  // Bumped on every choice, so that choosing the same verdict again focuses its field again.
  const [focusTick, setFocusTick] = useState(0);
  const choose = useCallback((value: Verdict) => {
    setVerdict(value);
    setError(null);
    setFocusTick((n) => n + 1);
  }, []);
  // Focus the field of the chosen verdict once it has rendered.
  useEffect(() => {
    if (focusTick === 0) return;
    if (verdict === 'REJECT') reasonRef.current?.focus();
    if (verdict === 'REVISE') editRef.current?.focus();
  }, [focusTick, verdict]);

  const submit = useCallback(async () => {
    if (pending) return;
    if (!verdict) {
      setError(new ApiError('no_verdict', t('chooseVerdict'), 400));
      return;
    }
    if (verdict === 'REJECT' && !reason.trim()) {
      setError(new ApiError('invalid_input', t('reasonRequired'), 400));
      reasonRef.current?.focus();
      return;
    }
    if (verdict === 'REVISE' && JSON.stringify(edited) === JSON.stringify(task.demonstration.messages) && editedRefusal === task.demonstration.isRefusal) {
      setError(new ApiError('unchanged', t('unchanged'), 400));
      editRef.current?.focus();
      return;
    }
    const body =
      verdict === 'APPROVE'
        ? { verdict, clientKey, comment }
        : verdict === 'REJECT'
          ? { verdict, clientKey, reason }
          : { verdict, clientKey, comment, messages: edited, isRefusal: editedRefusal };
    setPending(true);
    setError(null);
    try {
      await api<VerdictResult>(`/api/review/tasks/${task.assignmentId}/verdict`, { method: 'POST', body });
      onDone();
    } catch (e) {
      setError(e as ApiError);
      setPending(false);
    }
  }, [pending, verdict, reason, comment, edited, editedRefusal, clientKey, task, onDone, t]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void submit();
        return;
      }
      if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const map: Record<string, Verdict> = { a: 'APPROVE', r: 'REJECT', e: 'REVISE' };
      const chosen = map[event.key];
      if (chosen) {
        event.preventDefault();
        choose(chosen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [submit, choose]);

  const stats = task.demonstration.pasteStats;
  const pasteHeavy = stats && stats.totalChars > 0 && stats.pastedChars / stats.totalChars > PASTE_HEAVY;
  const lost = error && ['no_lease', 'slot_taken', 'already_reviewed', 'skipped'].includes(error.code);
  const verdictButton = (value: Verdict, label: string, key: string, testId: string) => (
    <button
      type="button"
      onClick={() => choose(value)}
      aria-pressed={verdict === value}
      data-testid={testId}
      className={`rounded-md border px-3 py-1.5 text-sm font-medium ${verdict === value ? 'border-brand-600 bg-brand-600 text-white' : 'border-slate-300 hover:bg-slate-100'}`}
    >
      {label} <kbd className="ml-1 text-xs opacity-80">{key}</kbd>
    </button>
  );

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section>
        <h2 className="mb-2 text-sm font-semibold uppercase text-slate-500">{t('conversation')}</h2>
        <Conversation system={task.item.system} messages={task.item.messages} />
      </section>
      <section className="space-y-3">
        <h2 className="text-sm font-semibold uppercase text-slate-500">{t('reply')}</h2>
        <div data-testid="review-reply">
          <Conversation system={null} messages={task.demonstration.messages} />
        </div>
        <ul className="space-y-1 text-sm text-slate-600" data-testid="review-facts">
          <li data-testid="refusal">{task.demonstration.isRefusal ? t('refusal') : t('notRefusal')}</li>
          {task.demonstration.fromAllBad && <li>{t('fromAllBad')}</li>}
          <li data-testid="paste-stats">
            {stats ? t('pasteStats', { pasted: stats.pastedChars, total: stats.totalChars, events: stats.pasteEvents }) : t('noPasteStats')}
          </li>
          {pasteHeavy && <li className="rounded bg-amber-50 px-2 py-1 text-amber-900">{t('pasteHeavy')}</li>}
          {task.demonstration.timeSpentMs !== null && <li>{t('timeSpent', { minutes: Math.max(1, Math.round(task.demonstration.timeSpentMs / 60_000)) })}</li>}
          <li data-testid="guideline-version">
            {task.guideline ? (
              <>
                {t('writtenUnder', { version: task.guideline.version, title: task.guideline.title })}{' '}
                <button type="button" onClick={onGuideline} className="text-brand-700 underline">
                  {t('showGuideline')}
                </button>
              </>
            ) : (
              t('noGuideline')
            )}
          </li>
        </ul>

        <div className="rounded-xl border border-slate-200 bg-white p-4">
          <h3 className="mb-2 font-semibold">{t('verdict')}</h3>
          <div className="flex flex-wrap gap-2">
            {verdictButton('APPROVE', t('approve'), 'a', 'verdict-approve')}
            {verdictButton('REJECT', t('reject'), 'r', 'verdict-reject')}
            {verdictButton('REVISE', t('revise'), 'e', 'verdict-revise')}
          </div>

          {verdict === 'REJECT' && (
            <label className="mt-3 block text-sm">
              <span className="font-medium">{t('reason')}</span>
              <textarea
                ref={reasonRef}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="reject-reason"
                rows={3}
                className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          )}
          {verdict === 'REVISE' && (
            <div className="mt-3 space-y-2 text-sm">
              <p className="text-slate-600">{t('reviseHint')}</p>
              {edited.map((turn, index) => (
                <label key={index} className="block">
                  <span className="font-medium">{index === 0 ? t('editedReply') : t('editedTurn', { role: turn.role, n: Math.ceil(index / 2) })}</span>
                  <textarea
                    ref={index === 0 ? editRef : undefined}
                    value={turn.content}
                    onChange={(e) => setEdited((list) => list.map((m, i) => (i === index ? { ...m, content: e.target.value } : m)))}
                    data-testid={index === 0 ? 'revise-reply' : `revise-turn-${index}`}
                    rows={index === 0 ? 8 : 3}
                    className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
                  />
                </label>
              ))}
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={editedRefusal} onChange={(e) => setEditedRefusal(e.target.checked)} />
                {t('editedRefusal')}
              </label>
            </div>
          )}
          {(verdict === 'APPROVE' || verdict === 'REVISE') && (
            <label className="mt-3 block text-sm">
              <span className="font-medium">{t('comment')}</span>
              <textarea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                data-testid="verdict-comment"
                rows={2}
                className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          )}

          {error && (
            <div role="alert" data-testid="submit-error" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              <p>{error.message}</p>
              {lost && (
                <button type="button" onClick={onNext} className="mt-2 rounded-md border border-red-300 px-3 py-1 hover:bg-red-100">
                  {t('nextTask')}
                </button>
              )}
            </div>
          )}
          <div className="mt-3 flex">
            <button
              type="button"
              onClick={() => void submit()}
              disabled={pending}
              data-testid="submit-verdict"
              className="ml-auto rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {pending ? t('submitting') : t('submit')} <kbd className="ml-1 text-xs opacity-80">Ctrl+Enter</kbd>
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}
