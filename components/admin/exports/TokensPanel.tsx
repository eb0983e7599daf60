'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { useErrorText } from '@/components/admin/useErrorText';
import { Timestamp } from '@/components/ui/Timestamp';
import { useOrigin } from '@/components/ui/useOrigin';
import { buttonClass, cardClass, inputClass, secondaryButtonClass } from './fields';
import type { CreatedToken, TokenView } from './types';

const curlExample = (origin: string, project: string, token: string) =>
  `curl -H "Authorization: Bearer ${token}" "${origin}/api/export/${project}?kind=preference&format=trl&split=train"`;
const openaiExample = (origin: string, token: string) =>
  `curl -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" ${origin}/v1/chat/completions \\\n  -d '{"model": "<training run id>", "messages": [{"role": "user", "content": "Hello"}]}'`;

const SCOPES = ['export', 'inference'] as const;

/** API tokens for pipelines: create one (shown once, with a curl example), see when each was last used, revoke. */
export function TokensPanel({ initialTokens, project }: { initialTokens: TokenView[]; project: string }) {
  const t = useTranslations('exports');
  const format = useFormatter();
  const errorText = useErrorText('exports');
  const origin = useOrigin();
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<(CreatedToken & { scopes: string[] }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const exampleProject = project || 'demo';

  const reload = async () => setTokens((await api<{ tokens: TokenView[] }>('/api/admin/tokens')).tokens);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const scopes = SCOPES.filter((scope) => data.get(`scope-${scope}`) === 'on');
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const token = await api<CreatedToken>('/api/admin/tokens', { method: 'POST', body: { name, scopes } });
      form.reset();
      setCopied(false);
      setCreated({ ...token, scopes });
      await reload();
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  };

  const revoke = async (token: TokenView) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api(`/api/admin/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
      if (created?.id === token.id) setCreated(null);
      setNotice(t('tokens.revoked', { name: token.name }));
      await reload();
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // Clipboard access can be refused; the field stays selectable by hand.
    }
  };

  const cell = 'px-3 py-2 text-left';
  return (
    <section className="space-y-3" data-testid="api-tokens">
      <h2 className="text-lg font-semibold">{t('tokens.title')}</h2>
      <p className="text-sm text-slate-600">{t('tokens.intro')}</p>
      <form onSubmit={create} className={`${cardClass} flex flex-wrap items-end gap-3`} data-testid="token-form">
        <label className="block min-w-64 flex-1 text-sm">
          {t('tokens.name')}
          <input name="name" required maxLength={100} autoComplete="off" className={inputClass} />
        </label>
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">{t('tokens.scopes')}</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-1.5">
              <input type="checkbox" name={`scope-${scope}`} defaultChecked={scope === 'export'} />
              {t(`tokens.scope.${scope}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy} className={buttonClass}>
          {busy ? t('tokens.creating') : t('tokens.create')}
        </button>
      </form>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="tokens-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm" data-testid="tokens-notice">
          {notice}
        </p>
      )}

      {created && (
        <div role="status" className="space-y-2 rounded-xl border border-emerald-200 bg-emerald-50 p-4" data-testid="issued-token">
          <h3 className="font-semibold text-emerald-900">{t('tokens.createdTitle', { name: created.name })}</h3>
          <p className="text-sm text-emerald-900">{t('tokens.once')}</p>
          <div className="flex flex-wrap gap-2">
            <input
              readOnly
              value={created.token}
              aria-label={t('tokens.value')}
              data-testid="issued-token-value"
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-2 py-1 font-mono text-sm"
            />
            <button type="button" onClick={() => void copy(created.token)} className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </button>
            <button type="button" onClick={() => setCreated(null)} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm">
              {t('tokens.dismiss')}
            </button>
          </div>
          <p className="text-sm text-emerald-900">{t('tokens.example')}</p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid="curl-example">
            {[
              ...(created.scopes.includes('export') ? [curlExample(origin, exampleProject, created.token)] : []),
              ...(created.scopes.includes('inference') ? [openaiExample(origin, created.token)] : []),
            ].join('\n\n')}
          </pre>
        </div>
      )}

      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600">{t('tokens.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="tokens-list">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className={cell}>{t('tokens.name')}</th>
                <th className={cell}>{t('tokens.scopes')}</th>
                <th className={cell}>{t('tokens.owner')}</th>
                <th className={cell}>{t('tokens.created')}</th>
                <th className={cell}>{t('tokens.lastUsed')}</th>
                <th className={cell}>{t('tokens.state')}</th>
                <th className={cell} />
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} className="border-t border-slate-100" data-testid={`token-${token.id}`}>
                  <td className={`${cell} font-medium`}>{token.name}</td>
                  <td className={cell}>{token.scopes.map((scope) => t(`tokens.scope.${scope as (typeof SCOPES)[number]}`)).join(', ')}</td>
                  <td className={cell}>{token.user.email}</td>
                  <td className={cell}>
                    <Timestamp iso={token.createdAt} />
                  </td>
                  <td className={cell}>
                    {token.lastUsedAt ? (
                      <Timestamp iso={token.lastUsedAt} />
                    ) : (
                      t('tokens.never')
                    )}
                  </td>
                  <td className={cell}>
                    {token.revokedAt ? (
                      <span className="text-slate-500" suppressHydrationWarning>
                        {t('tokens.revokedAt', { time: when(token.revokedAt) })}
                      </span>
                    ) : (
                      <span className="text-emerald-700">{t('tokens.active')}</span>
                    )}
                  </td>
                  <td className={`${cell} text-right`}>
                    {!token.revokedAt && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void revoke(token)}
                        aria-label={t('tokens.revokeName', { name: token.name })}
                        className={secondaryButtonClass}
                      >
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
