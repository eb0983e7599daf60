'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ROLE_CHOICES, type PersonView, type RoleName } from './types';

export interface PeopleActions {
  changeRole: (person: PersonView, role: RoleName) => void;
  setActive: (person: PersonView, active: boolean) => void;
  resetPassword: (person: PersonView) => void;
}

/** Everyone, with a role picker and the account actions; the admin's own row cannot demote or deactivate itself. */
export function PeopleTable({ people, currentUserId, busy, actions }: { people: PersonView[]; currentUserId: string; busy: boolean; actions: PeopleActions }) {
  const t = useTranslations('people');
  const common = useTranslations('common');
  const [confirming, setConfirming] = useState<string | null>(null);
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="people-table">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('table.name')}</th>
            <th className={cell}>{t('table.email')}</th>
            <th className={cell}>{t('table.role')}</th>
            <th className={cell}>{t('table.status')}</th>
            <th className={cell}>{t('table.leases')}</th>
            <th className={cell}>{t('table.since')}</th>
            <th className={cell}>{t('table.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => {
            const self = person.id === currentUserId;
            return (
              <tr key={person.id} className={`border-t border-slate-100 ${person.active ? '' : 'bg-slate-50 text-slate-500'}`} data-testid={`person-${person.email}`}>
                <td className={cell}>
                  {person.name}
                  {self && <span className="ml-1 text-xs text-slate-500">({t('table.you')})</span>}
                </td>
                <td className={cell}>{person.email}</td>
                <td className={cell}>
                  <select
                    aria-label={t('table.changeRole', { name: person.name })}
                    value={person.role}
                    disabled={self || busy}
                    onChange={(e) => actions.changeRole(person, e.target.value as RoleName)}
                    className="rounded-md border border-slate-300 px-1 py-0.5"
                  >
                    {ROLE_CHOICES.map((role) => (
                      <option key={role} value={role}>
                        {common(`roles.${role}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className={cell} data-testid="status">
                  {person.active ? (
                    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{t('table.active')}</span>
                  ) : (
                    <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">{t('table.inactive')}</span>
                  )}
                </td>
                <td className={cell} data-testid="leases">
                  {person.activeLeases}
                </td>
                <td className={`${cell} whitespace-nowrap`}>{person.createdAt.slice(0, 10)}</td>
                <td className={cell}>
                  {confirming === person.id ? (
                    <div className="space-y-1" data-testid="confirm-deactivate">
                      <p className="text-xs text-slate-700">{t('actions.confirmDeactivate', { name: person.name })}</p>
                      <div className="flex gap-2">
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => {
                            setConfirming(null);
                            actions.setActive(person, false);
                          }}
                          className="rounded-md bg-red-700 px-2 py-0.5 text-xs text-white hover:bg-red-800"
                        >
                          {t('actions.confirm')}
                        </button>
                        <button type="button" onClick={() => setConfirming(null)} className="rounded-md border border-slate-300 px-2 py-0.5 text-xs">
                          {t('actions.cancel')}
                        </button>
                      </div>
                    </div>
                  ) : (
                    <div className="flex flex-wrap gap-2">
                      {person.active ? (
                        !self && (
                          <button type="button" disabled={busy} onClick={() => setConfirming(person.id)} className="text-red-700 hover:underline disabled:opacity-60">
                            {t('actions.deactivate')}
                          </button>
                        )
                      ) : (
                        <button type="button" disabled={busy} onClick={() => actions.setActive(person, true)} className="text-brand-700 hover:underline disabled:opacity-60">
                          {t('actions.reactivate')}
                        </button>
                      )}
                      <button type="button" disabled={busy} onClick={() => actions.resetPassword(person)} className="text-brand-700 hover:underline disabled:opacity-60">
                        {t('actions.resetPassword')}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
