'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { emailSchema, passwordProblem } from '@/lib/people/schemas';
import { useErrorText } from '@/components/admin/useErrorText';
import { buttonClass, inputClass } from './fields';
import { ROLE_CHOICES } from './types';

/** Creates an account at once, with an initial password the admin hands over. */
export function CreatePersonForm({ onCreated }: { onCreated: (email: string) => void }) {
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
      name: String(data.get('name') ?? '').trim(),
      email: String(data.get('email') ?? ''),
      role: String(data.get('role') ?? 'LABELER'),
      password: String(data.get('password') ?? ''),
    };
    const problem = !body.name
      ? 'name_required'
      : !emailSchema.safeParse(body.email).success
        ? 'email_invalid'
        : passwordProblem(body.password);
    if (problem) {
      setError(t(`errors.${problem}`));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const created = await api<{ email: string }>('/api/admin/people', { method: 'POST', body });
      form.reset();
      onCreated(created.email);
    } catch (e) {
      setError(errorText(e));
    }
    setPending(false);
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="create-person">
      <h2 className="font-semibold">{t('create.title')}</h2>
      <p className="text-sm text-slate-600">{t('create.note')}</p>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <label className="block text-sm">
        {t('create.name')}
        <input name="name" autoComplete="off" maxLength={120} className={inputClass} />
      </label>
      <label className="block text-sm">
        {t('create.email')}
        <input name="email" type="email" autoComplete="off" className={inputClass} />
      </label>
      <label className="block text-sm">
        {t('create.role')}
        <select name="role" defaultValue="LABELER" className={inputClass}>
          {ROLE_CHOICES.map((role) => (
            <option key={role} value={role}>
              {common(`roles.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <div>
        <label className="block text-sm">
          {t('create.password')}
          <input name="password" type="password" autoComplete="new-password" aria-describedby="create-password-hint" className={inputClass} />
        </label>
        <p id="create-password-hint" className="mt-1 text-xs text-slate-500">
          {t('create.passwordHint')}
        </p>
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? t('create.submitting') : t('create.submit')}
      </button>
    </form>
  );
}
