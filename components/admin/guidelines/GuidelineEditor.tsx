'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import { GUIDELINE_BODY_MAX, GUIDELINE_TITLE_MAX } from '@/lib/guidelines/limits';
import { sideBySide } from '@/lib/guidelines/side-by-side';
import { guidelineApi, GuidelineApiError } from './api';
import { SideBySide } from './SideBySide';

export interface EditorLatest {
  version: number;
  title: string;
  body: string;
  publishedAt: string;
}

export interface EditorDraft {
  version: number;
  savedAt: string;
  savedBy: { name: string } | null;
}

interface Content {
  title: string;
  body: string;
}

type Field = 'title' | 'body';
interface Problem {
  field?: Field;
  message: string;
}

/**
 * The admin's guideline editor: title and markdown text with a live preview (or the changes
 * since the published version), Save draft, and Publish behind a confirmation.
 */
export function GuidelineEditor({
  slug,
  start,
  latest: initialLatest,
  draft: initialDraft,
  nextVersion: initialNext,
}: {
  slug: string;
  start: Content & { source: 'draft' | 'latest' | 'template' };
  latest: EditorLatest | null;
  draft: EditorDraft | null;
  nextVersion: number;
}) {
  const t = useTranslations('guidelines');
  const format = useFormatter();
  const ids = useId();
  const [title, setTitle] = useState(start.title);
  const [body, setBody] = useState(start.body);
  // The text as last loaded or saved: anything else is an unsaved change.
  const [baseline, setBaseline] = useState<Content>({ title: start.title, body: start.body });
  const [latest, setLatest] = useState(initialLatest);
  const [draft, setDraft] = useState(initialDraft);
  const [nextVersion, setNextVersion] = useState(initialNext);
  const [pending, setPending] = useState<'save' | 'publish' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<'preview' | 'changes'>('preview');
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  // The preview may lag a keystroke behind on a long text; typing never waits for it.
  const previewTitle = useDeferredValue(title);
  const previewBody = useDeferredValue(body);
  const changes = useMemo(
    () => (latest && view === 'changes' ? sideBySide(latest.body, previewBody) : []),
    [latest, view, previewBody],
  );

  const dirty = title !== baseline.title || body !== baseline.body;
  const sameAsLatest = latest !== null && title.trim() === latest.title && body === latest.body;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  const check = useCallback((): Problem | null => {
    const trimmed = title.trim();
    if (trimmed.length < 1 || trimmed.length > GUIDELINE_TITLE_MAX) return { field: 'title', message: t('errors.title', { max: GUIDELINE_TITLE_MAX }) };
    if (body.trim().length < 1 || body.length > GUIDELINE_BODY_MAX) return { field: 'body', message: t('errors.body', { max: GUIDELINE_BODY_MAX }) };
    return null;
  }, [title, body, t]);

  const explain = useCallback(
    (error: unknown): Problem => {
      if (!(error instanceof GuidelineApiError)) return { message: t('errors.other', { message: String(error) }) };
      if (error.code === 'invalid_input' && (error.field === 'title' || error.field === 'body')) {
        return { field: error.field, message: t(`errors.${error.field}`, { max: error.field === 'title' ? GUIDELINE_TITLE_MAX : GUIDELINE_BODY_MAX }) };
      }
      const known: Record<string, string> = {
        stale_version: 'errors.stale',
        nothing_to_publish: 'errors.nothingToPublish',
        unchanged: 'errors.unchanged',
        network: 'errors.network',
      };
      const key = known[error.code];
      return { message: key ? t(key) : t('errors.other', { message: error.message }) };
    },
    [t],
  );

  const fail = useCallback((next: Problem) => {
    setProblem(next);
    if (next.field === 'title') titleRef.current?.focus();
    if (next.field === 'body') bodyRef.current?.focus();
  }, []);

  const save = useCallback(async () => {
    if (pending) return;
    const invalid = check();
    if (invalid) return fail(invalid);
    setPending('save');
    setProblem(null);
    setNotice(null);
    try {
      const saved = await guidelineApi<Content & EditorDraft>(`/api/admin/projects/${encodeURIComponent(slug)}/guidelines/draft`, {
        method: 'PUT',
        body: { title, body },
      });
      setDraft({ version: saved.version, savedAt: saved.savedAt, savedBy: saved.savedBy });
      setNextVersion(saved.version);
      setTitle(saved.title);
      setBaseline({ title: saved.title, body: saved.body });
      setNotice(t('editor.saved', { time: format.dateTime(new Date(saved.savedAt), { timeStyle: 'short' }) }));
    } catch (error) {
      fail(explain(error));
    } finally {
      setPending(null);
    }
  }, [pending, check, fail, explain, slug, title, body, t, format]);

  const publish = async () => {
    if (pending) return;
    const invalid = check();
    if (invalid) {
      setConfirming(false);
      return fail(invalid);
    }
    setPending('publish');
    setProblem(null);
    setNotice(null);
    try {
      const published = await guidelineApi<EditorLatest>(`/api/admin/projects/${encodeURIComponent(slug)}/guidelines/publish`, {
        method: 'POST',
        body: { title, body, baseVersion: latest?.version ?? 0 },
      });
      setLatest(published);
      setDraft(null);
      setNextVersion(published.version + 1);
      setTitle(published.title);
      setBaseline({ title: published.title, body: published.body });
      setNotice(t('editor.published', { version: published.version }));
    } catch (error) {
      fail(explain(error));
    } finally {
      setConfirming(false);
      setPending(null);
    }
  };

  // Ctrl+S (⌘S) saves the draft instead of the browser's "save page".
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  // Leaving the page with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = t('editor.leaveWarning');
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty, t]);

  const input = 'mt-1 block w-full rounded-md border px-3 py-2 focus:border-brand-600 focus:outline-none';
  const border = (field: Field) => (problem?.field === field ? 'border-red-500' : 'border-slate-300');
  const tab = (active: boolean) => `px-3 py-1 ${active ? 'bg-slate-100 font-medium' : 'hover:bg-slate-50'}`;
  const errorId = `${ids}-error`;

  return (
    <div className="space-y-4">
      <div className="space-y-1 rounded-xl border border-brand-100 bg-brand-50 p-3 text-sm text-slate-700" data-testid="editor-status">
        {latest ? (
          <p data-testid="live-version" data-version={latest.version}>
            {t('status.live', { version: latest.version, date: when(latest.publishedAt) })}
          </p>
        ) : (
          !draft && <p>{t('status.template')}</p>
        )}
        {draft ? (
          <p data-testid="draft-status">
            {draft.savedBy
              ? t('status.draft', { version: draft.version, date: when(draft.savedAt), name: draft.savedBy.name })
              : t('status.draftNoAuthor', { version: draft.version, date: when(draft.savedAt) })}
          </p>
        ) : (
          latest && <p>{t('status.noDraft', { version: latest.version, next: nextVersion })}</p>
        )}
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
          <label className="block text-sm">
            <span className="font-medium">{t('editor.title')}</span>
            <input
              ref={titleRef}
              data-testid="guideline-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              aria-invalid={problem?.field === 'title' || undefined}
              aria-describedby={problem?.field === 'title' ? errorId : undefined}
              className={`${input} ${border('title')}`}
            />
          </label>
          <label className="block text-sm">
            <span className="font-medium">{t('editor.body')}</span>
            <textarea
              ref={bodyRef}
              data-testid="guideline-body"
              value={body}
              onChange={(e) => setBody(e.target.value)}
              rows={28}
              spellCheck
              aria-invalid={problem?.field === 'body' || undefined}
              aria-describedby={problem?.field === 'body' ? errorId : undefined}
              className={`${input} ${border('body')} font-mono text-sm leading-5`}
            />
          </label>
          <p className={`text-xs ${body.length > GUIDELINE_BODY_MAX ? 'text-red-700' : 'text-slate-500'}`} data-testid="body-count">
            {t('editor.chars', { count: body.length, max: GUIDELINE_BODY_MAX })}
          </p>
        </section>

        <section aria-label={t('editor.previewLabel')} className="rounded-xl border border-slate-200 bg-white p-4 lg:sticky lg:top-4 lg:self-start">
          <div className="mb-3 flex rounded-md border border-slate-300 text-sm" role="tablist">
            <button type="button" role="tab" aria-selected={view === 'preview'} onClick={() => setView('preview')} className={tab(view === 'preview')}>
              {t('editor.preview')}
            </button>
            {latest && (
              <button type="button" role="tab" aria-selected={view === 'changes'} onClick={() => setView('changes')} className={tab(view === 'changes')} data-testid="changes-tab">
                {t('editor.changes', { version: latest.version })}
              </button>
            )}
          </div>
          {view === 'changes' && latest ? (
            changes.some((row) => row.kind !== 'same') ? (
              <SideBySide
                rows={changes}
                className="max-h-[70vh]"
                labels={{
                  left: t('editor.before', { version: latest.version }),
                  right: t('editor.after'),
                  removed: t('diff.removed'),
                  added: t('diff.added'),
                  empty: t('diff.empty'),
                }}
              />
            ) : (
              <p className="text-sm text-slate-500">{t('editor.noChanges', { version: latest.version })}</p>
            )
          ) : (
            <article className="max-h-[70vh] overflow-auto" data-testid="guideline-preview">
              <h2 className="mb-2 text-lg font-semibold">
                {previewTitle} <span className="text-sm font-normal text-slate-500">v{nextVersion}</span>
              </h2>
              {previewBody.trim() ? <Markdown text={previewBody} /> : <p className="text-sm text-slate-500">{t('editor.emptyPreview')}</p>}
            </article>
          )}
        </section>
      </div>

      {problem && (
        <p role="alert" id={errorId} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="editor-error">
          {problem.message}
        </p>
      )}
      {notice && (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800" data-testid="editor-notice">
          {notice}
        </p>
      )}

      <div className="flex flex-wrap items-center gap-3">
        {dirty && (
          <span className="text-sm text-amber-700" data-testid="unsaved">
            {t('editor.unsaved')}
          </span>
        )}
        <span className="text-xs text-slate-500">{t('editor.shortcut')}</span>
        {sameAsLatest && latest && <span className="text-xs text-slate-500">{t('editor.nothingNew', { version: latest.version })}</span>}
        <button
          type="button"
          onClick={() => void save()}
          disabled={pending !== null}
          data-testid="save-draft"
          className="ml-auto rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
        >
          {pending === 'save' ? t('editor.saving') : t('editor.saveDraft')}
        </button>
        <button
          type="button"
          onClick={() => {
            setNotice(null);
            setConfirming(true);
          }}
          disabled={pending !== null || confirming || sameAsLatest}
          data-testid="publish"
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t('editor.publish', { version: nextVersion })}
        </button>
      </div>

      {confirming && (
        <div role="group" aria-labelledby={`${ids}-confirm`} className="rounded-xl border border-amber-200 bg-amber-50 p-4" data-testid="publish-confirm">
          <h2 id={`${ids}-confirm`} className="font-semibold">
            {t('editor.confirmTitle', { version: nextVersion })}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t('editor.confirmNote', { version: nextVersion })}</p>
          <div className="mt-3 flex gap-3">
            <button
              type="button"
              onClick={() => void publish()}
              disabled={pending !== null}
              autoFocus
              data-testid="confirm-publish"
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {pending === 'publish' ? t('editor.publishing') : t('editor.confirm')}
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              disabled={pending !== null}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm hover:bg-slate-100"
            >
              {t('editor.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
