'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { passwordProblem } from '@/lib/people/schemas';

type Purpose = 'INVITE' | 'PASSWORD_RESET';
type Role = 'ADMIN' | 'REVIEWER' | 'LABELER';

const SERVER_ERRORS = ['link_expired', 'link_used', 'link_not_found', 'email_taken'] as const;

/** Redeems an invite (name + password) or a reset link (password), then sends the person to sign in. */
export function InviteForm(props: { token: string; purpose: Purpose; email: string; role: Role; name: string | null; expiresAt: string }) {
  const t = useTranslations('invite');
  const common = useTranslations('common');
  const invite = props.purpose === 'INVITE';
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const problem = invite && !name ? 'name_required' : passwordProblem(password) ?? (password !== form.get('confirm') ? 'mismatch' : null);
    if (problem) {
      setError(t(`errors.${problem}`));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/invite/${encodeURIComponent(props.token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(invite ? { name, password } : { password }),
      });
      if (response.ok) {
        window.location.assign('/login');
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
      const code = SERVER_ERRORS.find((known) => known === body?.error);
      setError(code ? t(`errors.${code}`) : (body?.message ?? t('errors.unknown')));
    } catch {
      setError(t('errors.network'));
    }
    setPending(false);
  }

  const input =
    'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100';
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="invite-form">
      <div>
        <h2 className="text-lg font-semibold">{invite ? t('inviteTitle') : t('resetTitle')}</h2>
        <p className="mt-1 text-sm text-slate-600">
          {invite
            ? t('inviteIntro', { email: props.email, role: common(`roles.${props.role}`) })
            : t('resetIntro', { email: props.email, name: props.name ?? '' })}
        </p>
      </div>
      {error && (
        <p role="alert" data-testid="invite-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t('email')}</span>
        <input name="email" type="email" value={props.email} readOnly autoComplete="username" className={`${input} bg-slate-50 text-slate-600`} />
      </label>
      {invite && (
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t('name')}</span>
          <input name="name" autoComplete="name" maxLength={120} autoFocus className={input} />
        </label>
      )}
      <div>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t('password')}</span>
          <input name="password" type="password" autoComplete="new-password" autoFocus={!invite} aria-describedby="password-hint" className={input} />
        </label>
        <p id="password-hint" className="mt-1 text-xs text-slate-500">
          {t('passwordHint')}
        </p>
      </div>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t('confirm')}</span>
        <input name="confirm" type="password" autoComplete="new-password" className={input} />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? t('submitting') : invite ? t('submitInvite') : t('submitReset')}
      </button>
      <p className="text-xs text-slate-500">{t('expires', { expiresAt: props.expiresAt })}</p>
    </form>
  );
}
