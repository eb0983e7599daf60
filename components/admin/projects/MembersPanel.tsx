'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '@/components/label/api';

export interface MemberRow {
  role: 'ADMIN' | 'REVIEWER' | 'LABELER';
  user: { id: string; name: string; email: string; active: boolean };
}

export function MembersPanel({ slug, members }: { slug: string; members: MemberRow[] }) {
  const t = useTranslations('projects');
  const common = useTranslations('common');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      router.refresh();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = Object.fromEntries(new FormData(form));
    void run(async () => {
      await api(`/api/admin/projects/${slug}/members`, { method: 'PUT', body });
      form.reset();
    });
  };

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4" data-testid="members">
      <h2 className="mb-2 font-semibold">{t('members')}</h2>
      <table className="w-full text-sm">
        <tbody>
          {members.map((member) => (
            <tr key={member.user.id} className="border-t border-slate-100">
              <td className="py-1.5">{member.user.name}</td>
              <td className="py-1.5 text-slate-600">{member.user.email}</td>
              <td className="py-1.5">
                <select
                  aria-label={t('roleOf', { email: member.user.email })}
                  value={member.role}
                  onChange={(e) => void run(() => api(`/api/admin/projects/${slug}/members`, { method: 'PUT', body: { email: member.user.email, role: e.target.value } }))}
                  className="rounded-md border border-slate-300 px-1 py-0.5"
                >
                  {(['LABELER', 'REVIEWER', 'ADMIN'] as const).map((role) => (
                    <option key={role} value={role}>
                      {common(`roles.${role}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td className="py-1.5 text-right">
                <button
                  type="button"
                  onClick={() => void run(() => api(`/api/admin/projects/${slug}/members/${member.user.id}`, { method: 'DELETE' }))}
                  className="text-red-700 hover:underline"
                >
                  {t('remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={add} className="mt-3 flex flex-wrap items-end gap-2">
        <label className="text-sm">
          {t('addEmail')}
          <input name="email" type="email" required className="mt-1 block rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <label className="text-sm">
          {t('role')}
          <select name="role" defaultValue="LABELER" className="mt-1 block rounded-md border border-slate-300 px-2 py-1">
            {(['LABELER', 'REVIEWER', 'ADMIN'] as const).map((role) => (
              <option key={role} value={role}>
                {common(`roles.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white">
          {t('addMember')}
        </button>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700" data-testid="members-error">
          {error}
        </p>
      )}
    </section>
  );
}
