'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import type { IssuedLinkView } from './types';

/** The one time a link's token is visible: a full URL to copy and hand over. */
export function IssuedLink({ link, onDismiss }: { link: IssuedLinkView; onDismiss: () => void }) {
  const t = useTranslations('people');
  const locale = useLocale();
  const [copied, setCopied] = useState(false);
  const url = `${typeof window === 'undefined' ? '' : window.location.origin}${link.path}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Clipboard access can be refused; the field stays selectable by hand.
    }
  };
  return (
    <section role="status" className="rounded-xl border border-emerald-200 bg-emerald-50 p-4" data-testid="issued-link" data-purpose={link.purpose}>
      <h2 className="font-semibold text-emerald-900">
        {link.purpose === 'INVITE' ? t('link.inviteTitle', { email: link.email }) : t('link.resetTitle', { email: link.email })}
      </h2>
      <p className="mt-1 text-sm text-emerald-900">{t('link.note', { expiresAt: new Date(link.expiresAt).toLocaleString(locale) })}</p>
      <div className="mt-2 flex flex-wrap gap-2">
        <input
          readOnly
          value={url}
          aria-label={t('link.label')}
          data-testid="issued-link-url"
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-2 py-1 font-mono text-sm"
        />
        <button type="button" onClick={() => void copy()} className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">
          {copied ? t('link.copied') : t('link.copy')}
        </button>
        <button type="button" onClick={onDismiss} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm">
          {t('link.dismiss')}
        </button>
      </div>
    </section>
  );
}
