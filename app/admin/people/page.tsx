import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { PeopleManager } from '@/components/admin/people/PeopleManager';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { listPeople } from '@/lib/people/users';

export default async function PeoplePage() {
  const user = await requirePageAccess('/admin/people');
  const t = await getTranslations('people');
  const people = await listPeople(getDb());
  return (
    <AppShell user={user}>
      <AdminNav current="people" />
      <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
      <p className="mt-1 mb-6 text-slate-600">{t('intro')}</p>
      <PeopleManager people={people.map((person) => ({ ...person, createdAt: person.createdAt.toISOString() }))} currentUserId={user.id} />
    </AppShell>
  );
}
