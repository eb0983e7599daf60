'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { ITEM_NOTE_KINDS } from '@/lib/annotation/schemas';
import { api, ApiError } from './api';

const SKIP_REASONS = ['needsExpertise', 'brokenPrompt', 'tooDisturbing', 'other'] as const;

/** Skip with a reason: the slot goes back to the pool and the item is not offered to you again. */
export function SkipForm({ assignmentId, onSkipped, onCancel }: { assignmentId: string; onSkipped: () => void; onCancel: () => void }) {
  const t = useTranslations('work');
  const [reason, setReason] = useState<string>(SKIP_REASONS[0]);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason === 'other' ? detail.trim() : `${t(`skipReasons.${reason}`)}${detail.trim() ? `: ${detail.trim()}` : ''}`;
    if (!text) {
      setError(t('skipNeedsReason'));
      return;
    }
    try {
      await api(`/api/label/tasks/${assignmentId}/skip`, { method: 'POST', body: { reason: text } });
      onSkipped();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="skip-form">
      <h3 className="font-semibold">{t('skipTitle')}</h3>
      <div className="flex flex-wrap gap-3 text-sm">
        {SKIP_REASONS.map((value) => (
          <label key={value} className="flex items-center gap-1">
            <input type="radio" name="skip-reason" checked={reason === value} onChange={() => setReason(value)} />
            {t(`skipReasons.${value}`)}
          </label>
        ))}
      </div>
      <input
        value={detail}
        onChange={(e) => setDetail(e.target.value)}
        placeholder={t('skipDetail')}
        aria-label={t('skipDetail')}
        maxLength={400}
        autoFocus
        className="block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
      {error && <p className="text-sm text-red-700">{error}</p>}
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">
          {t('skipConfirm')}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1 text-sm">
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** A note on the item itself for admins and reviewers: broken prompt, personal data, needs an expert. */
export function ItemNoteForm({ assignmentId, onDone }: { assignmentId: string; onDone: (saved: boolean) => void }) {
  const t = useTranslations('work');
  const [kind, setKind] = useState<(typeof ITEM_NOTE_KINDS)[number]>('BROKEN_PROMPT');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api(`/api/label/tasks/${assignmentId}/note`, { method: 'POST', body: { kind, note } });
      onDone(true);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="note-form">
      <h3 className="font-semibold">{t('flagItemTitle')}</h3>
      <select
        value={kind}
        onChange={(e) => setKind(e.target.value as (typeof ITEM_NOTE_KINDS)[number])}
        aria-label={t('flagItemKind')}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        {ITEM_NOTE_KINDS.map((value) => (
          <option key={value} value={value}>
            {t(`noteKinds.${value}`)}
          </option>
        ))}
      </select>
      <textarea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        aria-label={t('flagItemNote')}
        placeholder={t('flagItemNote')}
        maxLength={2000}
        rows={2}
        className="block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
      {error && <p className="text-sm text-red-700">{error}</p>}
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">
          {t('flagItemSave')}
        </button>
        <button type="button" onClick={() => onDone(false)} className="rounded-md border border-slate-300 px-3 py-1 text-sm">
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
