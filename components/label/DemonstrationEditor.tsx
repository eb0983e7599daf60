'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import type { PasteStats } from '@/lib/annotation/schemas';
import type { Task } from '@/lib/queue/types';
import { uuidV4 } from '@/lib/uuid';
import { api, ApiError } from './api';
import { Conversation } from './Conversation';
import { NO_PASTE, withPaste } from './paste';
import { SaveIndicator } from './SaveIndicator';
import { SubmitButton } from './SubmitButton';
import { SubmitError } from './SubmitError';
import { useAutosave } from './useAutosave';

// Replies shorter than this get a warning (not a refusal: "Yes." can be the ideal answer).
export const SHORT_REPLY_CHARS = 20;

interface DraftState {
  clientKey: string;
  reply: string;
  isRefusal: boolean;
  extraTurns: { user: string; assistant: string }[];
  paste: PasteStats;
}

function restore(task: Task): DraftState {
  const saved = (task.draft?.content ?? {}) as Partial<DraftState>;
  return {
    clientKey: typeof saved.clientKey === 'string' ? saved.clientKey : uuidV4(),
    reply: saved.reply ?? '',
    isRefusal: saved.isRefusal ?? false,
    extraTurns: saved.extraTurns ?? [],
    paste: saved.paste ?? NO_PASTE,
  };
}

export function DemonstrationEditor({ task, onDone }: { task: Task; onDone: () => void }) {
  const t = useTranslations('work');
  const [draft, setDraft] = useState<DraftState>(() => restore(task));
  const [preview, setPreview] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [startedAt] = useState(() => Date.now());
  const { state: saveState, cancel } = useAutosave(task.assignmentId, draft, !pending);
  const replyRef = useRef<HTMLTextAreaElement>(null);

  const update = (patch: Partial<DraftState>) => setDraft((d) => ({ ...d, ...patch }));
  const trimmed = draft.reply.trim();

  const submit = useCallback(async () => {
    if (pending) return;
    if (!trimmed) {
      setError(new ApiError('empty', t('emptyReply'), 400));
      replyRef.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api(`/api/label/tasks/${task.assignmentId}/demonstration`, {
        method: 'POST',
        body: {
          clientKey: draft.clientKey,
          reply: draft.reply,
          isRefusal: draft.isRefusal,
          extraTurns: draft.extraTurns,
          paste: draft.paste,
          timeSpentMs: Date.now() - startedAt,
        },
      });
      cancel();
      onDone();
    } catch (e) {
      setError(e as ApiError);
      setPending(false);
    }
  }, [pending, trimmed, draft, task.assignmentId, startedAt, cancel, onDone, t]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [submit]);

  const textarea = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-brand-600 focus:outline-none';
  const counts = useMemo(() => ({ chars: draft.reply.length }), [draft.reply]);

  return (
    <div className="space-y-4">
      <Conversation system={task.item.system} messages={task.item.messages} />

      <section className="rounded-xl border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="font-semibold">{t('yourReply')}</h2>
          <div className="flex rounded-md border border-slate-300 text-sm" role="tablist">
            <button type="button" role="tab" aria-selected={!preview} onClick={() => setPreview(false)} className={`px-3 py-1 ${!preview ? 'bg-slate-100 font-medium' : ''}`}>
              {t('write')}
            </button>
            <button type="button" role="tab" aria-selected={preview} onClick={() => setPreview(true)} className={`px-3 py-1 ${preview ? 'bg-slate-100 font-medium' : ''}`}>
              {t('preview')}
            </button>
          </div>
          <label className="ml-auto flex items-center gap-2 text-sm">
            <input type="checkbox" checked={draft.isRefusal} onChange={(e) => update({ isRefusal: e.target.checked })} />
            {t('shouldRefuse')}
          </label>
        </div>
        {draft.isRefusal && <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{t('refusalHint')}</p>}
        {preview ? (
          <div className="mt-2 min-h-40 rounded-md border border-slate-200 p-3" data-testid="reply-preview">
            <Markdown text={draft.reply || t('nothingYet')} />
          </div>
        ) : (
          <textarea
            ref={replyRef}
            aria-label={t('yourReply')}
            data-testid="reply"
            value={draft.reply}
            onChange={(e) => update({ reply: e.target.value })}
            onPaste={(e) => update({ paste: withPaste(draft.paste, e) })}
            rows={10}
            autoFocus
            className={textarea}
          />
        )}
        <div className="mt-1 flex flex-wrap items-center gap-3 text-xs text-slate-500">
          <span data-testid="char-count">{t('chars', { count: counts.chars })}</span>
          {trimmed.length > 0 && trimmed.length < SHORT_REPLY_CHARS && <span className="text-amber-700">{t('shortReply')}</span>}
          {draft.paste.pasteEvents > 0 && <span>{t('pasted', { chars: draft.paste.pastedChars })}</span>}
          <span className="ml-auto">
            <SaveIndicator state={saveState} />
          </span>
        </div>
      </section>

      {draft.extraTurns.map((turn, index) => (
        <section key={index} className="rounded-xl border border-slate-200 bg-white p-4" data-testid="extra-turn">
          <div className="flex items-center">
            <h3 className="text-sm font-semibold">{t('followUp', { n: index + 1 })}</h3>
            <button
              type="button"
              className="ml-auto text-sm text-red-700 hover:underline"
              onClick={() => update({ extraTurns: draft.extraTurns.filter((_, i) => i !== index) })}
            >
              {t('remove')}
            </button>
          </div>
          {(['user', 'assistant'] as const).map((role) => (
            <label key={role} className="mt-2 block text-sm">
              <span className="text-slate-600">{role === 'user' ? t('nextUserTurn') : t('nextAssistantTurn')}</span>
              <textarea
                value={turn[role]}
                rows={3}
                className={textarea}
                onPaste={(e) => update({ paste: withPaste(draft.paste, e) })}
                onChange={(e) =>
                  update({ extraTurns: draft.extraTurns.map((x, i) => (i === index ? { ...x, [role]: e.target.value } : x)) })
                }
              />
            </label>
          ))}
        </section>
      ))}

      {error && <SubmitError error={error} onNext={onDone} />}

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => update({ extraTurns: [...draft.extraTurns, { user: '', assistant: '' }] })}
          className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100"
        >
          {t('addTurn')}
        </button>
        <SubmitButton pending={pending} onSubmit={() => void submit()} />
      </div>
    </div>
  );
}
