'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import type { GuidelineGate } from '@/lib/guidelines/gate';
import { api } from './api';

/** The current guideline in a side panel, one key away while working. */
export function GuidelineDrawer({ slug, open, onClose }: { slug: string; open: boolean; onClose: () => void }) {
  const t = useTranslations('work');
  const [gate, setGate] = useState<GuidelineGate | null>(null);

  useEffect(() => {
    if (open && !gate) void api<GuidelineGate>(`/api/label/projects/${slug}/guideline`).then(setGate).catch(() => {});
  }, [open, gate, slug]);

  if (!open) return null;
  const guideline = gate && gate.status !== 'none' ? gate.guideline : null;
  return (
    <div className="fixed inset-0 z-40 flex justify-end bg-slate-900/20" onClick={onClose}>
      <aside
        role="dialog"
        aria-label={t('guideline')}
        data-testid="guideline-drawer"
        onClick={(e) => e.stopPropagation()}
        className="h-full w-full max-w-xl overflow-y-auto bg-white p-5 shadow-xl"
      >
        <div className="mb-3 flex items-center">
          <h2 className="text-lg font-semibold">
            {guideline ? `${guideline.title} (v${guideline.version})` : t('guideline')}
          </h2>
          <button type="button" onClick={onClose} className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-sm">
            {t('close')} <kbd className="text-xs">Esc</kbd>
          </button>
        </div>
        {gate?.status === 'none' && <p className="text-sm text-slate-600">{t('noGuideline')}</p>}
        {guideline && <Markdown text={guideline.body} />}
      </aside>
    </div>
  );
}
