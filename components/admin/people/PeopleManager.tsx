'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/components/label/api';
import { useErrorText } from '@/components/admin/useErrorText';
import { CreatePersonForm } from './CreatePersonForm';
import { InviteLinkForm } from './InviteLinkForm';
import { IssuedLink } from './IssuedLink';
import { PeopleTable, type PeopleActions } from './PeopleTable';
import type { IssuedLinkView, PersonView } from './types';

/** The People screen's interactive part: forms, the one-time link, and the table's actions. */
export function PeopleManager({ people, currentUserId }: { people: PersonView[]; currentUserId: string }) {
  const t = useTranslations('people');
  const common = useTranslations('common');
  const router = useRouter();
  const errorText = useErrorText('people');
  const [issued, setIssued] = useState<IssuedLinkView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async <T,>(work: () => Promise<T>, done: (result: T) => void) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      done(await work());
      router.refresh();
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  };

  const actions: PeopleActions = {
    changeRole: (person, role) =>
      void run(
        () => api(`/api/admin/people/${person.id}/role`, { method: 'PUT', body: { role } }),
        () => setNotice(t('actions.roleChanged', { name: person.name, role: common(`roles.${role}`) })),
      ),
    setActive: (person, active) =>
      void run(
        () => api<{ releasedLeases: number }>(`/api/admin/people/${person.id}/active`, { method: 'PUT', body: { active } }),
        (result) =>
          setNotice(active ? t('actions.reactivated', { name: person.name }) : t('actions.deactivated', { name: person.name, count: result.releasedLeases })),
      ),
    resetPassword: (person) =>
      void run(
        () => api<IssuedLinkView>(`/api/admin/people/${person.id}/password-reset`, { method: 'POST' }),
        (link) => setIssued(link),
      ),
  };

  return (
    <div className="space-y-6">
      {issued && <IssuedLink link={issued} onDismiss={() => setIssued(null)} />}
      <div className="grid gap-4 md:grid-cols-2">
        <CreatePersonForm
          onCreated={(email) => {
            setNotice(t('create.done', { email }));
            router.refresh();
          }}
        />
        <InviteLinkForm onIssued={setIssued} />
      </div>
      <section>
        <h2 className="mb-2 font-semibold">{t('table.title')}</h2>
        {notice && (
          <p role="status" data-testid="people-notice" className="mb-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            {notice}
          </p>
        )}
        {error && (
          <p role="alert" data-testid="people-error" className="mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <PeopleTable people={people} currentUserId={currentUserId} busy={busy} actions={actions} />
      </section>
    </div>
  );
}
