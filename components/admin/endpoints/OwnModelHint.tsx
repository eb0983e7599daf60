'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { cardClass } from '@/components/admin/exports/fields';
import { useOrigin } from '@/components/ui/useOrigin';

/** How to register Feedloop's own trained model: it speaks the same protocol at /v1. */
export function OwnModelHint() {
  const t = useTranslations('endpoints');
  const origin = useOrigin();
  const link = (href: string) => (chunks: ReactNode) => (
    <Link href={href} className="text-brand-700 hover:underline">
      {chunks}
    </Link>
  );
  const code = (chunks: ReactNode) => <code className="rounded bg-slate-100 px-1 font-mono text-xs">{chunks}</code>;
  return (
    <aside className={`${cardClass} space-y-2 text-sm`} data-testid="own-model-hint" aria-labelledby="own-model-title">
      <h2 id="own-model-title" className="font-semibold">
        {t('ownModel.title')}
      </h2>
      <p className="text-slate-600">{t('ownModel.intro')}</p>
      <ul className="list-disc space-y-1 pl-5 text-slate-700">
        <li>{t.rich('ownModel.baseUrl', { url: `${origin || t('ownModel.thisServer')}/v1`, code })}</li>
        <li>{t.rich('ownModel.model', { training: link('/admin/training') })}</li>
        <li>{t.rich('ownModel.apiKey', { exports: link('/admin/exports') })}</li>
      </ul>
    </aside>
  );
}
