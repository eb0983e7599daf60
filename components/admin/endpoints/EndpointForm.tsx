'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '@/components/label/api';
import { buttonClass, cardClass, inputClass, secondaryButtonClass } from '@/components/admin/exports/fields';
import { inputId, saveError, type EndpointView, type Field, type SaveError } from './types';

/** An input with its label, an optional hint, and the server's complaint about it right beneath. */
function Labelled({ field, label, hint, error, children }: { field: Field; label: string; hint?: string; error: SaveError | null; children: (describedBy: string | undefined) => ReactNode }) {
  const errorId = `${inputId(field)}-error`;
  const hintId = `${inputId(field)}-hint`;
  const mine = error?.field === field;
  const describedBy = [mine && errorId, hint && hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="text-sm">
      <label htmlFor={inputId(field)} className="block font-medium">
        {label}
      </label>
      {children(describedBy)}
      {hint && (
        <span id={hintId} className="text-xs text-slate-500">
          {hint}
        </span>
      )}
      {mine && (
        <p id={errorId} role="alert" className="mt-1 text-xs text-red-700" data-testid="field-error">
          {error.message}
        </p>
      )}
    </div>
  );
}

/**
 * Adds an endpoint, or edits the one given. The API key is write-only: blank on edit keeps the
 * stored key, and "remove the key" clears it. The server checks everything (the URL against
 * link-local and metadata addresses, among others) and its complaint appears beside the field.
 */
export function EndpointForm({ editing, onSaved, onCancel }: { editing: EndpointView | null; onSaved: (endpoint: EndpointView) => void; onCancel: () => void }) {
  const t = useTranslations('endpoints');
  const [error, setError] = useState<SaveError | null>(null);
  const [saving, setSaving] = useState(false);
  const [removeKey, setRemoveKey] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const number = (name: string) => (text(name).trim() === '' ? undefined : Number(text(name)));
    const key = text('apiKey');
    const body = {
      name: text('name'),
      baseUrl: text('baseUrl'),
      model: text('model'),
      // Omitted keeps the stored key (or stores none); "" clears it.
      ...(removeKey ? { apiKey: '' } : key !== '' && { apiKey: key }),
      defaults: { temperature: number('temperature'), topP: number('topP'), maxTokens: number('maxTokens') },
      active: data.get('active') === 'on',
    };
    setSaving(true);
    setError(null);
    try {
      const { endpoint } = editing
        ? await api<{ endpoint: EndpointView }>(`/api/admin/endpoints/${encodeURIComponent(editing.id)}`, { method: 'PUT', body })
        : await api<{ endpoint: EndpointView }>('/api/admin/endpoints', { method: 'POST', body });
      onSaved(endpoint);
    } catch (e) {
      setError(saveError(e, (code) => (t.has(`errors.${code}`) ? t(`errors.${code}`) : null)));
      setSaving(false);
    }
  };

  const numberInput = (field: Field, name: string, step: string, value: number | undefined) => (
    <Labelled field={field} label={t(`form.${name}`)} error={error}>
      {(describedBy) => (
        <input id={inputId(field)} name={name} type="number" step={step} min={0} defaultValue={value ?? ''} aria-describedby={describedBy} aria-invalid={error?.field === field} className={inputClass} />
      )}
    </Labelled>
  );

  return (
    <form onSubmit={submit} noValidate className={`${cardClass} space-y-4`} data-testid="endpoint-form" aria-labelledby="endpoint-form-title">
      <h2 id="endpoint-form-title" className="text-lg font-semibold">
        {editing ? t('form.editTitle', { name: editing.name }) : t('form.addTitle')}
      </h2>
      <div className="grid gap-4 md:grid-cols-3">
        <Labelled field="name" label={t('form.name')} error={error}>
          {(describedBy) => <input id={inputId('name')} name="name" defaultValue={editing?.name} maxLength={100} autoComplete="off" aria-describedby={describedBy} aria-invalid={error?.field === 'name'} className={inputClass} />}
        </Labelled>
        <Labelled field="baseUrl" label={t('form.baseUrl')} hint={t('form.baseUrlHint')} error={error}>
          {(describedBy) => (
            <input id={inputId('baseUrl')} name="baseUrl" type="url" defaultValue={editing?.baseUrl} placeholder="https://api.example.com/v1" autoComplete="off" aria-describedby={describedBy} aria-invalid={error?.field === 'baseUrl'} className={inputClass} />
          )}
        </Labelled>
        <Labelled field="model" label={t('form.model')} error={error}>
          {(describedBy) => <input id={inputId('model')} name="model" defaultValue={editing?.model} autoComplete="off" aria-describedby={describedBy} aria-invalid={error?.field === 'model'} className={inputClass} />}
        </Labelled>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <Labelled field="apiKey" label={t('form.apiKey')} hint={editing?.hasApiKey ? t('form.apiKeyKeep') : t('form.apiKeyHint')} error={error}>
          {(describedBy) => (
            <input id={inputId('apiKey')} name="apiKey" type="password" autoComplete="new-password" disabled={removeKey} aria-describedby={describedBy} aria-invalid={error?.field === 'apiKey'} className={`${inputClass} disabled:bg-slate-100`} />
          )}
        </Labelled>
        {editing?.hasApiKey && (
          <label className="flex items-center gap-2 self-center text-sm">
            <input type="checkbox" checked={removeKey} onChange={(e) => setRemoveKey(e.target.checked)} />
            {t('form.removeKey')}
          </label>
        )}
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">{t('form.defaults')}</legend>
        <p className="text-xs text-slate-500">{t('form.defaultsHint')}</p>
        <div className="grid gap-4 sm:grid-cols-3">
          {numberInput('defaults.temperature', 'temperature', '0.1', editing?.defaults.temperature)}
          {numberInput('defaults.topP', 'topP', '0.05', editing?.defaults.topP)}
          {numberInput('defaults.maxTokens', 'maxTokens', '1', editing?.defaults.maxTokens)}
        </div>
      </fieldset>

      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="active" defaultChecked={editing?.active ?? true} />
        {t('form.active')}
      </label>

      {error && !error.field && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error.message}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={saving}>
          {saving ? t('form.saving') : editing ? t('form.save') : t('form.add')}
        </button>
        {editing && (
          <button type="button" className={secondaryButtonClass} onClick={onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
