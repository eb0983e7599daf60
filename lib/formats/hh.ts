import { FieldError, optionalId, requireObject, requireText, type ImportedItem, type Turn } from './item.ts';

const MARKER = /\n\n(Human|Assistant): /g;

/** Splits an HH-RLHF dialogue ("\n\nHuman: …\n\nAssistant: …") into turns. */
export function parseHHDialogue(dialogue: string, field: string): Turn[] {
  if (!dialogue.startsWith('\n\nHuman: ')) throw new FieldError(field, 'must start with "\\n\\nHuman: "');
  const turns: Turn[] = [];
  const markers = [...dialogue.matchAll(MARKER)];
  markers.forEach((match, i) => {
    const start = match.index! + match[0].length;
    const end = markers[i + 1]?.index ?? dialogue.length;
    // Kept exactly as written (no trimming), so that an export reproduces the input byte for byte.
    turns.push({ role: match[1] === 'Human' ? 'user' : 'assistant', content: dialogue.slice(start, end) });
  });
  return turns;
}

/** The other direction, for exports: a conversation in HH-RLHF's text form. */
export function toHHDialogue(turns: Turn[]): string {
  return turns.map((turn) => `\n\n${turn.role === 'user' ? 'Human' : 'Assistant'}: ${turn.content}`).join('');
}

const LAST_ANSWER = '\n\nAssistant: ';

/** Splits a dialogue at its last "Assistant:" marker: the prompt text and the final answer. */
function splitAtLastAnswer(dialogue: string, field: string): { prompt: string; answer: string } {
  const at = dialogue.lastIndexOf(LAST_ANSWER);
  if (at <= 0) throw new FieldError(field, 'must end with an "Assistant:" turn after a "Human:" turn');
  return { prompt: dialogue.slice(0, at), answer: dialogue.slice(at + LAST_ANSWER.length) };
}

/**
 * HH-RLHF `{"chosen", "rejected"}`: one item (the shared dialogue up to the last answer) with
 * two candidates and the original preference kept. Records whose prompts differ or whose
 * answers are identical cannot become a pair and are reported.
 */
export function parseHHRecord(value: unknown): ImportedItem {
  const record = requireObject(value);
  const chosenText = requireText(record.chosen, 'chosen');
  const rejectedText = requireText(record.rejected, 'rejected');
  const chosen = splitAtLastAnswer(chosenText, 'chosen');
  const rejected = splitAtLastAnswer(rejectedText, 'rejected');
  // Compared as text first: a pair is only a pair when both answer the very same dialogue.
  if (chosen.prompt !== rejected.prompt) {
    throw new FieldError('rejected', 'does not share the same prompt as "chosen", so the two cannot form a pair');
  }
  if (chosen.answer === rejected.answer) throw new FieldError('rejected', 'the answer is identical to the chosen one');
  if (!chosen.answer.trim()) throw new FieldError('chosen', 'the final answer is empty');
  if (!rejected.answer.trim()) throw new FieldError('rejected', 'the final answer is empty');
  const prompt = parseHHDialogue(chosen.prompt, 'chosen');
  if (prompt.at(-1)?.role !== 'user') throw new FieldError('chosen', 'the final answer must follow a "Human:" turn');
  return {
    externalId: optionalId(record.id),
    system: null,
    messages: prompt,
    candidates: [
      { content: chosen.answer, model: 'hh-rlhf:chosen' },
      { content: rejected.answer, model: 'hh-rlhf:rejected' },
    ],
    preferred: { chosen: 0, rejected: 1 },
    source: 'hh-rlhf',
  };
}
