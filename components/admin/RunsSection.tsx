'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { secondaryButtonClass } from '@/components/admin/exports/fields';

/**
 * A list of past runs (exports, training, generation): heading, a refresh button, and the
 * table or a line saying there are none, worded by the screen's `runs.title|refresh|empty`.
 */
export function RunsSection(props: {
  namespace: 'exports' | 'training' | 'generation';
  testId: string;
  isEmpty: boolean;
  onRefresh: () => void;
  refreshing: boolean;
  children: ReactNode;
}) {
  const t = useTranslations(props.namespace);
  return (
    <section className="space-y-2" data-testid={props.testId}>
      <div className="flex items-center justify-between">
        <h2 className="text-lg font-semibold">{t('runs.title')}</h2>
        <button type="button" onClick={props.onRefresh} disabled={props.refreshing} className={secondaryButtonClass}>
          {t('runs.refresh')}
        </button>
      </div>
      {props.isEmpty ? (
        <p className="text-sm text-slate-600">{t('runs.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">{props.children}</div>
      )}
    </section>
  );
}
