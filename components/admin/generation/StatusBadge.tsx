'use client';

import { useTranslations } from 'next-intl';

const STYLE: Record<string, string> = {
  QUEUED: 'bg-slate-100 text-slate-700',
  RUNNING: 'bg-amber-100 text-amber-800',
  SUCCEEDED: 'bg-emerald-100 text-emerald-800',
  FAILED: 'bg-red-100 text-red-800',
  CANCELLED: 'bg-slate-200 text-slate-700',
};

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('generation');
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${STYLE[status] ?? STYLE.QUEUED}`} data-testid="run-status" data-status={status}>
      {t.has(`statuses.${status}`) ? t(`statuses.${status}`) : status}
    </span>
  );
}
