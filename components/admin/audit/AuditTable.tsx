import { getTranslations } from 'next-intl/server';
import type { AuditRow } from '@/lib/audit-query';

const cell = 'px-3 py-2 text-left align-top';

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}`;
}

function Json({ value }: { value: unknown }) {
  return <pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

/** One page of audit entries, newest first; before/after open on demand. */
export async function AuditTable({ entries }: { entries: AuditRow[] }) {
  const t = await getTranslations('audit');
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="audit-table">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('table.time')}</th>
            <th className={cell}>{t('table.actor')}</th>
            <th className={cell}>{t('table.action')}</th>
            <th className={cell}>{t('table.entity')}</th>
            <th className={cell}>{t('table.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-slate-100" data-testid="audit-entry" data-action={entry.action}>
              <td className={`${cell} whitespace-nowrap font-mono text-xs`}>{utc(entry.createdAt)}</td>
              <td className={cell}>
                {entry.actor ? (
                  <>
                    <span className="block">{entry.actor.email}</span>
                    <span className="block text-xs text-slate-500">{entry.actor.name}</span>
                  </>
                ) : (
                  <span className="text-slate-500">{t('table.system')}</span>
                )}
                {entry.ip && <span className="block text-xs text-slate-400">{t('table.ip', { ip: entry.ip })}</span>}
              </td>
              <td className={cell}>
                <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{entry.action}</code>
              </td>
              <td className={cell}>
                <span className="block">{entry.entityType}</span>
                {entry.entityId && <span className="block font-mono text-xs text-slate-500">{entry.entityId}</span>}
              </td>
              <td className={cell}>
                {(entry.before !== null || entry.after !== null) && (
                  <details>
                    <summary className="cursor-pointer text-brand-700">{t('table.show')}</summary>
                    {entry.before !== null && (
                      <div className="mt-1">
                        <p className="text-xs font-medium text-slate-500">{t('table.before')}</p>
                        <Json value={entry.before} />
                      </div>
                    )}
                    {entry.after !== null && (
                      <div className="mt-1">
                        <p className="text-xs font-medium text-slate-500">{t('table.after')}</p>
                        <Json value={entry.after} />
                      </div>
                    )}
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
