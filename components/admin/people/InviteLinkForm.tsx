'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { emailSchema, INVITE_DAYS_DEFAULT, INVITE_DAYS_MAX } from '@/lib/people/schemas';
import { useErrorText } from '@/components/admin/useErrorText';
import { buttonClass, inputClass } from './fields';
import { ROLE_CHOICES, type IssuedLinkView } from './types';

/** Makes a single-use invite link for an email and role; the link is shown once, by the caller. */
export function InviteLinkForm({ onIssued }: { onIssued: (link: IssuedLinkView) => void }) {
  const t = useTranslations('people');
  const common = useTranslations('common');
  const errorText = useErrorText('people');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body = {
      email: String(data.get('email') ?? ''),
      role: String(data.get('role') ?? 'LABELER'),
      expiresInDays: Number(data.get('expiresInDays') ?? INVITE_DAYS_DEFAULT),
    };
    if (!emailSchema.safeParse(body.email).success) {
      setError(t('errors.email_invalid'));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const link = await api<IssuedLinkView>('/api/admin/people/invites', { method: 'POST', body });
      form.reset();
      onIssued(link);
    } catch (e) {
      setError(errorText(e));
    }
    setPending(false);
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="invite-person">
      <h2 className="font-semibold">{t('invite.title')}</h2>
      <p className="text-sm text-slate-600">{t('invite.note')}</p>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <label className="block text-sm">
        {t('invite.email')}
        <input name="email" type="email" autoComplete="off" className={inputClass} />
      </label>
      <label className="block text-sm">
        {t('invite.role')}
        <select name="role" defaultValue="LABELER" className={inputClass}>
          {ROLE_CHOICES.map((role) => (
            <option key={role} value={role}>
              {common(`roles.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="block text-sm">
        {t('invite.days')}
        <input name="expiresInDays" type="number" min={1} max={INVITE_DAYS_MAX} defaultValue={INVITE_DAYS_DEFAULT} className={inputClass} />
      </label>
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? t('invite.submitting') : t('invite.submit')}
      </button>
    </form>
  );
}
