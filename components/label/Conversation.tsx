'use client';

import { useTranslations } from 'next-intl';
import { Markdown } from '@/components/ui/Markdown';
import type { Turn } from '@/lib/queue/types';

export function Conversation({ system, messages }: { system: string | null; messages: Turn[] }) {
  const t = useTranslations('work');
  return (
    <div className="space-y-3" data-testid="conversation">
      {system && (
        <div className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm">
          <p className="text-xs font-semibold uppercase text-amber-800">{t('system')}</p>
          <Markdown text={system} />
        </div>
      )}
      {messages.map((turn, index) => (
        <div
          key={index}
          className={`rounded-lg px-3 py-2 text-sm ${turn.role === 'user' ? 'border border-slate-200 bg-white' : 'bg-brand-50'}`}
        >
          <p className="text-xs font-semibold uppercase text-slate-500">{turn.role === 'user' ? t('user') : t('assistant')}</p>
          <Markdown text={turn.content} />
        </div>
      ))}
    </div>
  );
}
