import { getFormatter, getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { GuidelinesHeader } from '@/components/admin/guidelines/GuidelinesHeader';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { guidelineAcknowledgements } from '@/lib/guidelines/admin';
import { projectOr404 } from '../project';

export default async function GuidelineAcknowledgementsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${encodeURIComponent(slug)}/guidelines/acknowledgements`);
  const db = getDb();
  const project = await projectOr404(db, slug);
  const t = await getTranslations('guidelines');
  const common = await getTranslations('common');
  const format = await getFormatter();
  const report = await guidelineAcknowledgements(db, project.id);
  const when = (date: Date) => format.dateTime(date, { dateStyle: 'medium', timeStyle: 'short' });
  const cell = 'px-3 py-2 text-left';

  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <GuidelinesHeader project={project} current="acknowledgements" />

      {report.latestVersion === null ? (
        <p className="text-sm text-slate-600">{t('acks.none')}</p>
      ) : (
        <>
          <section data-testid="pending-acks">
            <h2 className="mb-2 font-semibold">{t('acks.pendingHeading', { version: report.latestVersion })}</h2>
            {report.notAcknowledged.length === 0 ? (
              <p className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">{t('acks.allRead', { members: report.members, version: report.latestVersion })}</p>
            ) : (
              <>
                <p className="mb-2 text-sm text-slate-600">
                  {t('acks.pendingSummary', { pending: report.notAcknowledged.length, members: report.members, version: report.latestVersion })}
                </p>
                <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
                  <table className="w-full text-sm">
                    <thead className="bg-slate-50 text-slate-600">
                      <tr>
                        <th className={cell}>{t('acks.name')}</th>
                        <th className={cell}>{t('acks.email')}</th>
                        <th className={cell}>{t('acks.role')}</th>
                        <th className={cell}>{t('acks.lastRead')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.notAcknowledged.map((member) => (
                        <tr key={member.user.id} className="border-t border-slate-100">
                          <td className={cell}>{member.user.name}</td>
                          <td className={cell}>{member.user.email}</td>
                          <td className={cell}>{common(`roles.${member.role}`)}</td>
                          <td className={cell}>
                            {member.lastVersion === null ? (
                              <span className="text-slate-500">{t('acks.never')}</span>
                            ) : (
                              t('acks.versionShort', { version: member.lastVersion })
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>

          <section className="mt-6">
            <h2 className="mb-2 font-semibold">{t('acks.perVersion')}</h2>
            <div className="space-y-2">
              {report.versions.map((version, index) => (
                <details key={version.version} open={index === 0} className="rounded-xl border border-slate-200 bg-white" data-testid={`acks-v${version.version}`}>
                  <summary className="cursor-pointer px-4 py-2 text-sm">
                    <span className="font-medium">{t('acks.versionHeading', { version: version.version, title: version.title })}</span>
                    <span className="text-slate-500">
                      {' · '}
                      {t('acks.publishedOn', { date: when(version.publishedAt) })}
                      {' · '}
                      {t('acks.count', { count: version.acks.length })}
                    </span>
                  </summary>
                  {version.acks.length === 0 ? (
                    <p className="border-t border-slate-100 px-4 py-2 text-sm text-slate-500">{t('acks.nobody')}</p>
                  ) : (
                    <table className="w-full border-t border-slate-100 text-sm">
                      <thead className="bg-slate-50 text-slate-600">
                        <tr>
                          <th className={cell}>{t('acks.name')}</th>
                          <th className={cell}>{t('acks.email')}</th>
                          <th className={cell}>{t('acks.when')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {version.acks.map((ack) => (
                          <tr key={ack.user.id} className="border-t border-slate-100">
                            <td className={cell}>{ack.user.name}</td>
                            <td className={cell}>{ack.user.email}</td>
                            <td className={cell}>{when(ack.acknowledgedAt)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </details>
              ))}
            </div>
          </section>
        </>
      )}
    </AppShell>
  );
}
