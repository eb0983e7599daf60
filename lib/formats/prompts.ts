import {
  FieldError,
  optionalId,
  optionalText,
  readCandidates,
  readMessages,
  requireEndsWithUser,
  requireObject,
  requireText,
  splitSystem,
  type ImportedItem,
} from './item.ts';

/**
 * Feedloop's prompt JSONL: `{"prompt": "…"}` or `{"messages": [...]}`, with optional `system`,
 * `candidates: [{content, model}]` and `id`.
 */
export function parsePromptRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const candidates = readCandidates(record.candidates);
  const externalId = optionalId(record.id);
  if (record.prompt !== undefined && record.messages !== undefined) {
    throw new FieldError('prompt', 'give either "prompt" or "messages", not both');
  }
  if (record.messages !== undefined) {
    const { system, turns } = splitSystem(readMessages(record.messages));
    requireEndsWithUser(turns);
    const explicit = optionalText(record.system, 'system');
    if (explicit && system) throw new FieldError('system', 'given twice (as "system" and as a system message)');
    return { externalId, system: explicit ?? system, messages: turns, candidates, source: 'jsonl' };
  }
  if (record.prompt === undefined) throw new FieldError('prompt', 'is missing (give "prompt" or "messages")');
  return {
    externalId,
    system: optionalText(record.system, 'system'),
    messages: [{ role: 'user', content: requireText(record.prompt, 'prompt') }],
    candidates,
    source: 'jsonl',
  };
}
