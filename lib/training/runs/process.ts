/**
 * The training process: `scripts/train.ts` in a child Node process of the worker, so that no
 * server's event loop runs a training step. It is started at a lower priority, so that pages
 * stay quick while training keeps both cores busy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAIN_FLAGS } from '../cli-options.ts';
import { trainConfigSchema, type TrainConfig } from '../config.ts';

export type TrainingMethod = 'sft' | 'reward' | 'dpo';

export const TRAIN_SCRIPT = path.join('scripts', 'train.ts');

/** The flag of each TrainConfig field, in the order the CLI declares them (TRAIN_FLAGS follows the schema's keys). */
const FLAG_OF = new Map(Object.keys(trainConfigSchema.shape).map((field, i) => [field, TRAIN_FLAGS[i]!]));

export interface TrainerCommand {
  method: TrainingMethod;
  data: string;
  out: string;
  init: string | null;
  config: TrainConfig;
}

/** The arguments after `node`: every hyper-parameter spelled out, so the run does not depend on the CLI's defaults. */
export function trainerArgs(command: TrainerCommand): string[] {
  const args = ['--import', 'tsx', TRAIN_SCRIPT, command.method, '--data', command.data, '--out', command.out];
  if (command.init) args.push('--init', command.init);
  for (const [field, value] of Object.entries(command.config)) {
    const flag = FLAG_OF.get(field);
    if (flag && typeof value === 'number') args.push(`--${flag}`, String(value));
  }
  args.push('--json');
  return args;
}

/** The repository the worker runs from (npm start runs it there). */
export function repoRoot(): string {
  const root = process.cwd();
  if (!fs.existsSync(path.join(root, TRAIN_SCRIPT))) throw new Error(`${root}: ${TRAIN_SCRIPT} is not here; start the server from the repository`);
  return root;
}

const NICENESS = 10;

export function spawnTrainer(command: TrainerCommand, root: string = repoRoot()): ChildProcess {
  const child = spawn(process.execPath, trainerArgs(command), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The trainer stops at a checkpoint if its worker dies (scripts/train.ts).
    env: { ...process.env, FEEDLOOP_TRAINER_SUPERVISED: '1' },
  });
  if (child.pid !== undefined) {
    try {
      // Threads the trainer starts later inherit this; the worker and the web server keep their normal priority.
      os.setPriority(child.pid, NICENESS);
    } catch {
      // Not allowed here: the run still works, only less politely.
    }
  }
  return child;
}
