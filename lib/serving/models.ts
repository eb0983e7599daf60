/**
 * Which checkpoints the OpenAI-compatible endpoint serves: finished SFT and DPO training runs
 * (reward models have no language-model head), named by their run id.
 */
import type { Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import { isCheckpoint } from '../training/checkpoint-folder.ts';

export interface ServedModel {
  id: string;
  kind: 'SFT' | 'DPO';
  checkpoint: string;
  created: Date;
}

function complete(checkpoint: string | null): checkpoint is string {
  return !!checkpoint && isCheckpoint(checkpoint);
}

export async function servedModels(db: Queryable): Promise<ServedModel[]> {
  const runs = await db.trainingRun.findMany({
    where: { status: 'SUCCEEDED', kind: { in: ['SFT', 'DPO'] }, checkpointPath: { not: null } },
    select: { id: true, kind: true, checkpointPath: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
  });
  return runs
    .filter((run) => complete(run.checkpointPath))
    .map((run) => ({ id: run.id, kind: run.kind as 'SFT' | 'DPO', checkpoint: run.checkpointPath!, created: run.createdAt }));
}

export async function servedModel(db: Queryable, id: string): Promise<ServedModel> {
  const run = await db.trainingRun.findUnique({ where: { id }, select: { id: true, kind: true, status: true, checkpointPath: true, createdAt: true } });
  if (!run) throw new DomainError('model_not_found', `The model "${id}" does not exist: use the id of a finished SFT or DPO training run (GET /v1/models lists them).`, 404, 'model');
  if (run.kind === 'REWARD') throw new DomainError('model_not_servable', `"${id}" is a reward model; it scores replies but cannot write them.`, 400, 'model');
  if (run.status !== 'SUCCEEDED' || !complete(run.checkpointPath)) throw new DomainError('model_not_ready', `The training run "${id}" has not finished (${run.status.toLowerCase()}).`, 400, 'model');
  return { id: run.id, kind: run.kind, checkpoint: run.checkpointPath!, created: run.createdAt };
}
