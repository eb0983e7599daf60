'use client';

import { useTranslations } from 'next-intl';

export function SubmitButton({ pending, onSubmit }: { pending: boolean; onSubmit: () => void }) {
  const t = useTranslations('work');
  return (
    <button
      type="button"
      onClick={onSubmit}
      disabled={pending}
      data-testid="submit"
      className="ml-auto rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
    >
      {pending ? t('submitting') : t('submit')} <kbd className="ml-1 text-xs opacity-80">Ctrl+Enter</kbd>
    </button>
  );
}
