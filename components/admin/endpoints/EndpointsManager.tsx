'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { EndpointForm } from './EndpointForm';
import { EndpointsTable } from './EndpointsTable';
import type { EndpointView } from './types';

const byName = (a: EndpointView, b: EndpointView) => a.name.localeCompare(b.name);

/** The endpoints screen: the table, and one form that adds an endpoint or edits the chosen one. */
export function EndpointsManager({ initial }: { initial: EndpointView[] }) {
  const t = useTranslations('endpoints');
  const [endpoints, setEndpoints] = useState(initial);
  const [editing, setEditing] = useState<EndpointView | null>(null);
  // A new key after each save empties the form (its inputs are uncontrolled).
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const saved = (endpoint: EndpointView) => {
    setEndpoints((list) => [...list.filter((e) => e.id !== endpoint.id), endpoint].sort(byName));
    setNotice(t(editing ? 'form.updated' : 'form.added', { name: endpoint.name }));
    setEditing(null);
    setGeneration((n) => n + 1);
  };
  const edit = (endpoint: EndpointView) => {
    setNotice(null);
    setEditing(endpoint);
    setGeneration((n) => n + 1);
  };
  const cancel = () => {
    setEditing(null);
    setGeneration((n) => n + 1);
  };

  return (
    <div className="space-y-6">
      <section className="space-y-2" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="text-lg font-semibold">
          {t('table.title')}
        </h2>
        <EndpointsTable endpoints={endpoints} editingId={editing?.id ?? null} onEdit={edit} />
      </section>
      {notice && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      )}
      <EndpointForm key={`${editing?.id ?? 'new'}:${generation}`} editing={editing} onSaved={saved} onCancel={cancel} />
    </div>
  );
}
