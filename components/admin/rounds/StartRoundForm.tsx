'use client';

import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { useErrorText } from '@/components/admin/useErrorText';
import type { RoundExportChoice } from '@/lib/rounds/rounds';

/** Starts the next round from one of the project's preference exports that no round uses yet. */
export function StartRoundForm({ slug, exports, next }: { slug: string; exports: RoundExportChoice[]; next: number }) {
  const t = useTranslations('rounds');
  const format = useFormatter();
  const errorText = useErrorText('rounds');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (exports.length === 0) {
    return (
      <p className="mt-3 text-sm text-slate-500" data-testid="start-round-hint">
        {t.rich('needExport', { exports: (chunks) => <Link href="/admin/exports" className="text-brand-700 hover:underline">{chunks}</Link> })}
      </p>
    );
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const exportRunId = String(new FormData(event.currentTarget).get('exportRunId') ?? '');
    setError(null);
    setBusy(true);
    try {
      await api(`/api/admin/projects/${slug}/rounds`, { method: 'POST', body: { exportRunId } });
      router.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-3 flex flex-wrap items-end gap-2" data-testid="start-round-form">
      <label className="text-sm">
        {t('fromExport')}
        <select name="exportRunId" required className="mt-1 block rounded-md border border-slate-300 px-2 py-1">
          {exports.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {t('exportChoice', { date: format.dateTime(new Date(choice.createdAt), { dateStyle: 'medium', timeStyle: 'short' }), rows: choice.rows, format: choice.format })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50">
        {t('start', { number: next })}
      </button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
