'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/components/label/api';
import { useErrorText } from '@/components/admin/useErrorText';

/** Registers the round's model as an endpoint (once) and opens candidate generation with it chosen. */
export function GenerateWithRoundModel({ slug, roundId }: { slug: string; roundId: string }) {
  const t = useTranslations('rounds');
  const errorText = useErrorText('rounds');
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const { endpoint } = await api<{ endpoint: { id: string } }>(`/api/admin/projects/${slug}/rounds/${roundId}/endpoint`, { method: 'POST' });
      router.push(`/admin/projects/${slug}/generate?endpoint=${encodeURIComponent(endpoint.id)}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" onClick={() => void go()} disabled={busy} className="text-xs text-brand-700 hover:underline disabled:opacity-50">
        {t('generateWith')}
      </button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
