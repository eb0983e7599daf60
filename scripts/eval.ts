/**
 * npm run eval -- sft|reward|dpo --model <checkpoint dir> --data <file.jsonl>
 *
 * The last line is a JSON object: {"tokens": n, "loss": x} for SFT, {"pairs": n, "accuracy": x,
 * "meanMargin": x} for reward models and DPO (the implicit reward β·log π/π_ref).
 */
import { parseArgs } from 'node:util';
import { evaluateCheckpointOn } from '../lib/training/evaluate.ts';

function fail(message: string): never {
  console.error(`eval: ${message}\nusage: npm run eval -- sft|reward|dpo --model <checkpoint dir> --data <file.jsonl>`);
  process.exit(2);
}

async function main() {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { model: { type: 'string' }, data: { type: 'string' } } });
  } catch (error) {
    fail((error as Error).message);
  }
  const method = parsed.positionals[0];
  if (method !== 'sft' && method !== 'reward' && method !== 'dpo') fail('the first argument must be sft, reward or dpo');
  if (typeof parsed.values.model !== 'string') fail('--model is required');
  if (typeof parsed.values.data !== 'string') fail('--data is required');
  const figures = await evaluateCheckpointOn(method, parsed.values.model, parsed.values.data);
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
