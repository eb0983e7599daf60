'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { credentialsProblem, isSignInError, type SignInError } from '@/lib/auth/credentials-schema';

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: SignInError | 'unknown' | null }) {
  const t = useTranslations('login');
  const [error, setError] = useState<SignInError | 'unknown' | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    const problem = credentialsProblem(credentials);
    if (problem) {
      setError(problem);
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', { ...credentials, redirect: false });
      if (result?.ok && !result.error) {
        // A full navigation, so the server renders the home page with the new session and language.
        window.location.assign(callbackUrl);
        return;
      }
      setError(isSignInError(result?.error) ? result.error : 'unknown');
    } catch {
      setError('unknown');
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 className="text-lg font-semibold">{t('title')}</h2>
      {error && (
        <p role="alert" data-testid="login-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {t(`errors.${error}`)}
        </p>
      )}
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t('email')}</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t('password')}</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? t('submitting') : t('submit')}
      </button>
    </form>
  );
}
