'use client';

import { useTranslations } from 'next-intl';
import type { SaveState } from './useAutosave';

export function SaveIndicator({ state }: { state: SaveState }) {
  const t = useTranslations('work');
  const time = state.savedAt ? new Date(state.savedAt).toLocaleTimeString() : '';
  const text =
    state.status === 'saving' ? t('saving') : state.status === 'error' ? t('saveFailed') : state.status === 'saved' ? t('saved', { time }) : '';
  return (
    <span data-testid="save-state" data-status={state.status} className={`text-xs ${state.status === 'error' ? 'text-red-700' : 'text-slate-500'}`}>
      {text}
    </span>
  );
}
