import { toHHDialogue } from './hh.ts';
import { FieldError, readMessages, requireObject, requireText, splitSystem, type ImportedItem, type Turn } from './item.ts';
import { toChatMessages } from './messages.ts';

/** One preference pair as every format needs it: the conversation so far and two replies. */
export interface PreferenceRow {
  system: string | null;
  prompt: Turn[];
  chosen: string;
  rejected: string;
  metadata?: Record<string, unknown>;
}

const withMetadata = <T extends object>(record: T, metadata: Record<string, unknown> | undefined) =>
  metadata ? { ...record, metadata } : record;

/**
 * TRL standard (plain text): the whole conversation as a transcript ending with "Assistant:",
 * each reply starting with a space, so prompt + chosen reads as one continuous dialogue.
 */
export function toTrlStandard(row: PreferenceRow) {
  const system = row.system ? `System: ${row.system}` : '';
  return withMetadata(
    { prompt: `${system}${toHHDialogue(row.prompt)}\n\nAssistant:`, chosen: ` ${row.chosen}`, rejected: ` ${row.rejected}` },
    row.metadata,
  );
}

export function toTrlConversational(row: PreferenceRow) {
  return withMetadata(
    {
      prompt: toChatMessages(row.system, row.prompt),
      chosen: [{ role: 'assistant', content: row.chosen }],
      rejected: [{ role: 'assistant', content: row.rejected }],
    },
    row.metadata,
  );
}

export function toOpenAIPreference(row: PreferenceRow) {
  return withMetadata(
    {
      input: { messages: toChatMessages(row.system, row.prompt) },
      preferred_output: [{ role: 'assistant', content: row.chosen }],
      non_preferred_output: [{ role: 'assistant', content: row.rejected }],
    },
    row.metadata,
  );
}

/** HH-RLHF has no system prompt: the dialogue is written without it. */
export function toHH(row: PreferenceRow) {
  return withMetadata(
    {
      chosen: toHHDialogue([...row.prompt, { role: 'assistant', content: row.chosen }]),
      rejected: toHHDialogue([...row.prompt, { role: 'assistant', content: row.rejected }]),
    },
    row.metadata,
  );
}

function pairItem(system: string | null, prompt: Turn[], chosen: string, rejected: string, source: string): ImportedItem {
  if (prompt.at(-1)?.role !== 'user') throw new FieldError('prompt', 'must end with a user turn');
  return {
    externalId: null,
    system,
    messages: prompt,
    candidates: [
      { content: chosen, model: `${source}:chosen` },
      { content: rejected, model: `${source}:rejected` },
    ],
    preferred: { chosen: 0, rejected: 1 },
    source,
  };
}

function singleAssistant(value: unknown, field: string): string {
  const messages = readMessages(value, field);
  if (messages.length !== 1 || messages[0]!.role !== 'assistant') throw new FieldError(field, 'must hold exactly one assistant message');
  return messages[0]!.content;
}

/** Reads a TRL conversational preference record back (used by tests and by imports of such files). */
export function parseTrlConversationalRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const { system, turns } = splitSystem(readMessages(record.prompt, 'prompt'), 'prompt');
  return pairItem(system, turns, singleAssistant(record.chosen, 'chosen'), singleAssistant(record.rejected, 'rejected'), 'trl');
}

export function parseOpenAIPreferenceRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const input = requireObject(record.input, 'input');
  const { system, turns } = splitSystem(readMessages(input.messages, 'input.messages'), 'input.messages');
  return pairItem(
    system,
    turns,
    singleAssistant(record.preferred_output, 'preferred_output'),
    singleAssistant(record.non_preferred_output, 'non_preferred_output'),
    'openai',
  );
}

/** TRL standard: the transcript is split back into turns on its "Human:" / "Assistant:" markers. */
export function parseTrlStandardRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const prompt = requireText(record.prompt, 'prompt');
  const chosen = requireText(record.chosen, 'chosen');
  const rejected = requireText(record.rejected, 'rejected');
  if (!prompt.endsWith('\n\nAssistant:')) throw new FieldError('prompt', 'must end with "\\n\\nAssistant:"');
  const systemMatch = /^System: ([\s\S]*?)(?=\n\nHuman: )/.exec(prompt);
  const dialogue = systemMatch ? prompt.slice(systemMatch[0].length) : prompt;
  const turns: Turn[] = [];
  const markers = [...dialogue.slice(0, -'\n\nAssistant:'.length).matchAll(/\n\n(Human|Assistant): /g)];
  if (markers[0]?.index !== 0) throw new FieldError('prompt', 'must start with "\\n\\nHuman: " (after an optional "System: …")');
  const body = dialogue.slice(0, -'\n\nAssistant:'.length);
  markers.forEach((match, i) => {
    const start = match.index! + match[0].length;
    turns.push({ role: match[1] === 'Human' ? 'user' : 'assistant', content: body.slice(start, markers[i + 1]?.index ?? body.length) });
  });
  const strip = (reply: string, field: string) => {
    if (!reply.startsWith(' ')) throw new FieldError(field, 'must start with a space (it continues the prompt)');
    return reply.slice(1);
  };
  return pairItem(systemMatch?.[1] ?? null, turns, strip(chosen, 'chosen'), strip(rejected, 'rejected'), 'trl');
}
