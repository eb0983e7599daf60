/**
 * Rounds of the post-training loop. An admin starts a round from a preference export; from then
 * on the round gathers, without further bookkeeping, the training runs trained on that export
 * (and the SFT runs they start from) and the candidates those models wrote. The project page
 * reads the figures that say whether the loop is improving: pairs collected, the reward model's
 * held-out accuracy, the DPO margin, and how often labelers preferred the newer model.
 */
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { RunStatus, TrainingKind } from '../generated/prisma/enums.ts';
import { heldOutFigures } from '../training/runs/lines.ts';
import { winRate, type WinRate } from './win-rate.ts';

export const startRoundInput = z.object({ exportRunId: z.string().min(1, 'choose an export') }).strict();
export type StartRoundInput = z.infer<typeof startRoundInput>;

export interface RoundRun {
  id: string;
  kind: TrainingKind;
  status: RunStatus;
  createdAt: string;
}

export interface RoundView {
  id: string;
  number: number;
  createdAt: string;
  export: { id: string; format: string; rows: number; createdAt: string };
  runs: RoundRun[];
  /** The newest reward model on the export: held-out pairwise accuracy (ties half). */
  reward: (RoundRun & { accuracy: number | null; pairs: number | null }) | null;
  /** The newest DPO policy on the export: held-out mean implicit-reward margin. */
  dpo: (RoundRun & { meanMargin: number | null; accuracy: number | null }) | null;
  /** The model to generate the next candidates with: the round's own newest finished DPO policy, else SFT (never an earlier round's). */
  model: RoundRun | null;
  /** Candidates this round's models wrote, and how many of those labelers have ranked. */
  candidates: { written: number; ranked: number };
  winRate: WinRate;
}

export interface RoundExportChoice {
  id: string;
  format: string;
  rows: number;
  createdAt: string;
}

/** Finished preference exports of the project that no round has started from yet, newest first. */
export async function roundExportChoices(db: Queryable, projectId: string): Promise<RoundExportChoice[]> {
  const exports = await db.exportRun.findMany({
    where: { projectId, kind: 'PREFERENCE', status: 'SUCCEEDED', round: null },
    select: { id: true, format: true, rows: true, createdAt: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 50,
  });
  return exports.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
}

/** Starts the project's next round from one of its finished preference exports. Audited. */
export async function startRound(db: Db, actorId: string, projectId: string, input: StartRoundInput): Promise<{ id: string; number: number }> {
  return db.$transaction(async (tx) => {
    // The project row lock comes first: it orders concurrent starts, so that numbers never collide
    // and a second start from the same export reads the first one's round (a 409, not a 500).
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    const exportRun = await tx.exportRun.findUnique({ where: { id: input.exportRunId }, select: { projectId: true, kind: true, status: true, round: { select: { number: true } } } });
    if (!exportRun || exportRun.projectId !== projectId) throw new DomainError('not_found', 'exportRunId: there is no such export in this project.', 404, 'exportRunId');
    if (exportRun.kind !== 'PREFERENCE') throw new DomainError('invalid_input', 'exportRunId: a round starts from a preference export (ranked pairs), not an SFT export.', 400, 'exportRunId');
    if (exportRun.status !== 'SUCCEEDED') throw new DomainError('invalid_input', `exportRunId: this export has not finished (${exportRun.status.toLowerCase()}).`, 400, 'exportRunId');
    if (exportRun.round) throw new DomainError('conflict', `exportRunId: round ${exportRun.round.number} already starts from this export.`, 409, 'exportRunId');
    const last = await tx.round.aggregate({ where: { projectId }, _max: { number: true } });
    const round = await tx.round.create({
      data: { projectId, number: (last._max.number ?? 0) + 1, exportRunId: input.exportRunId, createdById: actorId },
      select: { id: true, number: true },
    });
    await recordAudit(tx, { actorId, action: 'round.start', entityType: 'Round', entityId: round.id, after: { number: round.number, exportRunId: input.exportRunId } });
    return round;
  });
}

const runFields = { id: true, kind: true, status: true, createdAt: true, summary: true, latest: true } as const;
type RunRow = { id: string; kind: TrainingKind; status: RunStatus; createdAt: Date; summary: unknown; latest: unknown };

const asRoundRun = (run: RunRow): RoundRun => ({ id: run.id, kind: run.kind, status: run.status, createdAt: run.createdAt.toISOString() });

/** The run with the held-out figures `pick` takes from it. */
const withFigures = <T extends object>(run: RunRow, pick: (figures: Record<string, number | null>) => T): RoundRun & T => ({ ...asRoundRun(run), ...pick(heldOutFigures(run)) });

/** Newest first, so `find` picks the newest. */
function newest(runs: RunRow[], kind: TrainingKind, status?: RunStatus): RunRow | undefined {
  return runs.find((run) => run.kind === kind && (!status || run.status === status));
}

/**
 * The project's rounds, oldest first, each with its runs (newest first), and the round each SFT
 * or DPO model belongs to: the first round that trained it or started from it.
 */
async function roundsWithRuns(db: Queryable, projectId: string) {
  const rounds = await db.round.findMany({
    where: { projectId },
    orderBy: { number: 'asc' },
    select: {
      id: true,
      number: true,
      createdAt: true,
      exportRun: {
        select: {
          id: true,
          format: true,
          rows: true,
          createdAt: true,
          trainingRuns: { select: { ...runFields, initRun: { select: runFields } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
        },
      },
    },
  });
  const runsOf = new Map<string, RunRow[]>();
  const roundOfModel = new Map<string, number>();
  for (const round of rounds) {
    const runs = new Map<string, RunRow>();
    for (const run of round.exportRun.trainingRuns) {
      runs.set(run.id, run);
      if (run.initRun) runs.set(run.initRun.id, run.initRun);
    }
    const sorted = [...runs.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    runsOf.set(round.id, sorted);
    for (const run of sorted) if (run.kind !== 'REWARD' && !roundOfModel.has(run.id)) roundOfModel.set(run.id, round.number);
  }
  // An SFT start shared with an earlier round is that round's model: its candidates count there.
  const modelOf = (round: { id: string; number: number }) => {
    const own = runsOf.get(round.id)!.filter((run) => roundOfModel.get(run.id) === round.number);
    return newest(own, 'DPO', 'SUCCEEDED') ?? newest(own, 'SFT', 'SUCCEEDED');
  };
  return { rounds, runsOf, roundOfModel, modelOf };
}

/** A round's number and the model to generate its next candidates with; null when the project has no such round. */
export async function roundModel(db: Queryable, projectId: string, roundId: string): Promise<{ number: number; model: RoundRun | null } | null> {
  const { rounds, modelOf } = await roundsWithRuns(db, projectId);
  const round = rounds.find((r) => r.id === roundId);
  if (!round) return null;
  const model = modelOf(round);
  return { number: round.number, model: model ? asRoundRun(model) : null };
}

/** The project's rounds, oldest first, each with its runs and figures. */
export async function listRounds(db: Queryable, projectId: string): Promise<RoundView[]> {
  const { rounds, runsOf, roundOfModel, modelOf } = await roundsWithRuns(db, projectId);
  if (rounds.length === 0) return [];

  const candidates = await db.candidate.findMany({
    where: { origin: 'BUNDLED', model: { in: [...roundOfModel.keys()] }, item: { projectId } },
    select: { id: true, model: true, itemId: true },
  });
  const itemIds = [...new Set(candidates.map((c) => c.itemId))];
  const rankings = itemIds.length
    ? await db.ranking.findMany({
        where: { itemId: { in: itemIds }, status: { not: 'INVALID' } },
        select: { tiers: true, item: { select: { candidates: { select: { id: true, origin: true, model: true } } } } },
      })
    : [];
  const generation = new Map<string, number | undefined>();
  for (const ranking of rankings) {
    for (const c of ranking.item.candidates) generation.set(c.id, c.origin === 'BUNDLED' ? roundOfModel.get(c.model) : 0);
  }
  const tiers = rankings.map((r) => (Array.isArray(r.tiers) ? (r.tiers as string[][]) : []));
  const rankedIds = new Set(tiers.flat(2));

  return rounds.map((round) => {
    const runs = runsOf.get(round.id)!;
    const reward = newest(runs, 'REWARD', 'SUCCEEDED') ?? newest(runs, 'REWARD');
    const dpo = newest(runs, 'DPO', 'SUCCEEDED') ?? newest(runs, 'DPO');
    const model = modelOf(round);
    const own = candidates.filter((c) => roundOfModel.get(c.model) === round.number);
    return {
      id: round.id,
      number: round.number,
      createdAt: round.createdAt.toISOString(),
      export: { id: round.exportRun.id, format: round.exportRun.format, rows: round.exportRun.rows, createdAt: round.exportRun.createdAt.toISOString() },
      runs: runs.map(asRoundRun),
      reward: reward ? withFigures(reward, ({ accuracy = null, pairs = null }) => ({ accuracy, pairs })) : null,
      dpo: dpo ? withFigures(dpo, ({ meanMargin = null, accuracy = null }) => ({ meanMargin, accuracy })) : null,
      model: model ? asRoundRun(model) : null,
      candidates: { written: own.length, ranked: own.filter((c) => rankedIds.has(c.id)).length },
      winRate: winRate(round.number, tiers, (id) => generation.get(id)),
    };
  });
}
