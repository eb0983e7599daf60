import { FieldError, optionalId, requireObject, requireText, type ImportedItem } from './item.ts';

export type AlpacaOutput = 'candidate' | 'reference';

/**
 * Stanford Alpaca records, `{"instruction", "input", "output"}`: instruction and input become
 * the user turn; `output` becomes a candidate, or a reference reply when asked for. An empty
 * output still gives an item (the instruction is a fine prompt), just without a candidate.
 */
export function parseAlpacaRecord(value: unknown, output: AlpacaOutput = 'candidate'): ImportedItem {
  const record = requireObject(value);
  const instruction = requireText(record.instruction, 'instruction');
  if (record.input !== undefined && typeof record.input !== 'string') {
    throw new FieldError('input', 'must be a string (it may be empty)');
  }
  const input = (record.input as string | undefined)?.trim() ?? '';
  if (typeof record.output !== 'string') {
    throw new FieldError('output', record.output === undefined ? 'is missing' : 'must be a string (it may be empty)');
  }
  const reply = record.output.trim() ? requireText(record.output, 'output') : '';
  return {
    externalId: optionalId(record.id),
    system: null,
    messages: [{ role: 'user', content: input ? `${instruction}\n\n${input}` : instruction }],
    candidates: output === 'candidate' && reply ? [{ content: reply, model: 'alpaca' }] : [],
    referenceReply: output === 'reference' && reply ? reply : undefined,
    source: 'alpaca',
  };
}
