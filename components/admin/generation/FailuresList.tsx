'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import type { GenerationRunView, ItemRef } from './types';

/** Every item an endpoint gave no usable answers for, with the reason the run recorded. */
export function FailuresList({ slug, failures, items }: { slug: string; failures: GenerationRunView['failures']; items: ItemRef[] }) {
  const t = useTranslations('generation');
  const byId = new Map(items.map((item) => [item.id, item]));
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <div className="overflow-x-auto rounded-lg border border-red-200">
      <table className="w-full text-sm" data-testid="failures">
        <thead className="bg-red-50 text-red-900">
          <tr>
            <th className={cell}>{t('failures.item')}</th>
            <th className={cell}>{t('failures.endpoint')}</th>
            <th className={cell}>{t('failures.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {failures.map((failure) => {
            const item = byId.get(failure.itemId);
            return (
              <tr key={`${failure.itemId}:${failure.endpoint}`} className="border-t border-red-100" data-testid="failure">
                <td className={cell}>
                  <Link href={`/admin/projects/${encodeURIComponent(slug)}/items?item=${encodeURIComponent(failure.itemId)}`} className="font-mono text-xs text-brand-700 hover:underline">
                    {item?.externalId ?? failure.itemId}
                  </Link>
                  {item?.excerpt && <span className="block text-xs text-slate-600">{item.excerpt}</span>}
                </td>
                <td className={cell}>{failure.endpoint}</td>
                <td className={`${cell} text-xs break-words`}>{failure.reason}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
