import crypto from 'node:crypto';

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}
export type Turn = { role: 'user' | 'assistant'; content: string };

/** One record of an import file, as every format hands it to the importer. */
export interface ImportedItem {
  /** The id the file gives the record; null when it has none (a content hash is used then). */
  externalId: string | null;
  system: string | null;
  /** The conversation so far; ends with a user turn. */
  messages: Turn[];
  candidates: { content: string; model: string }[];
  /** A known preference among the candidates (HH-RLHF's chosen over rejected), by position. */
  preferred?: { chosen: number; rejected: number };
  /** A reference reply that is not a candidate (Alpaca's output, when asked for). */
  referenceReply?: string;
  source: string;
}

/** A problem with one field of one record; the importer adds the line number. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export const MAX_MESSAGE_CHARS = 100_000;
export const MAX_CANDIDATES_PER_ITEM = 9;

function text(value: unknown, field: string, { allowEmpty = false } = {}): string {
  if (typeof value !== 'string') throw new FieldError(field, value === undefined ? 'is missing' : `must be a string, not ${kind(value)}`);
  if (!allowEmpty && value.trim() === '') throw new FieldError(field, 'must not be empty');
  if (value.length > MAX_MESSAGE_CHARS) throw new FieldError(field, `is longer than ${MAX_MESSAGE_CHARS} characters`);
  return value;
}

export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function requireObject(value: unknown, field = 'record'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(field, `must be a JSON object, not ${kind(value)}`);
  }
  return value as Record<string, unknown>;
}

export const requireText = text;

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return text(value, field);
}

export function optionalId(value: unknown, field = 'id'): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new FieldError(field, `must be a string or a number, not ${kind(value)}`);
  if (value.length > 200) throw new FieldError(field, 'is longer than 200 characters');
  return value;
}

/** Reads a chat message list, checking roles and contents. */
export function readMessages(value: unknown, field = 'messages'): ChatMessage[] {
  if (!Array.isArray(value)) throw new FieldError(field, value === undefined ? 'is missing' : `must be an array, not ${kind(value)}`);
  if (value.length === 0) throw new FieldError(field, 'must not be empty');
  return value.map((entry, i) => {
    const message = requireObject(entry, `${field}[${i}]`);
    const role = message.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      throw new FieldError(`${field}[${i}].role`, `must be "system", "user" or "assistant", not ${JSON.stringify(role)}`);
    }
    return { role, content: text(message.content, `${field}[${i}].content`) };
  });
}

/**
 * Splits a chat into (system prompt, turns): a system message may only come first, and the
 * turns must alternate user / assistant starting with the user.
 */
export function splitSystem(messages: ChatMessage[], field = 'messages'): { system: string | null; turns: Turn[] } {
  const [first, ...rest] = messages;
  const system = first?.role === 'system' ? first.content : null;
  const turns = (system === null ? messages : rest).map((message, i) => {
    const index = system === null ? i : i + 1;
    if (message.role === 'system') throw new FieldError(`${field}[${index}].role`, 'a system message may only come first');
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) throw new FieldError(`${field}[${index}].role`, `expected "${expected}" (turns alternate, starting with the user)`);
    return { role: message.role, content: message.content } as Turn;
  });
  if (turns.length === 0) throw new FieldError(field, 'has no user turn');
  return { system, turns };
}

export function requireEndsWithUser(turns: Turn[], field = 'messages'): void {
  if (turns.at(-1)?.role !== 'user') throw new FieldError(field, 'must end with a user turn');
}

export function readCandidates(value: unknown, field = 'candidates'): ImportedItem['candidates'] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, `must be an array, not ${kind(value)}`);
  if (value.length > MAX_CANDIDATES_PER_ITEM) throw new FieldError(field, `has ${value.length} entries; at most ${MAX_CANDIDATES_PER_ITEM}`);
  return value.map((entry, i) => {
    if (typeof entry === 'string') return { content: text(entry, `${field}[${i}]`), model: 'unknown' };
    const candidate = requireObject(entry, `${field}[${i}]`);
    const model = candidate.model === undefined ? 'unknown' : text(candidate.model, `${field}[${i}].model`);
    return { content: text(candidate.content, `${field}[${i}].content`), model };
  });
}

/** A stable id for a record without one, so that importing the same file twice changes nothing. */
export function contentId(item: Pick<ImportedItem, 'system' | 'messages' | 'candidates'>): string {
  const canonical = JSON.stringify([item.system, item.messages, item.candidates.map((c) => [c.model, c.content])]);
  return `sha256:${crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 40)}`;
}
