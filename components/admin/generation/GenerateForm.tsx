'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { buttonClass, cardClass, inputClass } from '@/components/admin/exports/fields';
import { useErrorText } from '@/components/admin/useErrorText';
import { runsUrl, type EndpointChoice, type GenerationRunView } from './types';

/** One endpoint's row: use it or not, and how many answers with which sampling. */
function EndpointChoiceFields({ endpoint, maxN, chosen, onToggle }: { endpoint: EndpointChoice; maxN: number; chosen: boolean; onToggle: (on: boolean) => void }) {
  const t = useTranslations('generation');
  const id = (field: string) => `gen-${endpoint.id}-${field}`;
  const number = (field: string, label: string, value: number | undefined, attrs: { min?: number; max?: number; step?: string }) => (
    <div className="text-sm">
      <label htmlFor={id(field)} className="block">
        {label}
      </label>
      <input id={id(field)} name={`${field}:${endpoint.id}`} type="number" defaultValue={value ?? ''} disabled={!chosen} className={`${inputClass} disabled:bg-slate-100`} {...attrs} />
    </div>
  );
  return (
    <fieldset className={`rounded-lg border p-3 ${chosen ? 'border-brand-600 bg-brand-50' : 'border-slate-200'}`} data-testid={`endpoint-choice-${endpoint.name}`}>
      <legend className="px-1">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={chosen} onChange={(e) => onToggle(e.target.checked)} />
          {t('form.use', { name: endpoint.name })}
          <span className="font-mono text-xs font-normal text-slate-500">{endpoint.model}</span>
        </label>
      </legend>
      <div className="grid gap-3 sm:grid-cols-4">
        {number('n', t('form.n', { max: maxN }), 1, { min: 1, max: maxN, step: '1' })}
        {number('temperature', t('form.temperature'), endpoint.defaults.temperature, { min: 0, max: 2, step: '0.1' })}
        {number('topP', t('form.topP'), endpoint.defaults.topP, { min: 0, max: 1, step: '0.05' })}
        {number('maxTokens', t('form.maxTokens'), endpoint.defaults.maxTokens, { min: 1, step: '1' })}
      </div>
    </fieldset>
  );
}

/**
 * Starts a generation run: the endpoints to ask (sampling prefilled from each one's defaults),
 * which items, and how many calls at once. The server validates all of it. `preselected` comes
 * from a round's "generate with its model": that endpoint, for the items nobody has ranked.
 */
export function GenerateForm({
  slug,
  endpoints,
  counts,
  maxN,
  preselected,
  onStarted,
}: {
  slug: string;
  endpoints: EndpointChoice[];
  counts: { all: number; unranked: number };
  maxN: number;
  preselected?: string;
  onStarted: (run: GenerationRunView) => void;
}) {
  const t = useTranslations('generation');
  const errorText = useErrorText('generation');
  const fromRound = endpoints.some((e) => e.id === preselected);
  const [chosen, setChosen] = useState<string[]>(fromRound ? [preselected!] : endpoints.length === 1 ? [endpoints[0]!.id] : []);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (starting) return;
    const data = new FormData(event.currentTarget);
    // Blank means "the endpoint's default" (or the server's); the server checks the ranges.
    const number = (name: string) => {
      const raw = String(data.get(name) ?? '').trim();
      return raw === '' ? undefined : Number(raw);
    };
    const body = {
      endpoints: endpoints
        .filter((e) => chosen.includes(e.id))
        .map((e) => ({ endpointId: e.id, n: number(`n:${e.id}`), temperature: number(`temperature:${e.id}`), topP: number(`topP:${e.id}`), maxTokens: number(`maxTokens:${e.id}`) })),
      unrankedOnly: data.get('items') === 'unranked',
      limit: number('limit'),
      concurrency: number('concurrency'),
    };
    setStarting(true);
    setError(null);
    try {
      onStarted((await api<{ run: GenerationRunView }>(runsUrl(slug), { method: 'POST', body })).run);
    } catch (e) {
      setError(errorText(e));
    }
    setStarting(false);
  };

  if (endpoints.length === 0) {
    return (
      <p className={`${cardClass} text-sm text-slate-700`} data-testid="no-endpoints">
        {t.rich('form.noEndpoints', {
          link: (chunks) => (
            <Link href="/admin/endpoints" className="text-brand-700 hover:underline">
              {chunks}
            </Link>
          ),
        })}
      </p>
    );
  }

  return (
    <form onSubmit={submit} noValidate className={`${cardClass} space-y-4`} data-testid="generate-form" aria-labelledby="generate-form-title">
      <h2 id="generate-form-title" className="text-lg font-semibold">
        {t('form.title')}
      </h2>
      <div className="space-y-3">
        {endpoints.map((endpoint) => (
          <EndpointChoiceFields
            key={endpoint.id}
            endpoint={endpoint}
            maxN={maxN}
            chosen={chosen.includes(endpoint.id)}
            onToggle={(on) => setChosen((ids) => (on ? [...ids, endpoint.id] : ids.filter((id) => id !== endpoint.id)))}
          />
        ))}
      </div>

      <fieldset className="space-y-1 text-sm">
        <legend className="font-semibold">{t('form.items')}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="items" value="all" defaultChecked={!fromRound} />
          {t('form.allItems', { count: counts.all })}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="items" value="unranked" defaultChecked={fromRound} />
          {t('form.unrankedItems', { count: counts.unranked })}
        </label>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <div className="text-sm">
          <label htmlFor="gen-limit" className="block font-medium">
            {t('form.limit')}
          </label>
          <input id="gen-limit" name="limit" type="number" min={1} step="1" aria-describedby="gen-limit-hint" className={inputClass} />
          <span id="gen-limit-hint" className="text-xs text-slate-500">
            {t('form.limitHint')}
          </span>
        </div>
        <div className="text-sm">
          <label htmlFor="gen-concurrency" className="block font-medium">
            {t('form.concurrency')}
          </label>
          <input id="gen-concurrency" name="concurrency" type="number" min={1} max={32} step="1" defaultValue={4} aria-describedby="gen-concurrency-hint" className={inputClass} />
          <span id="gen-concurrency-hint" className="text-xs text-slate-500">
            {t('form.concurrencyHint')}
          </span>
        </div>
      </div>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={starting || chosen.length === 0}>
        {starting ? t('form.starting') : t('form.generate')}
      </button>
      {chosen.length === 0 && <p className="text-xs text-slate-500">{t('form.chooseOne')}</p>}
    </form>
  );
}
