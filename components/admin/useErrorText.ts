'use client';

import { useTranslations } from 'next-intl';
import { ApiError } from '@/components/label/api';

/** Admin screens whose catalogue has an `errors` group (error codes → the reader's language). */
type ErrorNamespace = 'exports' | 'generation' | 'people' | 'rounds' | 'training';

/** A refused request in the reader's language when its code is known, else the server's own message (which names the field). */
export function useErrorText(namespace: ErrorNamespace) {
  const t = useTranslations(namespace);
  return (error: unknown): string => {
    const code = error instanceof ApiError ? error.code : 'network';
    const key = `errors.${code}`;
    if (t.has(key)) return t(key);
    return error instanceof Error ? error.message : t('errors.network');
  };
}
