'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { api, type ApiError } from '@/components/label/api';

/** "Mark invalid" with a required reason; afterwards `onInvalidated` runs, or else the page is re-read. */
export function InvalidateRanking({ rankingId, onInvalidated }: { rankingId: string; onInvalidated?: () => void }) {
  const t = useTranslations('reviewing');
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  const submit = async () => {
    if (!reason.trim()) {
      setError(t('invalidateReason'));
      field.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api(`/api/review/rankings/${rankingId}/invalidate`, { method: 'POST', body: { reason } });
      setOpen(false);
      if (onInvalidated) onInvalidated();
      else router.refresh();
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setPending(false);
    }
  };

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="invalidate" className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50">
        {t('invalidate')}
      </button>
    );
  }
  return (
    <div className="space-y-2 text-sm" data-testid="invalidate-form">
      <label className="block">
        <span className="font-medium">{t('invalidateReason')}</span>
        <textarea
          ref={field}
          autoFocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          data-testid="invalidate-reason"
          rows={3}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="button" disabled={pending} onClick={() => void submit()} data-testid="invalidate-confirm" className="rounded-md bg-red-700 px-3 py-1 font-medium text-white hover:bg-red-800 disabled:opacity-60">
          {t('invalidateConfirm')}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
