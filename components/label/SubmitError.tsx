'use client';

import { useTranslations } from 'next-intl';
import type { ApiError } from './api';

/** A refused submit, said plainly; when the slot is gone, the work stays on screen to copy. */
export function SubmitError({ error, onNext }: { error: ApiError; onNext: () => void }) {
  const t = useTranslations('work');
  const lost = error.code === 'slot_taken' || error.code === 'already_submitted' || error.code === 'skipped' || error.code === 'no_lease';
  return (
    <div role="alert" data-testid="submit-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      <p>{error.message}</p>
      {lost && (
        <button type="button" onClick={onNext} className="mt-2 rounded-md border border-red-300 px-3 py-1 hover:bg-red-100">
          {t('nextTask')}
        </button>
      )}
    </div>
  );
}
