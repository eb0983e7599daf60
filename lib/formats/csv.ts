import { FieldError, MAX_CANDIDATES_PER_ITEM, optionalId, requireText, type ImportedItem } from './item.ts';

/** Columns a prompt CSV may have; anything else is reported, so typos do not pass silently. */
export function csvColumnsProblem(header: string[]): string | null {
  if (!header.includes('prompt')) return 'the header has no "prompt" column';
  const allowed = /^(prompt|system|id|candidate|model|candidate_[1-9]|model_[1-9])$/;
  const unknown = header.filter((column) => !allowed.test(column));
  if (unknown.length) return `unknown column(s): ${unknown.join(', ')} (allowed: prompt, system, id, candidate_1…candidate_${MAX_CANDIDATES_PER_ITEM}, model_1…)`;
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) return `column "${column}" appears twice`;
    seen.add(column);
  }
  return null;
}

/** A prompt CSV row: `prompt`, optional `system`, `id`, and `candidate[_n]` with `model[_n]`. */
export function parseCsvRecord(row: Record<string, string>): ImportedItem {
  const candidates: ImportedItem['candidates'] = [];
  const add = (content: string | undefined, model: string | undefined, field: string) => {
    if (content === undefined || content.trim() === '') return;
    candidates.push({ content: requireText(content, field), model: model?.trim() || 'unknown' });
  };
  add(row.candidate, row.model, 'candidate');
  for (let n = 1; n <= MAX_CANDIDATES_PER_ITEM; n++) add(row[`candidate_${n}`], row[`model_${n}`], `candidate_${n}`);
  if (row.prompt === undefined) throw new FieldError('prompt', 'is missing');
  return {
    externalId: optionalId(row.id),
    system: row.system?.trim() ? requireText(row.system, 'system') : null,
    messages: [{ role: 'user', content: requireText(row.prompt, 'prompt') }],
    candidates,
    source: 'csv',
  };
}
