'use client';

import { useTranslations } from 'next-intl';
import type { RunStatus } from '@/lib/generated/prisma/enums';

const STYLE: Record<RunStatus, string> = {
  QUEUED: 'bg-slate-100 text-slate-700',
  RUNNING: 'bg-amber-100 text-amber-800',
  SUCCEEDED: 'bg-emerald-100 text-emerald-800',
  FAILED: 'bg-red-100 text-red-800',
  CANCELLED: 'bg-slate-200 text-slate-700',
};

/** A training or generation run's status, in the words of that screen's catalogue (`statuses.*`). */
export function RunStatusBadge({ status, namespace }: { status: string; namespace: 'training' | 'generation' }) {
  const t = useTranslations(namespace);
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${STYLE[status as RunStatus] ?? STYLE.QUEUED}`} data-testid="run-status" data-status={status}>
      {t.has(`statuses.${status}`) ? t(`statuses.${status}`) : status}
    </span>
  );
}
