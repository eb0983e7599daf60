'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '@/components/label/api';
import { buttonClass, cardClass, inputClass } from '@/components/admin/exports/fields';
import { useErrorText } from '@/components/admin/useErrorText';
import { METHODS, SCHEDULE_FIELDS, SHAPE_FIELDS, type ExportChoice, type FormField, type TrainingMethod, type TrainingRunSummaryView, type TrainingRunView } from './types';

/**
 * Starts a run: the method, a past export of the kind it learns from, the SFT run to start
 * from (reward models may, DPO must), and the main hyper-parameters, each showing its default.
 * On success it opens the run's page, which follows it live.
 */
export function StartForm({ exports, baseRuns, defaults }: { exports: ExportChoice[]; baseRuns: TrainingRunSummaryView[]; defaults: Record<FormField, number> }) {
  const t = useTranslations('training');
  const format = useFormatter();
  const errorText = useErrorText('training');
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [method, setMethod] = useState<TrainingMethod>('sft');
  const [baseRun, setBaseRun] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const exportKind = method === 'sft' ? 'SFT' : 'PREFERENCE';
  const choices = exports.filter((e) => e.kind === exportKind);
  const fromBase = method !== 'sft' && baseRun !== '';
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  const chooseMethod = (next: TrainingMethod) => {
    setMethod(next);
    setError(null);
    // DPO cannot go without a base; offer the newest one rather than an empty choice.
    setBaseRun(next === 'dpo' ? (baseRuns[0]?.id ?? '') : '');
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (starting) return;
    const data = new FormData(formRef.current!);
    const config: Record<string, number> = {};
    for (const field of [...SHAPE_FIELDS, ...SCHEDULE_FIELDS]) {
      // Disabled fields (the shape, with a base run; β, outside DPO) are not in the form data.
      const value = data.get(field);
      if (value !== null && String(value).trim() !== '') config[field] = Number(value);
    }
    setStarting(true);
    setError(null);
    try {
      const { run } = await api<{ run: TrainingRunView }>('/api/admin/training', {
        method: 'POST',
        body: { method, exportRunId: String(data.get('exportRunId') ?? ''), initRunId: method === 'sft' ? null : baseRun || null, config },
      });
      router.push(`/admin/training/${run.id}`);
    } catch (e) {
      setError(errorText(e));
      setStarting(false);
    }
  };

  const base = fromBase ? baseRuns.find((run) => run.id === baseRun) : undefined;
  const numberField = (field: FormField, disabled = false) => (
    // Remounted when the base run changes, so a disabled shape field shows that run's value.
    <div key={`${field}:${disabled ? baseRun : ''}`} className="text-sm">
      <label htmlFor={`training-${field}`} className="block font-medium">
        {t(`form.fields.${field}`)}
      </label>
      <input
        id={`training-${field}`}
        name={field}
        type="number"
        step={field === 'learningRate' || field === 'beta' ? 'any' : 1}
        min={field === 'learningRate' || field === 'beta' ? undefined : 1}
        defaultValue={(disabled ? base?.config[field] : undefined) ?? defaults[field]}
        disabled={disabled}
        className={`${inputClass} disabled:bg-slate-100 disabled:text-slate-500`}
        aria-describedby={disabled ? undefined : `training-${field}-default`}
      />
      {!disabled && (
        <span id={`training-${field}-default`} className="text-xs text-slate-500">
          {t('form.default', { value: format.number(defaults[field], { maximumSignificantDigits: 6 }) })}
        </span>
      )}
    </div>
  );

  return (
    <form ref={formRef} onSubmit={submit} className={`${cardClass} space-y-4`} data-testid="training-form" noValidate>
      <h2 className="text-lg font-semibold">{t('form.title')}</h2>
      <div className="grid gap-4 md:grid-cols-3">
        <div className="text-sm">
          <label htmlFor="training-method" className="block font-medium">
            {t('form.method')}
          </label>
          <select id="training-method" value={method} onChange={(e) => chooseMethod(e.target.value as TrainingMethod)} className={inputClass}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`methods.${m}`)}
              </option>
            ))}
          </select>
          <span className="text-xs text-slate-500">{t(`methodHints.${method}`)}</span>
        </div>

        <div className="text-sm md:col-span-2">
          <label htmlFor="training-export" className="block font-medium">
            {t('form.export')}
          </label>
          {/* Keyed by kind so the first export of the new kind is chosen when the method changes. */}
          <select key={exportKind} id="training-export" name="exportRunId" className={inputClass} disabled={choices.length === 0}>
            {choices.map((e) => (
              <option key={e.id} value={e.id}>
                {t('form.exportOption', { project: e.project.name, format: e.format, rows: e.rows, date: date(e.createdAt) })}
              </option>
            ))}
          </select>
          {choices.length === 0 && <span className="text-xs text-amber-700">{t('form.noExports', { kind: method === 'sft' ? 'sft' : 'preference' })}</span>}
        </div>
      </div>

      {method !== 'sft' && (
        <div className="text-sm">
          <label htmlFor="training-base" className="block font-medium">
            {t('form.base')}
          </label>
          <select id="training-base" value={baseRun} onChange={(e) => setBaseRun(e.target.value)} className={inputClass}>
            <option value="">{method === 'dpo' ? t('form.baseChoose') : t('form.baseNone')}</option>
            {baseRuns.map((run) => (
              <option key={run.id} value={run.id}>
                {t('form.baseOption', { date: date(run.createdAt), project: run.export?.project.name ?? '—', steps: run.config.steps ?? 0 })}
              </option>
            ))}
          </select>
          {baseRuns.length === 0 && method === 'dpo' && <span className="text-xs text-amber-700">{t('form.noBaseRuns')}</span>}
          {fromBase && <span className="text-xs text-slate-500">{t('form.baseShape')}</span>}
        </div>
      )}

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">{t('form.shape')}</legend>
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-5">{SHAPE_FIELDS.map((field) => numberField(field, fromBase))}</div>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">{t('form.schedule')}</legend>
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {SCHEDULE_FIELDS.filter((field) => field !== 'beta' || method === 'dpo').map((field) => numberField(field))}
        </div>
      </fieldset>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={starting || choices.length === 0}>
        {starting ? t('form.starting') : t('form.start')}
      </button>
    </form>
  );
}
