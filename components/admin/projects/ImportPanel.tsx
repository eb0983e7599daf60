'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState, type FormEvent } from 'react';

const FORMATS = ['jsonl', 'csv', 'hh', 'alpaca', 'messages'] as const;

type Phase = 'upload' | 'validate' | 'import';
interface Summary {
  imported: number;
  duplicates: number;
  skipped: number;
  errorCount: number;
  errors: { line: number; field: string; reason: string }[];
}

/**
 * Upload with a progress bar: the bytes going up, then the server checking and importing
 * (it streams progress lines back), then the summary with every bad line.
 */
export function ImportPanel({ slug }: { slug: string }) {
  const t = useTranslations('projects');
  const [progress, setProgress] = useState<{ phase: Phase; fraction: number; records: number } | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.current) return;
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setError(t('import.chooseFile'));
      return;
    }
    const query = new URLSearchParams({
      format: String(form.get('format')),
      skipBadLines: form.get('skipBadLines') ? 'true' : 'false',
      alpacaOutput: String(form.get('alpacaOutput') ?? 'candidate'),
    });
    busy.current = true;
    setSummary(null);
    setError(null);
    setProgress({ phase: 'upload', fraction: 0, records: 0 });

    const xhr = new XMLHttpRequest();
    let seen = 0;
    const readLines = () => {
      const text = xhr.responseText;
      const lines = text.slice(seen).split('\n');
      // The last piece may be a line still arriving.
      const complete = lines.slice(0, -1);
      seen += complete.reduce((n, line) => n + line.length + 1, 0);
      for (const line of complete) {
        if (!line.trim()) continue;
        const message = JSON.parse(line);
        if (message.type === 'progress') setProgress({ phase: message.phase, fraction: message.fraction, records: message.records });
        else if (message.type === 'summary') setSummary(message);
        else if (message.type === 'failed') setError(message.message);
      }
    };
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress({ phase: 'upload', fraction: e.loaded / e.total, records: 0 });
    xhr.onprogress = () => xhr.status === 200 && readLines();
    xhr.onload = () => {
      busy.current = false;
      if (xhr.status === 200) readLines();
      else {
        const body = JSON.parse(xhr.responseText || '{}');
        setError(body.message ?? t('import.failed'));
      }
      setProgress(null);
    };
    xhr.onerror = () => {
      busy.current = false;
      setProgress(null);
      setError(t('import.network'));
    };
    xhr.open('POST', `/api/admin/projects/${slug}/import?${query}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.send(file);
  };

  const input = 'mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm';
  return (
    <section className="space-y-4">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="import-form">
        <label className="text-sm">
          {t('import.file')}
          <input name="file" type="file" accept=".jsonl,.json,.csv,.txt" className={input} />
        </label>
        <label className="text-sm">
          {t('import.format')}
          <select name="format" defaultValue="jsonl" className={input}>
            {FORMATS.map((format) => (
              <option key={format} value={format}>
                {t(`import.formats.${format}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {t('import.alpacaOutput')}
          <select name="alpacaOutput" defaultValue="candidate" className={input}>
            <option value="candidate">{t('import.asCandidate')}</option>
            <option value="reference">{t('import.asReference')}</option>
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input name="skipBadLines" type="checkbox" />
          {t('import.skipBadLines')}
        </label>
        <button type="submit" disabled={progress !== null} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {t('import.start')}
        </button>
      </form>

      {progress && (
        <div data-testid="import-progress">
          <p className="mb-1 text-sm text-slate-600">
            {t(`import.phases.${progress.phase}`)} {progress.records > 0 && t('import.records', { count: progress.records })}
          </p>
          <div className="h-3 w-full overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)}>
            <div className="h-full bg-brand-600 transition-all" style={{ width: `${Math.round(progress.fraction * 100)}%` }} />
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="import-error">
          {error}
        </p>
      )}
      {summary && (
        <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="import-summary">
          <p className="font-medium">
            {summary.imported === 0 && summary.errorCount > 0 && summary.skipped === 0
              ? t('import.nothingImported', { count: summary.errorCount })
              : t('import.done', { imported: summary.imported, duplicates: summary.duplicates, skipped: summary.skipped })}
          </p>
          {summary.errors.length > 0 && (
            <table className="mt-2 w-full text-left text-xs" data-testid="import-errors">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1">{t('import.line')}</th>
                  <th>{t('import.field')}</th>
                  <th>{t('import.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.errors.map((e, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td className="py-1 font-mono">{e.line}</td>
                    <td className="font-mono">{e.field}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
