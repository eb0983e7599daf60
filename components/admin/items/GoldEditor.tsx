'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/components/label/api';
import { Markdown } from '@/components/ui/Markdown';
import { choicesFromTiers, tiersFromChoices, type GoldAnswer, type TierChoices } from '@/lib/projects/gold-tiers';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface GoldEditorItem {
  id: string;
  candidates: { id: string; content: string; model: string }[];
  gold: GoldAnswer | null;
}

/**
 * The admin's reference ranking: a tier per answer from a plain select whose options start with
 * their digit (Tab to the next answer, type the digit), so a ranking can be entered by keyboard.
 */
export function GoldEditor({ slug, item }: { slug: string; item: GoldEditorItem }) {
  const t = useTranslations('items.panel');
  const router = useRouter();
  const ids = item.candidates.map((c) => c.id);
  const letter = (id: string) => LETTERS[ids.indexOf(id)] ?? '?';
  const [choices, setChoices] = useState<TierChoices>(() => choicesFromTiers(ids, item.gold?.tiers ?? null));
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const tiers = tiersFromChoices(ids, choices);
  const url = `/api/admin/projects/${encodeURIComponent(slug)}/items/${encodeURIComponent(item.id)}/gold`;

  const errorText = (error: unknown) => {
    const code = error instanceof ApiError ? error.code : 'network';
    return t.has(`errors.${code}`) ? t(`errors.${code}`) : error instanceof Error ? error.message : t('errors.network');
  };
  const send = async (method: 'PUT' | 'DELETE', done: string) => {
    setPending(true);
    setMessage(null);
    try {
      await api(url, method === 'PUT' ? { method, body: { tiers } } : { method });
      setMessage({ kind: 'ok', text: done });
      router.refresh();
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    } finally {
      setPending(false);
    }
  };
  const save = () => {
    if (tiers.length < 2) setMessage({ kind: 'error', text: t('errors.tooFewTiers') });
    else void send('PUT', t('saved'));
  };

  const status = !item.gold ? t('status.none') : item.gold.source === 'admin' ? t('status.admin') : t('status.imported', { source: item.gold.source });
  if (item.candidates.length < 2) return <p className="text-sm text-slate-600">{t('noAnswers')}</p>;
  return (
    <div className="space-y-3" data-testid="gold-editor">
      <p className="text-sm font-medium" data-testid="gold-status">
        {status}
      </p>
      <p className="text-xs text-slate-500">{t('help')}</p>
      <ol className="space-y-2">
        {item.candidates.map((candidate) => (
          <li key={candidate.id} className="rounded-lg border border-slate-200 p-3" data-testid="gold-answer">
            <div className="mb-1 flex flex-wrap items-center gap-2">
              <span className="font-semibold">{t('answer', { letter: letter(candidate.id) })}</span>
              <span className="text-xs text-slate-500">{t('model', { model: candidate.model })}</span>
              <select
                aria-label={t('tierOf', { letter: letter(candidate.id) })}
                value={choices[candidate.id] ?? ''}
                onChange={(e) => setChoices((c) => ({ ...c, [candidate.id]: e.target.value === '' ? null : Number(e.target.value) }))}
                className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                <option value="">{t('leftOut')}</option>
                {ids.map((_, index) => (
                  <option key={index} value={index + 1}>
                    {index === 0 ? t('tierBest') : index + 1}
                  </option>
                ))}
              </select>
            </div>
            <Markdown text={candidate.content} className="text-sm" />
          </li>
        ))}
      </ol>
      <p className="text-sm" data-testid="gold-preview">
        {tiers.length === 0 ? t('previewEmpty') : `${t('preview')} ${tiers.map((tier) => tier.map(letter).join(' = ')).join(' > ')}`}
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={save}
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          data-testid="gold-save"
        >
          {item.gold ? t('update') : t('save')}
        </button>
        {item.gold && (
          <button
            type="button"
            onClick={() => void send('DELETE', t('removed'))}
            disabled={pending}
            className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50"
            data-testid="gold-remove"
          >
            {t('remove')}
          </button>
        )}
      </div>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`text-sm ${message.kind === 'error' ? 'text-red-700' : 'text-green-700'}`} data-testid="gold-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
