'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { secondaryButtonClass } from '@/components/admin/exports/fields';
import type { EndpointView } from './types';

/** Registered endpoints: where they are, which model, whether a key is stored, their default sampling. */
export function EndpointsTable({ endpoints, editingId, onEdit }: { endpoints: EndpointView[]; editingId: string | null; onEdit: (endpoint: EndpointView) => void }) {
  const t = useTranslations('endpoints');
  const format = useFormatter();
  const cell = 'px-3 py-2 text-left align-top';
  const defaults = (endpoint: EndpointView) => {
    const parts = [
      endpoint.defaults.temperature !== undefined && t('table.temperature', { value: format.number(endpoint.defaults.temperature) }),
      endpoint.defaults.topP !== undefined && t('table.topP', { value: format.number(endpoint.defaults.topP) }),
      endpoint.defaults.maxTokens !== undefined && t('table.maxTokens', { value: endpoint.defaults.maxTokens }),
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(' · ') : t('table.noDefaults');
  };

  if (endpoints.length === 0) return <p className="text-sm text-slate-600">{t('table.empty')}</p>;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="endpoints-table">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className={cell}>{t('table.name')}</th>
            <th className={cell}>{t('table.baseUrl')}</th>
            <th className={cell}>{t('table.model')}</th>
            <th className={cell}>{t('table.apiKey')}</th>
            <th className={cell}>{t('table.defaults')}</th>
            <th className={cell}>{t('table.active')}</th>
            <th className={cell}>
              <span className="sr-only">{t('table.edit')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} className={`border-t border-slate-100 ${editingId === endpoint.id ? 'bg-brand-50' : ''}`} data-testid={`endpoint-row-${endpoint.name}`}>
              <td className={`${cell} font-medium`}>{endpoint.name}</td>
              <td className={`${cell} font-mono text-xs break-all`}>{endpoint.baseUrl}</td>
              <td className={`${cell} font-mono text-xs break-all`}>{endpoint.model}</td>
              <td className={cell}>{endpoint.hasApiKey ? t('table.keySet') : t('table.keyNotSet')}</td>
              <td className={`${cell} text-xs`}>{defaults(endpoint)}</td>
              <td className={cell}>{endpoint.active ? t('table.yes') : t('table.no')}</td>
              <td className={cell}>
                <button type="button" className={`${secondaryButtonClass} px-3 py-1`} onClick={() => onEdit(endpoint)} aria-label={t('table.editOne', { name: endpoint.name })}>
                  {t('table.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
