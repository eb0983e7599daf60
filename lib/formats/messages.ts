import { FieldError, optionalId, readMessages, requireObject, splitSystem, type ChatMessage, type ImportedItem } from './item.ts';

/**
 * OpenAI / TRL conversational records, `{"messages": [...]}`: the conversation up to the last
 * user turn becomes the item, and a final assistant turn becomes a candidate.
 */
export function parseMessagesRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const { system, turns } = splitSystem(readMessages(record.messages));
  const last = turns.at(-1)!;
  const prompt = last.role === 'assistant' ? turns.slice(0, -1) : turns;
  if (prompt.length === 0) throw new FieldError('messages', 'has no user turn before the assistant reply');
  const model = typeof record.model === 'string' && record.model.trim() ? record.model : 'unknown';
  return {
    externalId: optionalId(record.id),
    system,
    messages: prompt,
    candidates: last.role === 'assistant' ? [{ content: last.content, model }] : [],
    source: 'messages',
  };
}

/** The other direction, for exports: a conversation as OpenAI / TRL `messages`. */
export function toChatMessages(system: string | null, turns: ChatMessage[]): ChatMessage[] {
  return system ? [{ role: 'system', content: system }, ...turns] : [...turns];
}
