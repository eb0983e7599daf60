/**
 * Reward-model-assisted QA: after a reward model has been trained on a project's rankings, the
 * submitted rankings it disagrees with most (the largest negative margin on a pair the labeler
 * ordered), with what a reviewer needs to judge them. The rewards come from a scoring job in the
 * worker (reward-scoring.ts); reading them here is arithmetic.
 */
import { z } from 'zod';
import type { Role } from '../auth/roles.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { promptSnippet } from '../metrics/project-agreement.ts';
import { requireProject } from '../projects/admin.ts';
import { requireMemberProject } from '../projects/membership.ts';
import { isCheckpoint } from '../training/checkpoint-folder.ts';
import { heldOutFigures } from '../training/runs/lines.ts';
import { disagreementsFrom } from './disagreements.ts';
import { rankedItems } from './ranked-items.ts';
import { cancelScoring, latestScoring, queueScoring, storedRewards, type ScoringView } from './reward-scoring.ts';

export const DEFAULT_DISAGREEMENTS = 50;
const PROMPT_CHARS = 300;

export const rewardQaInput = z
  .object({
    runId: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the id of a training run').optional(),
    ),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(DEFAULT_DISAGREEMENTS),
  })
  .strict();

export type RewardQaInput = z.input<typeof rewardQaInput>;

export interface RewardRunChoice {
  id: string;
  createdAt: string;
  /** Held-out pairwise accuracy at the end of training, and the bag-of-words baseline's, when known. */
  accuracy: number | null;
  baselineAccuracy: number | null;
  heldOutPairs: number | null;
  createdBy: string | null;
}

export interface DisagreementRow {
  rankingId: string;
  itemId: string;
  /** Where the reviewer sees every ranking of the item and can invalidate this one. */
  href: string;
  /** The item's last user turn, on one line and cut short. */
  prompt: string;
  labeler: { id: string; name: string; email: string };
  rankedAt: string;
  /** True when the viewer wrote this ranking: nobody reviews their own work. */
  own: boolean;
  /** r(labeler's choice) − r(model's choice): the more negative, the stronger the disagreement. */
  margin: number;
  labelerPreferred: { candidateId: string; text: string; reward: number };
  modelPreferred: { candidateId: string; text: string; reward: number };
}

export interface RewardQaReport {
  run: RewardRunChoice;
  /** Rankings whose every candidate has a reward (invalidated and "all bad" ones are left out), of all. */
  rankingsScored: number;
  rankings: number;
  /** Ranked candidates this reward model has not scored yet: a scoring job would do them. */
  unscored: number;
  /** The newest scoring job for this model and project. */
  scoring: ScoringView | null;
  disagreements: DisagreementRow[];
}

export interface Viewer {
  id: string;
  role: Role;
}

/** The project, for an admin or for a reviewer who is a member of it; labelers never. */
export async function rewardQaProject(db: Db, viewer: Viewer, slug: string): Promise<{ id: string; slug: string; name: string }> {
  if (viewer.role !== 'ADMIN' && viewer.role !== 'REVIEWER') throw new DomainError('forbidden', 'Only reviewers and admins check rankings against a reward model.', 403);
  const project = viewer.role === 'ADMIN' ? await requireProject(db, slug) : await requireMemberProject(db, viewer.id, slug);
  return { id: project.id, slug: project.slug, name: project.name };
}

const baselineSchema = z.object({ baseline: z.record(z.string(), z.number().nullable()) }).nullable().catch(null);

const hasCheckpoint = (dir: string | null): dir is string => !!dir && isCheckpoint(dir);

const inProject = (projectId: string) => ({ OR: [{ projectId }, { exportRun: { projectId } }] });

const runSelect = {
  id: true,
  kind: true,
  status: true,
  checkpointPath: true,
  summary: true,
  latest: true,
  createdAt: true,
  createdBy: { select: { name: true } },
} as const;

function choiceOf(run: { id: string; createdAt: Date; summary: unknown; latest: unknown; createdBy: { name: string } | null }): RewardRunChoice {
  const heldOut = heldOutFigures(run);
  return {
    id: run.id,
    createdAt: run.createdAt.toISOString(),
    accuracy: heldOut.accuracy ?? null,
    baselineAccuracy: baselineSchema.parse(run.summary ?? null)?.baseline.bagOfWordsAccuracy ?? null,
    heldOutPairs: heldOut.pairs ?? null,
    createdBy: run.createdBy?.name ?? null,
  };
}

async function usableRuns(db: Queryable, projectId: string): Promise<{ choice: RewardRunChoice; checkpoint: string }[]> {
  const runs = await db.trainingRun.findMany({
    where: { kind: 'REWARD', status: 'SUCCEEDED', checkpointPath: { not: null }, ...inProject(projectId) },
    select: runSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 50,
  });
  return runs.flatMap((run) => (hasCheckpoint(run.checkpointPath) ? [{ choice: choiceOf(run), checkpoint: run.checkpointPath }] : []));
}

/** The project's finished reward models whose checkpoint is on this server, newest first. */
export async function rewardRunChoices(db: Queryable, projectId: string): Promise<RewardRunChoice[]> {
  return (await usableRuns(db, projectId)).map((run) => run.choice);
}

const refused = (code: string, message: string, status: 400 | 404 = 400) => new DomainError(code, `runId: ${message}`, status, 'runId');

/** The run asked for (checked to be one of the project's usable reward models), or the newest one. */
async function chooseRun(db: Queryable, projectId: string, runId: string | undefined): Promise<{ choice: RewardRunChoice; checkpoint: string }> {
  if (!runId) {
    const newest = (await usableRuns(db, projectId))[0];
    if (!newest) throw new DomainError('no_reward_model', 'runId: this project has no finished reward model yet; an admin can train one on Admin → Training.', 404, 'runId');
    return newest;
  }
  const run = await db.trainingRun.findFirst({ where: { id: runId, ...inProject(projectId) }, select: runSelect });
  // A run of another project and no run at all look the same: a reviewer learns nothing about other projects.
  if (!run) throw refused('reward_run_not_found', `this project has no training run "${runId}"`, 404);
  if (run.kind !== 'REWARD') throw refused('not_a_reward_model', `"${runId}" is ${run.kind === 'SFT' ? 'an SFT' : 'a DPO'} run; choose a reward model`);
  if (run.status !== 'SUCCEEDED') throw refused('reward_run_not_finished', `the reward model "${runId}" has not finished (${run.status.toLowerCase()})`);
  if (!hasCheckpoint(run.checkpointPath)) throw refused('reward_run_files_missing', `the checkpoint of "${runId}" is not on this server`);
  return { choice: choiceOf(run), checkpoint: run.checkpointPath };
}

/**
 * The project's submitted rankings the reward model disagrees with most, worst first, from the
 * rewards scored so far, with how far scoring has got.
 */
export async function findRewardDisagreements(db: Db, viewer: Viewer, slug: string, raw: unknown): Promise<RewardQaReport> {
  const parsed = rewardQaInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error);
  const input = parsed.data;
  const project = await rewardQaProject(db, viewer, slug);
  const { choice } = await chooseRun(db, project.id, input.runId);
  const items = await rankedItems(db, project.id);
  const [rewards, scoring] = await Promise.all([storedRewards(db, choice.id, items), latestScoring(db, project.id, choice.id)]);
  const found = disagreementsFrom(items, rewards, input.limit);

  const rankingIds = found.map((d) => d.rankingId);
  const [rankings, labelers] = await Promise.all([
    db.ranking.findMany({ where: { id: { in: rankingIds } }, select: { id: true, createdAt: true } }),
    db.user.findMany({ where: { id: { in: [...new Set(found.map((d) => d.labelerId))] } }, select: { id: true, name: true, email: true } }),
  ]);
  const rankedAt = new Map(rankings.map((r) => [r.id, r.createdAt.toISOString()]));
  const people = new Map(labelers.map((u) => [u.id, u]));
  const byItem = new Map(items.map((item) => [item.itemId, item]));
  const scoredItem = (item: (typeof items)[number]) => [...item.candidates.keys()].every((id) => rewards.has(id));

  return {
    run: choice,
    rankingsScored: items.reduce((n, item) => n + (scoredItem(item) ? item.rankings.length : 0), 0),
    rankings: items.reduce((n, item) => n + item.rankings.length, 0),
    unscored: items.reduce((n, item) => n + [...item.candidates.keys()].filter((id) => !rewards.has(id)).length, 0),
    scoring,
    disagreements: found.map((d) => {
      const item = byItem.get(d.itemId)!;
      return {
        rankingId: d.rankingId,
        itemId: d.itemId,
        href: `/review/items/${d.itemId}`,
        prompt: promptSnippet(item.prompt, PROMPT_CHARS),
        labeler: people.get(d.labelerId) ?? { id: d.labelerId, name: '', email: '' },
        rankedAt: rankedAt.get(d.rankingId) ?? '',
        own: d.labelerId === viewer.id,
        margin: d.margin,
        labelerPreferred: { candidateId: d.preferred, text: item.candidates.get(d.preferred) ?? '', reward: d.preferredReward },
        modelPreferred: { candidateId: d.other, text: item.candidates.get(d.other) ?? '', reward: d.otherReward },
      };
    }),
  };
}

/** Queues scoring the project's ranked candidates with a reward model (the newest, unless `runId` says). */
export async function startRewardScoring(db: Db, viewer: Viewer, slug: string, raw: unknown): Promise<ScoringView> {
  const parsed = rewardQaInput.pick({ runId: true }).safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error);
  const project = await rewardQaProject(db, viewer, slug);
  const { choice } = await chooseRun(db, project.id, parsed.data.runId);
  return queueScoring(db, viewer.id, project.id, choice.id);
}

/** Stops a scoring of the project (reviewers of the project and admins, like starting one). */
export async function stopRewardScoring(db: Db, viewer: Viewer, slug: string, scoringId: string): Promise<ScoringView> {
  const project = await rewardQaProject(db, viewer, slug);
  return cancelScoring(db, project.id, scoringId);
}
