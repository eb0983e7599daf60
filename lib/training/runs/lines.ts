/**
 * What `npm run train -- … --json` prints on stdout, one JSON object a line, read through zod
 * because it crosses a process boundary: progress after every step, a held-out evaluation
 * now and then (the first at step 0), and a last result line.
 */
import { z } from 'zod';

// JSON turns NaN and Infinity into null; a figure can be missing, never a wrong type.
const figure = z.number().nullable();

export const progressLine = z.object({
  type: z.literal('progress'),
  step: z.number().int().min(0),
  steps: z.number().int().min(0),
  loss: figure,
  learningRate: figure,
  tokensPerSecond: figure,
  etaSeconds: figure,
});

/** `{tokens, loss}` for SFT, `{pairs, accuracy, meanMargin}` for reward models and DPO. */
export const evalLine = z
  .object({ type: z.literal('eval'), step: z.number().int().min(0), trainLoss: figure })
  .catchall(figure);

export const resultLine = z.object({
  type: z.literal('result'),
  method: z.enum(['sft', 'reward', 'dpo']),
  out: z.string(),
  step: z.number().int().min(0),
  finished: z.boolean(),
  parameters: z.number().int().min(0),
  baseline: z.record(z.string(), figure),
  eval: z.record(z.string(), figure).nullable(),
});

export type ProgressLine = z.infer<typeof progressLine>;
/** Spelled out: zod's inferred type for a catch-all object would make `type` a number too. */
export type EvalLine = { type: 'eval'; step: number; trainLoss: number | null; [figure: string]: number | null | 'eval' };
export type ResultLine = z.infer<typeof resultLine>;
export type TrainerLine = ProgressLine | EvalLine | ResultLine;

const trainerLine = z.discriminatedUnion('type', [progressLine, evalLine, resultLine]);

/** One stdout line as a message, or null for anything else (a stray log line is not an error). */
export function parseTrainerLine(line: string): TrainerLine | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = trainerLine.safeParse(value);
  return parsed.success ? (parsed.data as TrainerLine) : null;
}

/**
 * A run's held-out figures (`{pairs, accuracy, meanMargin}` or `{tokens, loss}`): the final
 * evaluation once it finished, else the newest one it logged while training. Empty when neither.
 */
export function heldOutFigures(run: { summary: unknown; latest: unknown }): Record<string, number | null> {
  const summary = z.object({ eval: resultLine.shape.eval }).safeParse(run.summary);
  if (summary.success && summary.data.eval) return summary.data.eval;
  const latest = z.object({ eval: z.record(z.string(), z.unknown()).nullable() }).safeParse(run.latest);
  const figures: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(latest.success ? (latest.data.eval ?? {}) : {})) if (typeof value === 'number') figures[key] = value;
  return figures;
}
