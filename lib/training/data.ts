/**
 * Training data comes from Feedloop's own export files, not the database, so the very same
 * files can go to TRL on a GPU cluster. Every export format is read: SFT `messages`, and
 * preference pairs as TRL standard, TRL conversational, OpenAI preference or HH-RLHF.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseHHRecord } from '../formats/hh.ts';
import { FieldError, readMessages, requireObject, type ChatMessage } from '../formats/item.ts';
import { parseTrlStandardRecord } from '../formats/preference.ts';
import { encodeChat, type ChatTurn, type Tokenizer } from './tokenizer.ts';

export interface SftRecord {
  messages: ChatTurn[];
}
export interface PreferenceRecord {
  prompt: ChatTurn[];
  chosen: string;
  rejected: string;
}
export type TrainingKind = 'sft' | 'preference';

export class DataError extends Error {}

/**
 * A chat as the template reads it. Turns need not alternate: real data (HH-RLHF among it) has
 * two assistant turns in a row, and the template encodes any order. A system message may
 * only come first.
 */
function chat(value: unknown, field: string): ChatMessage[] {
  const messages = readMessages(value, field);
  messages.forEach((m, i) => {
    if (m.role === 'system' && i > 0) throw new FieldError(`${field}[${i}].role`, 'a system message may only come first');
  });
  return messages;
}

function sftRecord(value: unknown): SftRecord {
  const record = requireObject(value);
  const messages = chat(record.messages, 'messages');
  if (messages.at(-1)?.role !== 'assistant') throw new FieldError('messages', 'must end with an assistant reply to learn from');
  return { messages };
}

function onlyReply(value: unknown, field: string): string {
  const messages = readMessages(value, field);
  if (messages.length !== 1 || messages[0]!.role !== 'assistant') throw new FieldError(field, 'must hold exactly one assistant message');
  return messages[0]!.content;
}

function preferenceRecord(value: unknown): PreferenceRecord {
  const record = requireObject(value);
  if ('input' in record) {
    const input = requireObject(record.input, 'input');
    return { prompt: chat(input.messages, 'input.messages'), chosen: onlyReply(record.preferred_output, 'preferred_output'), rejected: onlyReply(record.non_preferred_output, 'non_preferred_output') };
  }
  if ('prompt' in record && typeof record.prompt !== 'string') {
    return { prompt: chat(record.prompt, 'prompt'), chosen: onlyReply(record.chosen, 'chosen'), rejected: onlyReply(record.rejected, 'rejected') };
  }
  // Plain-text transcripts: the format parsers split them into turns.
  const item = 'prompt' in record ? parseTrlStandardRecord(record) : parseHHRecord(record);
  const prompt: ChatTurn[] = item.system ? [{ role: 'system', content: item.system }, ...item.messages] : [...item.messages];
  return { prompt, chosen: item.candidates[0]!.content, rejected: item.candidates[1]!.content };
}

/** The export's train / test files: a directory written by an export (manifest.json) or one JSONL file. */
export function exportFiles(location: string): { train: string; test: string | null } {
  if (!fs.existsSync(location)) throw new DataError(`${location}: no such file or directory`);
  if (fs.statSync(location).isFile()) return { train: location, test: null };
  const train = path.join(location, 'train.jsonl');
  if (!fs.existsSync(train)) throw new DataError(`${location}: not an export directory (no train.jsonl)`);
  const test = path.join(location, 'test.jsonl');
  return { train, test: fs.existsSync(test) ? test : null };
}

/** One record of an export as training reads it; a FieldError names what is wrong. */
export function parseRecord(kind: TrainingKind, value: unknown): SftRecord | PreferenceRecord {
  return kind === 'sft' ? sftRecord(value) : preferenceRecord(value);
}

export async function readRecords<K extends TrainingKind>(
  file: string,
  kind: K,
): Promise<K extends 'sft' ? SftRecord[] : PreferenceRecord[]> {
  const out: unknown[] = [];
  let line = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line += 1;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DataError(`${file}:${line}: not valid JSON (${(error as Error).message})`);
    }
    try {
      out.push(parseRecord(kind, value));
    } catch (error) {
      if (error instanceof FieldError) throw new DataError(`${file}:${line}: ${error.field}: ${error.reason} (expected ${kind === 'sft' ? 'an SFT export' : 'a preference export'})`);
      throw error;
    }
  }
  if (out.length === 0) throw new DataError(`${file}: no records`);
  return out as K extends 'sft' ? SftRecord[] : PreferenceRecord[];
}

/** All the text a tokenizer should learn from. */
export function* corpusOf(records: (SftRecord | PreferenceRecord)[]): Generator<string> {
  for (const r of records) {
    if ('messages' in r) for (const m of r.messages) yield m.content;
    else {
      for (const m of r.prompt) yield m.content;
      yield r.chosen;
      yield r.rejected;
    }
  }
}

/** A token sequence with the positions whose *next* token is learned: inputs ids[0..n-1], targets ids[1..n]. */
export interface SftExample {
  ids: number[];
  /** Indices i (into ids, < ids.length − 1) whose target ids[i + 1] is an assistant token. */
  lossRows: number[];
}

/** Prompt tokens a whole reply keeps in front of it at the least. */
const MIN_PROMPT_TOKENS = 16;

/**
 * Fits a chat into the context. The reply is kept whole whenever it fits beside a little of the
 * prompt (the reward is read off its last token, so its end matters most), and the prompt is
 * cut from the left. Only a reply too long for that keeps a quarter of the context for the
 * prompt and is cut from the right.
 */
export function fitWindow(length: number, firstTrainable: number, span: number): [number, number] {
  if (length <= span) return [0, length];
  const someContext = Math.min(firstTrainable, MIN_PROMPT_TOKENS);
  if (length - firstTrainable + someContext <= span) return [length - span, length];
  const start = Math.max(0, firstTrainable - Math.min(firstTrainable, Math.floor(span / 4)));
  return [start, start + span];
}

export function sftExample(tokenizer: Tokenizer, record: SftRecord, contextLength: number): SftExample | null {
  const { ids, trainable } = encodeChat(tokenizer, record.messages);
  const first = trainable.indexOf(true);
  if (first < 1) return null;
  const [start, end] = fitWindow(ids.length, first, contextLength + 1);
  const window = ids.slice(start, end);
  const lossRows: number[] = [];
  for (let i = 0; i < window.length - 1; i++) if (trainable[start + i + 1]) lossRows.push(i);
  return lossRows.length ? { ids: window, lossRows } : null;
}

/** Prompt + one reply, and where the reply's tokens are. */
export interface Completion {
  ids: number[];
  /** Rows i whose target ids[i + 1] belongs to the reply (its text and end of turn). */
  lossRows: number[];
}

export function completion(tokenizer: Tokenizer, prompt: ChatTurn[], reply: string, contextLength: number): Completion {
  const head = encodeChat(tokenizer, prompt, { openAssistant: true }).ids;
  const tail = [...tokenizer.encode(reply), tokenizer.special('<|end|>')];
  const all = [...head, ...tail];
  const [start, end] = fitWindow(all.length, head.length, contextLength);
  const ids = all.slice(start, end);
  const lossRows: number[] = [];
  for (let i = Math.max(0, head.length - start - 1); i < ids.length - 1; i++) lossRows.push(i);
  return { ids, lossRows };
}

export interface PairExample {
  chosen: Completion;
  rejected: Completion;
}

export function pairExample(tokenizer: Tokenizer, record: PreferenceRecord, contextLength: number): PairExample {
  return {
    chosen: completion(tokenizer, record.prompt, record.chosen, contextLength),
    rejected: completion(tokenizer, record.prompt, record.rejected, contextLength),
  };
}
