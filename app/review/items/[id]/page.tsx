import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Conversation } from '@/components/label/Conversation';
import { InvalidateRanking } from '@/components/review/InvalidateRanking';
import { AppShell } from '@/components/ui/AppShell';
import { Markdown } from '@/components/ui/Markdown';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { itemRankings, type ItemRankings } from '@/lib/review/rankings';

const FLAG_KEYS = new Set(['hallucination', 'unsafe', 'needless_refusal', 'off_topic', 'other']);
const letter = (index: number) => String.fromCharCode(65 + index);

export default async function ItemRankingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageAccess(`/review/items/${id}`);
  let view: ItemRankings;
  try {
    view = await itemRankings(getDb(), user.id, id);
  } catch (error) {
    if (error instanceof DomainError) redirect('/review?denied=1');
    throw error;
  }
  const t = await getTranslations('reviewing');
  const letters = new Map(view.candidates.map((c, i) => [c.id, letter(i)]));
  return (
    <AppShell user={user}>
      <Link href="/review" className="text-sm text-brand-700 underline">
        {t('backToQueue')}
      </Link>
      <h1 className="mt-2 text-2xl font-bold" data-testid="page-title">{t('rankingsTitle')}</h1>
      <p className="mt-1 text-slate-600">
        {view.item.project.name} · {t('rankingsIntro')}
      </p>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <section>
          <h2 className="mb-2 text-sm font-semibold uppercase text-slate-500">{t('conversation')}</h2>
          <Conversation system={view.item.system} messages={view.item.messages} />
        </section>
        <section>
          <h2 className="mb-2 text-sm font-semibold uppercase text-slate-500">{t('candidates')}</h2>
          <ol className="space-y-2" data-testid="candidates">
            {view.candidates.map((candidate, index) => (
              <li key={candidate.id} className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm">
                <p className="text-xs font-semibold text-slate-500">
                  {t('candidateLabel', { letter: letter(index) })} · {t('model', { model: candidate.model })}
                </p>
                <Markdown text={candidate.content} />
              </li>
            ))}
          </ol>
        </section>
      </div>

      <h2 className="mb-2 mt-8 font-semibold">{t('itemRankings')}</h2>
      {view.rankings.length === 0 ? (
        <p className="text-sm text-slate-600">{t('noRankings')}</p>
      ) : (
        <div className="flex gap-4 overflow-x-auto pb-2" data-testid="rankings">
          {view.rankings.map((ranking) => (
            <article
              key={ranking.id}
              data-testid="ranking"
              data-status={ranking.status}
              className={`w-80 shrink-0 rounded-xl border bg-white p-4 text-sm ${ranking.status === 'INVALID' ? 'border-red-300 opacity-80' : 'border-slate-200'}`}
            >
              <div className="flex items-center gap-2">
                <p className="font-medium" data-testid="ranking-author">{t('rankedBy', { name: ranking.author.name })}</p>
                <span className={`ml-auto rounded px-2 py-0.5 text-xs font-medium ${ranking.status === 'INVALID' ? 'bg-red-100 text-red-800' : 'bg-slate-100'}`}>
                  {t(`status.${ranking.status}`)}
                </span>
              </div>
              <p className="text-xs text-slate-500">
                {ranking.guideline ? t('guidelineVersion', { version: ranking.guideline.version, title: ranking.guideline.title }) : t('noGuideline')}
              </p>
              <ol className="mt-3 space-y-2">
                {ranking.tiers.map((tier, tierIndex) => (
                  <li key={tierIndex}>
                    <p className="text-xs font-semibold text-slate-500">
                      {t('rank', { n: tierIndex + 1 })}
                      {tier.length > 1 && ` (${t('tie')})`}
                    </p>
                    <ul className="space-y-1">
                      {tier.map((candidate) => {
                        const rating = ranking.ratings[candidate.id];
                        const flags = (ranking.flags[candidate.id] ?? []).filter((flag) => FLAG_KEYS.has(flag));
                        return (
                          <li key={candidate.id} className="rounded-md bg-slate-50 px-2 py-1">
                            <p>
                              <span className="mr-1 font-semibold">{letters.get(candidate.id) ?? '?'}</span>
                              <span className="line-clamp-3 whitespace-pre-wrap">{candidate.content}</span>
                            </p>
                            {rating && <p className="text-xs text-slate-500">{t('ratings', rating)}</p>}
                            {flags.length > 0 && (
                              <p className="mt-1 flex flex-wrap gap-1">
                                {flags.map((flag) => (
                                  <span key={flag} className="rounded bg-amber-100 px-1.5 text-xs text-amber-900">
                                    {t(`flags.${flag}`)}
                                  </span>
                                ))}
                              </p>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </li>
                ))}
              </ol>
              {ranking.allBad && <p className="mt-2 text-xs text-amber-900">{t('allBad')}</p>}
              <p className="mt-3 text-xs font-semibold uppercase text-slate-500">{t('rationale')}</p>
              <p className="whitespace-pre-wrap" data-testid="ranking-rationale">{ranking.rationale || t('noRationale')}</p>
              {ranking.review?.verdict === 'INVALIDATE' && (
                <p className="mt-3 rounded bg-red-50 px-2 py-1 text-red-800" data-testid="invalidated">
                  {t('invalidatedBy', { name: ranking.review.reviewerName, reason: ranking.review.comment })}
                </p>
              )}
              <div className="mt-3">
                {ranking.author.id === user.id ? (
                  <p className="text-xs text-slate-500">{t('ownRanking')}</p>
                ) : (
                  ranking.status !== 'INVALID' && <InvalidateRanking rankingId={ranking.id} />
                )}
              </div>
            </article>
          ))}
        </div>
      )}
    </AppShell>
  );
}
