'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '@/components/label/api';
import { PREFERENCE_FORMATS, SFT_FORMATS } from '@/lib/export/options';
import { useErrorText } from '@/components/admin/useErrorText';
import { buttonClass, cardClass, inputClass, secondaryButtonClass } from './fields';
import { fileUrl, type ExportRunView, type ProjectChoice } from './types';

type Kind = 'sft' | 'preference';
type Mode = 'per-labeler' | 'aggregate';
const FORMATS = { sft: SFT_FORMATS, preference: PREFERENCE_FORMATS } as const;

interface Progress {
  state: 'running' | 'done' | 'failed';
  rows: number;
}

/** `YYYY-MM-DD` from a date field as the start of that day in UTC, or of the next one (an inclusive end). */
function utcDay(value: FormDataEntryValue | null, nextDay = false): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value ?? ''));
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (nextDay ? 1 : 0))).toISOString();
}

const numberOr = (value: FormDataEntryValue | null, fallback: number) => (value === null || String(value).trim() === '' ? fallback : Number(value));

/**
 * The export form: every option the export engine takes, a preview of the first rows, and a
 * run with a progress bar fed by the server's NDJSON progress lines, then the download links.
 */
export function ExportForm({
  projects,
  project,
  onProjectChange,
  onFinished,
}: {
  projects: ProjectChoice[];
  project: string;
  onProjectChange: (slug: string) => void;
  onFinished: (run: ExportRunView | null) => void;
}) {
  const t = useTranslations('exports');
  const errorText = useErrorText('exports');
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<Kind>('preference');
  const [format, setFormat] = useState<string>('trl');
  const [mode, setMode] = useState<Mode>('per-labeler');
  const [preview, setPreview] = useState<object[] | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<ExportRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const versions = projects.find((p) => p.slug === project)?.guidelineVersions ?? [];
  const running = progress?.state === 'running';

  const chooseKind = (next: Kind) => {
    setKind(next);
    setFormat(FORMATS[next][0]);
  };

  const request = () => {
    const data = new FormData(formRef.current!);
    const guidelineVersions = data.getAll('guidelineVersions').map(Number);
    return {
      project,
      options: {
        kind,
        format,
        ...(kind === 'preference' ? { mode } : { reviewStatus: String(data.get('reviewStatus') ?? 'submitted'), bestOfN: data.get('bestOfN') === 'on' }),
        ...(kind === 'preference' && mode === 'aggregate' ? { minAgreement: numberOr(data.get('minAgreement'), 0) } : {}),
        ...(guidelineVersions.length > 0 ? { guidelineVersions } : {}),
        from: utcDay(data.get('from')),
        to: utcDay(data.get('to'), true),
        unsafe: String(data.get('unsafe') ?? 'include'),
        refusals: String(data.get('refusals') ?? 'include'),
        metadata: data.get('metadata') === 'on',
        testFraction: numberOr(data.get('testFraction'), 0),
        seed: numberOr(data.get('seed'), 1),
      },
    };
  };

  const showPreview = async () => {
    if (!project || previewing) return;
    setPreviewing(true);
    setError(null);
    try {
      const body = await api<{ rows: object[] }>('/api/admin/exports/preview', { method: 'POST', body: request() });
      setPreview(body.rows);
    } catch (e) {
      setPreview(null);
      setError(errorText(e));
    }
    setPreviewing(false);
  };

  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!project || running) return;
    setError(null);
    setResult(null);
    setProgress({ state: 'running', rows: 0 });
    let finished: ExportRunView | null = null;
    let failed = false;
    try {
      const response = await fetch('/api/admin/exports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request()),
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
        throw new ApiError(body?.error ?? `http_${response.status}`, body?.message ?? response.statusText, response.status);
      }
      const handle = (line: string) => {
        if (!line.trim()) return;
        const message = JSON.parse(line) as { type: string; rows?: number; run?: ExportRunView; message?: string };
        if (message.type === 'progress') setProgress({ state: 'running', rows: message.rows ?? 0 });
        else if (message.type === 'done' && message.run) finished = message.run;
        else if (message.type === 'failed') failed = true;
      };
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split('\n');
        // The last piece may be a line still arriving.
        buffer = lines.pop() ?? '';
        lines.forEach(handle);
        if (done) break;
      }
      handle(buffer);
    } catch (e) {
      setProgress(null);
      setError(errorText(e));
      return;
    }
    const done = finished as ExportRunView | null;
    if (failed || !done) {
      setProgress((p) => ({ state: 'failed', rows: p?.rows ?? 0 }));
      setError(t('progress.failed'));
    } else {
      setProgress({ state: 'done', rows: done.rows });
      setResult(done);
    }
    onFinished(done);
  };

  const label = 'block text-sm';
  const legend = 'mb-1 text-sm font-semibold text-slate-700';
  return (
    <section className="space-y-4">
      <form ref={formRef} onSubmit={run} noValidate className={`${cardClass} space-y-4`} data-testid="export-form">
        <h2 className="font-semibold">{t('form.title')}</h2>
        {projects.length === 0 && <p className="text-sm text-slate-600">{t('form.noProjects')}</p>}
        <div className="grid gap-3 md:grid-cols-3">
          <label className={label}>
            {t('form.project')}
            <select name="project" value={project} onChange={(e) => onProjectChange(e.target.value)} className={inputClass}>
              {projects.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name} ({p.slug})
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t('form.kind')}
            <select name="kind" value={kind} onChange={(e) => chooseKind(e.target.value as Kind)} className={inputClass}>
              {(['sft', 'preference'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`form.kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t('form.format')}
            <select name="format" value={format} onChange={(e) => setFormat(e.target.value)} className={inputClass}>
              {FORMATS[kind].map((f) => (
                <option key={f} value={f}>
                  {t(`form.formats.${f}`)}
                </option>
              ))}
            </select>
          </label>
          {kind === 'preference' ? (
            <>
              <label className={label}>
                {t('form.mode')}
                <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)} className={inputClass}>
                  {(['per-labeler', 'aggregate'] as const).map((m) => (
                    <option key={m} value={m}>
                      {t(`form.modes.${m}`)}
                    </option>
                  ))}
                </select>
              </label>
              {mode === 'aggregate' && (
                <label className={label}>
                  {t('form.minAgreement')}
                  <input name="minAgreement" type="number" min={0} max={1} step={0.05} defaultValue={0.6} className={inputClass} />
                </label>
              )}
            </>
          ) : (
            <label className={label}>
              {t('form.reviewStatus')}
              <select name="reviewStatus" defaultValue="submitted" className={inputClass}>
                {(['submitted', 'approved'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`form.reviewStatuses.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>

        <fieldset className="space-y-3 border-t border-slate-100 pt-3">
          <legend className={legend}>{t('form.filters')}</legend>
          <div className="text-sm">
            <span>{t('form.guidelineVersions')}</span>
            {versions.length === 0 ? (
              <p className="text-slate-500">{t('form.noVersions')}</p>
            ) : (
              <div className="mt-1 flex flex-wrap items-center gap-3" key={project}>
                {versions.map((v) => (
                  <label key={v} className="flex items-center gap-1">
                    <input type="checkbox" name="guidelineVersions" value={v} />
                    {t('form.version', { version: v })}
                  </label>
                ))}
                <span className="text-xs text-slate-500">{t('form.guidelineVersionsHint')}</span>
              </div>
            )}
          </div>
          <div className="grid gap-3 md:grid-cols-4">
            <label className={label}>
              {t('form.from')}
              <input name="from" type="date" className={inputClass} />
            </label>
            <label className={label}>
              {t('form.to')}
              <input name="to" type="date" className={inputClass} />
            </label>
            <label className={label}>
              {t('form.unsafe')}
              <select name="unsafe" defaultValue="include" className={inputClass}>
                {(['include', 'exclude', 'only'] as const).map((u) => (
                  <option key={u} value={u}>
                    {t(`form.unsafeChoices.${u}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className={label}>
              {t('form.refusals')}
              <select name="refusals" defaultValue="include" className={inputClass}>
                {(['include', 'drop'] as const).map((r) => (
                  <option key={r} value={r}>
                    {t(`form.refusalChoices.${r}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {kind === 'sft' && (
            <label className="flex items-center gap-2 text-sm">
              <input name="bestOfN" type="checkbox" />
              {t('form.bestOfN')}
            </label>
          )}
        </fieldset>

        <fieldset className="space-y-3 border-t border-slate-100 pt-3">
          <legend className={legend}>{t('form.output')}</legend>
          <label className="flex items-center gap-2 text-sm">
            <input name="metadata" type="checkbox" />
            {t('form.metadata')}
          </label>
          <div className="grid gap-3 md:grid-cols-4">
            <label className={label}>
              {t('form.testFraction')}
              <input name="testFraction" type="number" min={0} max={0.9} step={0.05} defaultValue={0} className={inputClass} />
            </label>
            <label className={label}>
              {t('form.seed')}
              <input name="seed" type="number" step={1} defaultValue={1} className={inputClass} />
            </label>
          </div>
        </fieldset>

        <div className="flex flex-wrap gap-2">
          <button type="button" onClick={() => void showPreview()} disabled={!project || previewing} className={secondaryButtonClass}>
            {previewing ? t('form.previewing') : t('form.preview')}
          </button>
          <button type="submit" disabled={!project || running} className={buttonClass}>
            {running ? t('form.running') : t('form.run')}
          </button>
        </div>
      </form>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="export-error">
          {error}
        </p>
      )}

      {preview && (
        <div className={cardClass} data-testid="export-preview">
          <h3 className="mb-2 font-semibold">{t('preview.title')}</h3>
          {preview.length === 0 ? (
            <p className="text-sm text-slate-600">{t('preview.empty')}</p>
          ) : (
            <ol className="space-y-2">
              {preview.map((row, i) => (
                <li key={i} data-testid="preview-row">
                  <p className="text-xs text-slate-500">{t('preview.row', { n: i + 1 })}</p>
                  <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(row, null, 2)}</pre>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}

      {progress && (
        <div data-testid="export-progress" data-state={progress.state}>
          <p className="mb-1 text-sm text-slate-600">
            {progress.state === 'done'
              ? t('progress.done', { rows: progress.rows })
              : progress.rows > 0
                ? t('progress.rows', { rows: progress.rows })
                : t('progress.starting')}
          </p>
          <div
            className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-label={t('progress.label')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress.state === 'running' ? undefined : 100}
            aria-valuetext={t('progress.rows', { rows: progress.rows })}
          >
            <div
              className={`h-full transition-all ${progress.state === 'failed' ? 'bg-red-500' : 'bg-brand-600'} ${progress.state === 'running' ? 'animate-pulse' : ''}`}
              style={{ width: progress.state === 'running' ? '60%' : '100%' }}
            />
          </div>
        </div>
      )}

      {result && (
        <div className={cardClass} data-testid="export-result">
          <h3 className="mb-2 font-semibold">{t('result.title')}</h3>
          <ul className="space-y-1 text-sm">
            {result.downloads.map((name) => {
              const file = result.files.find((f) => f.name === name);
              return (
                <li key={name} className="flex flex-wrap items-baseline gap-2">
                  <a href={fileUrl(result.id, name)} download className="font-medium text-brand-700 hover:underline">
                    {name}
                  </a>
                  {file && (
                    <>
                      <span className="text-slate-500">{t('result.fileRows', { rows: file.rows })}</span>
                      <code className="break-all text-xs text-slate-500">sha256 {file.sha256}</code>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
