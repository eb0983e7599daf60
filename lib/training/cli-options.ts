/**
 * Hyper-parameters from the command line: a --config JSON file, then flags on top
 * (--steps 200 --learning-rate 3e-4 …, the kebab-case names of TrainConfig's fields).
 */
import fs from 'node:fs';
import { trainConfigSchema, type TrainConfig } from './config.ts';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const TRAIN_FLAGS = Object.keys(trainConfigSchema.shape).map(kebab);

export function trainConfigFromCli(configFile: string | undefined, flags: Record<string, string | boolean | undefined>): Partial<TrainConfig> {
  let base: Record<string, unknown> = {};
  if (configFile) {
    try {
      base = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`--config ${configFile}: ${(error as Error).message}`);
    }
  }
  for (const field of Object.keys(trainConfigSchema.shape)) {
    const value = flags[kebab(field)];
    if (typeof value === 'string') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`--${kebab(field)}: "${value}" is not a number`);
      base[field] = number;
    }
  }
  const parsed = trainConfigSchema.safeParse(base);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = configFile ? `${configFile}: ` : '';
    throw new Error(`${where}${issue.path.map((p) => kebab(String(p))).join('.') || 'config'}: ${issue.message}`);
  }
  return parsed.data;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
