'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import type { DiffLine } from '@/lib/guidelines/diff';
import type { GuidelineView } from '@/lib/guidelines/gate';
import { api, ApiError } from './api';
import { GuidelineDiff } from './GuidelineDiff';

/** Read the guideline (and what changed since the version you last read), then acknowledge it. */
export function GuidelineGate({
  slug,
  guideline,
  previous,
  onAcknowledged,
}: {
  slug: string;
  guideline: GuidelineView;
  previous: { version: number; diff: DiffLine[] } | null;
  onAcknowledged: () => void;
}) {
  const t = useTranslations('work');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const acknowledge = async () => {
    setPending(true);
    try {
      await api(`/api/label/projects/${slug}/guideline`, { method: 'POST', body: { guidelineId: guideline.id } });
      onAcknowledged();
    } catch (e) {
      setError((e as ApiError).message);
      setPending(false);
    }
  };

  return (
    <section className="space-y-4" data-testid="guideline-gate">
      <div className="rounded-xl border border-brand-100 bg-brand-50 p-4">
        <h2 className="font-semibold">
          {previous ? t('guidelineChanged', { from: previous.version, to: guideline.version }) : t('guidelineFirst', { version: guideline.version })}
        </h2>
        <p className="text-sm text-slate-700">{t('guidelineAckNote')}</p>
      </div>
      {previous && (
        <div>
          <h3 className="mb-1 text-sm font-semibold">{t('whatChanged')}</h3>
          <GuidelineDiff lines={previous.diff} />
        </div>
      )}
      <article className="rounded-xl border border-slate-200 bg-white p-5">
        <h3 className="mb-2 text-lg font-semibold">
          {guideline.title} <span className="text-sm font-normal text-slate-500">v{guideline.version}</span>
        </h3>
        <Markdown text={guideline.body} />
      </article>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="button"
        onClick={() => void acknowledge()}
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t('acknowledge')}
      </button>
    </section>
  );
}
