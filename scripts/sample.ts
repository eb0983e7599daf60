/**
 * npm run sample -- --model <checkpoint dir> --prompt "…" [--system "…"] [--temperature 0.8]
 *                   [--top-k 40] [--top-p 0.95] [--max-tokens 128] [--seed 1] [-n 3] [--json]
 */
import { parseArgs } from 'node:util';
import { tensorflow } from '../lib/training/backend.ts';
import { loadCheckpoint } from '../lib/training/checkpoint.ts';
import { generate } from '../lib/training/sample.ts';
import type { ChatTurn } from '../lib/training/tokenizer.ts';

function fail(message: string): never {
  console.error(`sample: ${message}\nusage: npm run sample -- --model <checkpoint dir> --prompt "…" [--temperature T --top-k K --top-p P --max-tokens N --seed S -n N]`);
  process.exit(2);
}

function number(values: Record<string, unknown>, name: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) fail(`--${name} must be ${rule}, not "${String(raw)}"`);
  return n;
}

async function main() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        prompt: { type: 'string' },
        system: { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        'top-p': { type: 'string' },
        'max-tokens': { type: 'string' },
        seed: { type: 'string' },
        n: { type: 'string', short: 'n' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (typeof values.model !== 'string') fail('--model is required');
  if (typeof values.prompt !== 'string' || !values.prompt.trim()) fail('--prompt is required');
  const options = {
    temperature: number(values, 'temperature', 0.8, (n) => n >= 0 && n <= 5, 'between 0 and 5'),
    topK: number(values, 'top-k', 0, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0 (0 = off)'),
    topP: number(values, 'top-p', 0.95, (n) => n > 0 && n <= 1, 'in (0, 1]'),
    maxTokens: number(values, 'max-tokens', 128, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
    seed: number(values, 'seed', 1, Number.isInteger, 'a whole number'),
  };
  const count = number(values, 'n', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'between 1 and 100');
  await tensorflow();
  const model = loadCheckpoint(values.model);
  const prompt: ChatTurn[] = [...(typeof values.system === 'string' ? [{ role: 'system' as const, content: values.system }] : []), { role: 'user', content: values.prompt }];
  for (let i = 0; i < count; i++) {
    const out = generate(model, prompt, { ...options, seed: options.seed + i });
    if (values.json) console.log(JSON.stringify({ index: i, ...out }));
    else console.log(`${count > 1 ? `--- sample ${i + 1} (seed ${options.seed + i})\n` : ''}${out.text}`);
  }
}

main().catch((error: unknown) => {
  console.error(`sample: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
