'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '@/components/label/api';

export interface ProjectSettings {
  slug: string;
  name: string;
  instructions: string;
  demonstrationsPerItem: number;
  rankingsPerItem: number;
  candidatesPerRanking: number;
  leaseMinutes: number;
  status: 'OPEN' | 'PAUSED' | 'CLOSED';
}

const NUMBERS = ['demonstrationsPerItem', 'rankingsPerItem', 'candidatesPerRanking', 'leaseMinutes'] as const;

/** Create a project (no `project` given) or edit one's settings. */
export function ProjectForm({ project }: { project?: ProjectSettings }) {
  const t = useTranslations('projects');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget));
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      if (project) {
        const { slug: _slug, ...settings } = form;
        await api(`/api/admin/projects/${project.slug}`, { method: 'PATCH', body: settings });
        setSaved(true);
        router.refresh();
      } else {
        const created = await api<{ slug: string }>('/api/admin/projects', { method: 'POST', body: form });
        router.push(`/admin/projects/${created.slug}`);
      }
    } catch (e) {
      setError((e as ApiError).message);
    }
    setPending(false);
  };

  const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm';
  return (
    <form onSubmit={submit} className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2" data-testid="project-form">
      {!project && (
        <label className="text-sm">
          {t('slug')}
          <input name="slug" required pattern="[a-z0-9][a-z0-9\-]*" className={input} placeholder="support-chat" />
        </label>
      )}
      <label className="text-sm">
        {t('name')}
        <input name="name" required defaultValue={project?.name} className={input} />
      </label>
      <label className="text-sm sm:col-span-2">
        {t('instructions')}
        <textarea name="instructions" rows={3} defaultValue={project?.instructions} className={input} />
      </label>
      {NUMBERS.map((field) => (
        <label key={field} className="text-sm">
          {t(`fields.${field}`)}
          <input
            name={field}
            type="number"
            min={field === 'candidatesPerRanking' ? 2 : field === 'leaseMinutes' ? 1 : 0}
            max={field === 'candidatesPerRanking' ? 9 : field === 'leaseMinutes' ? 1440 : 20}
            defaultValue={project?.[field] ?? { demonstrationsPerItem: 1, rankingsPerItem: 3, candidatesPerRanking: 4, leaseMinutes: 30 }[field]}
            className={input}
          />
        </label>
      ))}
      <label className="text-sm">
        {t('status')}
        <select name="status" defaultValue={project?.status ?? 'OPEN'} className={input}>
          {(['OPEN', 'PAUSED', 'CLOSED'] as const).map((status) => (
            <option key={status} value={status}>
              {t(`statuses.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {project ? t('save') : t('create')}
        </button>
        {saved && <span className="text-sm text-green-700">{t('saved')}</span>}
        {error && (
          <span role="alert" className="text-sm text-red-700" data-testid="project-error">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
