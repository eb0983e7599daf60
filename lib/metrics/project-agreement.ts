/**
 * Where labelers disagree, for one project: Krippendorff's alpha on the ratings and flags,
 * Kendall's tau-b and pairwise preference agreement between labelers who ranked the same item
 * (over the project and per ISO week), per-labeler figures (agreement with the others, gold
 * accuracy, volume, median time) and the items with the lowest agreement.
 *
 * The grouping and averaging are pure functions of ranking rows (tested on their own); the math
 * is lib/metrics/agreement.ts; `projectAgreement` only reads the rows. INVALID rankings are left
 * out, and when a labeler somehow ranked an item twice only their latest ranking counts.
 */
import { z } from 'zod';
import { CANDIDATE_FLAGS, RATING_DIMENSIONS, type RatingDimension } from '../annotation/schemas.ts';
import type { Role } from '../auth/roles.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { requireProject } from '../projects/admin.ts';
import { requireMemberProject } from '../projects/membership.ts';
import { kendallTauB, krippendorffAlpha, pairwiseAgreement, type MeasurementLevel } from './agreement.ts';

// ─── Types ───────────────────────────────────────────────────────────────────────────────────

/** One valid ranking, its JSON columns already parsed. */
export interface RankingRow {
  itemId: string;
  authorId: string;
  /** Best → worst; candidates in one tier are tied. */
  tiers: string[][];
  ratings: Record<string, Partial<Record<RatingDimension, number>>>;
  flags: Record<string, string[]>;
  createdAt: Date;
  timeSpentMs: number | null;
}

/** A coders × units matrix for krippendorffAlpha, with the names of its rows and columns. */
export interface CodingMatrix {
  coders: string[];
  /** `${itemId}/${candidateId}` */
  units: string[];
  data: (number | null)[][];
}

export interface AlphaFigure {
  alpha: number | null;
  /** Units with at least two values: the ones alpha is computed from. */
  units: number;
  /** Labelers with a value in at least one of those units. */
  coders: number;
}

export interface FlagAlpha extends AlphaFigure {
  flag: string;
  /** How many times the flag was set in all. */
  count: number;
}

/** Two labelers' agreement on one item. */
export interface PairFigure {
  itemId: string;
  a: string;
  b: string;
  tau: number | null;
  pairwise: number | null;
  /** Candidates both ranked. */
  common: number;
  /** When the later of the two rankings was submitted: the pair exists from then on. */
  at: Date;
}

/** Mean over items of the per-item mean over labeler pairs; the counts are what is behind it. */
export interface MeanFigure {
  mean: number | null;
  items: number;
  pairs: number;
}

export interface RankingAgreement {
  tau: MeanFigure;
  pairwise: MeanFigure;
}

export interface WeekFigure {
  /** ISO week, e.g. "2025-W03". */
  week: string;
  tau: number | null;
  pairwise: number | null;
  items: number;
  pairs: number;
}

export interface GoldScore {
  correct: number;
  /** Gold items the labeler ranked both the chosen and the rejected answer of. */
  total: number;
  accuracy: number | null;
}

export interface LabelerFigure {
  userId: string;
  rankings: number;
  medianTimeMs: number | null;
  /** Mean tau-b over this labeler's pairs with other labelers. */
  agreement: number | null;
  pairs: number;
  gold: GoldScore;
}

export interface ItemFigure {
  itemId: string;
  tau: number | null;
  pairwise: number | null;
  labelers: number;
  pairs: number;
}

export interface AgreementFigures {
  rankings: number;
  items: number;
  labelers: number;
  ratings: Record<RatingDimension, AlphaFigure>;
  flags: FlagAlpha[];
  ranking: RankingAgreement;
  overTime: WeekFigure[];
  perLabeler: LabelerFigure[];
  /** Every labeler's gold answers together. */
  gold: GoldScore;
  lowest: ItemFigure[];
}

export interface ProjectAgreement extends Omit<AgreementFigures, 'perLabeler' | 'lowest'> {
  project: { id: string; slug: string; name: string };
  perLabeler: (LabelerFigure & { name: string; email: string })[];
  lowest: (ItemFigure & { snippet: string; href: string })[];
}

export const DEFAULT_LOWEST = 20;

// ─── Parsing the JSON columns ────────────────────────────────────────────────────────────────

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseTiers(value: unknown): string[][] {
  if (!Array.isArray(value)) return [];
  return value
    .map((tier) => (Array.isArray(tier) ? tier.filter((id): id is string => typeof id === 'string') : []))
    .filter((tier) => tier.length > 0);
}

export function parseRatings(value: unknown): RankingRow['ratings'] {
  if (!isRecord(value)) return {};
  const out: RankingRow['ratings'] = {};
  for (const [candidate, scores] of Object.entries(value)) {
    if (!isRecord(scores)) continue;
    const entry: Partial<Record<RatingDimension, number>> = {};
    for (const dimension of RATING_DIMENSIONS) {
      const score = scores[dimension];
      if (typeof score === 'number' && Number.isFinite(score)) entry[dimension] = score;
    }
    out[candidate] = entry;
  }
  return out;
}

export function parseFlags(value: unknown): RankingRow['flags'] {
  if (!isRecord(value)) return {};
  const out: RankingRow['flags'] = {};
  for (const [candidate, list] of Object.entries(value)) {
    if (Array.isArray(list)) out[candidate] = [...new Set(list.filter((flag): flag is string => typeof flag === 'string'))];
  }
  return out;
}

/** The gold tiers of an Item.goldAnswer (`{tiers: [[chosen], [rejected]], source}`), or null. */
export function parseGold(value: unknown): string[][] | null {
  if (!isRecord(value)) return null;
  const tiers = parseTiers(value.tiers);
  return tiers.length >= 2 ? tiers : null;
}

// ─── Pure aggregation ────────────────────────────────────────────────────────────────────────

/** One ranking per (item, labeler): the latest. */
export function latestPerLabeler(rows: RankingRow[]): RankingRow[] {
  const latest = new Map<string, RankingRow>();
  for (const row of rows) {
    const key = `${row.itemId}\u0000${row.authorId}`;
    const seen = latest.get(key);
    if (!seen || row.createdAt.getTime() >= seen.createdAt.getTime()) latest.set(key, row);
  }
  return [...latest.values()];
}

function byItem(rows: RankingRow[]): Map<string, RankingRow[]> {
  const groups = new Map<string, RankingRow[]>();
  for (const row of rows) {
    const group = groups.get(row.itemId);
    if (group) group.push(row);
    else groups.set(row.itemId, [row]);
  }
  for (const group of groups.values()) group.sort((x, y) => compare(x.authorId, y.authorId));
  return groups;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const unitKey = (itemId: string, candidateId: string) => `${itemId}/${candidateId}`;

function matrix(cells: Map<string, Map<string, number>>): CodingMatrix {
  // cells: unit → coder → value
  const units = [...cells.keys()].sort(compare);
  const coders = [...new Set([...cells.values()].flatMap((byCoder) => [...byCoder.keys()]))].sort(compare);
  const data = coders.map((coder) => units.map((unit) => cells.get(unit)!.get(coder) ?? null));
  return { coders, units, data };
}

/** Ratings on one dimension: units are (item, candidate) pairs, coders are labelers. */
export function ratingMatrix(rows: RankingRow[], dimension: RatingDimension): CodingMatrix {
  const cells = new Map<string, Map<string, number>>();
  for (const row of rows) {
    for (const [candidate, scores] of Object.entries(row.ratings)) {
      const score = scores[dimension];
      if (score === undefined) continue;
      const unit = unitKey(row.itemId, candidate);
      if (!cells.has(unit)) cells.set(unit, new Map());
      cells.get(unit)!.set(row.authorId, score);
    }
  }
  return matrix(cells);
}

/**
 * One flag as 0/1: units are the (item, candidate) pairs of every candidate anyone ranked or
 * flagged on the item; every labeler who ranked the item codes all of its units (1 when they set
 * the flag on that candidate, else 0). Labelers who did not rank an item are missing there.
 */
export function flagMatrix(rows: RankingRow[], flag: string): CodingMatrix {
  const cells = new Map<string, Map<string, number>>();
  for (const [itemId, group] of byItem(rows)) {
    const candidates = new Set<string>();
    for (const row of group) {
      for (const tier of row.tiers) for (const id of tier) candidates.add(id);
      for (const id of Object.keys(row.flags)) candidates.add(id);
    }
    for (const candidate of candidates) {
      const byCoder = new Map<string, number>();
      for (const row of group) byCoder.set(row.authorId, row.flags[candidate]?.includes(flag) ? 1 : 0);
      cells.set(unitKey(itemId, candidate), byCoder);
    }
  }
  return matrix(cells);
}

/** Alpha of a matrix with the number of units (and coders) that carry information. */
export function alphaFigure(m: CodingMatrix, level: MeasurementLevel): AlphaFigure {
  const pairable = m.units.map((_, u) => m.data.filter((row) => row[u] !== null).length >= 2);
  const coders = m.data.filter((row) => row.some((value, u) => value !== null && pairable[u])).length;
  return { alpha: krippendorffAlpha(m.data, level), units: pairable.filter(Boolean).length, coders };
}

/** Position of each candidate in a ranking: its tier index (ties share one). */
export function positions(tiers: string[][]): Map<string, number> {
  const map = new Map<string, number>();
  tiers.forEach((tier, index) => {
    for (const id of tier) if (!map.has(id)) map.set(id, index);
  });
  return map;
}

/** Tau-b and pairwise agreement for every pair of labelers who ranked the same item. */
export function pairFigures(rows: RankingRow[]): PairFigure[] {
  const pairs: PairFigure[] = [];
  for (const [itemId, group] of byItem(rows)) {
    const ranked = group.map((row) => ({ row, at: positions(row.tiers) }));
    for (let i = 0; i < ranked.length; i++) {
      for (let j = i + 1; j < ranked.length; j++) {
        const x = ranked[i]!;
        const y = ranked[j]!;
        const common = [...x.at.keys()].filter((id) => y.at.has(id)).sort(compare);
        const a = common.map((id) => x.at.get(id)!);
        const b = common.map((id) => y.at.get(id)!);
        pairs.push({
          itemId,
          a: x.row.authorId,
          b: y.row.authorId,
          tau: kendallTauB(a, b),
          pairwise: pairwiseAgreement(a, b),
          common: common.length,
          at: new Date(Math.max(x.row.createdAt.getTime(), y.row.createdAt.getTime())),
        });
      }
    }
  }
  return pairs;
}

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per item: the mean of its defined pair figures; then the mean of those over items. */
export function meanOverItems(pairs: PairFigure[], pick: (pair: PairFigure) => number | null): MeanFigure & { perItem: Map<string, { mean: number; pairs: number }> } {
  const values = new Map<string, number[]>();
  for (const pair of pairs) {
    const value = pick(pair);
    if (value === null) continue;
    const list = values.get(pair.itemId);
    if (list) list.push(value);
    else values.set(pair.itemId, [value]);
  }
  const perItem = new Map([...values].map(([itemId, list]) => [itemId, { mean: mean(list)!, pairs: list.length }]));
  return {
    mean: mean([...perItem.values()].map((entry) => entry.mean)),
    items: perItem.size,
    pairs: [...perItem.values()].reduce((sum, entry) => sum + entry.pairs, 0),
    perItem,
  };
}

export function rankingAgreement(pairs: PairFigure[]): RankingAgreement {
  const { perItem: _tau, ...tau } = meanOverItems(pairs, (pair) => pair.tau);
  const { perItem: _pairwise, ...pairwise } = meanOverItems(pairs, (pair) => pair.pairwise);
  return { tau, pairwise };
}

/** ISO 8601 week of a date (UTC), e.g. "2025-W03"; the year is the ISO week-numbering year. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(day.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  const week = Math.floor((ordinal - 1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The project figures per ISO week of the pair's date, oldest first. */
export function agreementOverTime(pairs: PairFigure[]): WeekFigure[] {
  const weeks = new Map<string, PairFigure[]>();
  for (const pair of pairs) {
    const week = isoWeek(pair.at);
    const list = weeks.get(week);
    if (list) list.push(pair);
    else weeks.set(week, [pair]);
  }
  return [...weeks]
    .sort(([x], [y]) => compare(x, y))
    .map(([week, list]) => {
      const { tau, pairwise } = rankingAgreement(list);
      return { week, tau: tau.mean, pairwise: pairwise.mean, items: tau.items, pairs: tau.pairs };
    });
}

/**
 * Whether a ranking puts every gold-preferred answer above the gold-rejected one (for the usual
 * `[[chosen], [rejected]]`: chosen strictly above rejected; a tie is wrong). Null when the ranking
 * has no gold pair with both answers in it.
 */
export function goldVerdict(tiers: string[][], gold: string[][]): boolean | null {
  const at = positions(tiers);
  const goldAt = positions(gold);
  let compared = 0;
  for (const [better, i] of goldAt) {
    for (const [worse, j] of goldAt) {
      if (i >= j || !at.has(better) || !at.has(worse)) continue;
      compared += 1;
      if (!(at.get(better)! < at.get(worse)!)) return false;
    }
  }
  return compared === 0 ? null : true;
}

export function labelerFigures(rows: RankingRow[], pairs: PairFigure[], gold: Map<string, string[][]>): LabelerFigure[] {
  const users = [...new Set(rows.map((row) => row.authorId))].sort(compare);
  return users
    .map((userId) => {
      const own = rows.filter((row) => row.authorId === userId);
      const taus = pairs.filter((pair) => (pair.a === userId || pair.b === userId) && pair.tau !== null).map((pair) => pair.tau!);
      let correct = 0;
      let total = 0;
      for (const row of own) {
        const answer = gold.get(row.itemId);
        if (!answer) continue;
        const verdict = goldVerdict(row.tiers, answer);
        if (verdict === null) continue;
        total += 1;
        if (verdict) correct += 1;
      }
      return {
        userId,
        rankings: own.length,
        medianTimeMs: median(own.map((row) => row.timeSpentMs).filter((ms): ms is number => ms !== null)),
        agreement: mean(taus),
        pairs: taus.length,
        gold: { correct, total, accuracy: total === 0 ? null : correct / total },
      };
    })
    .sort((x, y) => y.rankings - x.rankings || compare(x.userId, y.userId));
}

/** The labelers' gold scores added up: how often rankings of gold items got the reference order right. */
export function goldTotals(labelers: LabelerFigure[]): GoldScore {
  const correct = labelers.reduce((n, l) => n + l.gold.correct, 0);
  const total = labelers.reduce((n, l) => n + l.gold.total, 0);
  return { correct, total, accuracy: total === 0 ? null : correct / total };
}

/** Items ranked by at least two labelers, lowest mean tau-b first. */
export function lowestAgreement(rows: RankingRow[], pairs: PairFigure[], limit = DEFAULT_LOWEST): ItemFigure[] {
  const labelers = new Map<string, number>();
  for (const row of rows) labelers.set(row.itemId, (labelers.get(row.itemId) ?? 0) + 1);
  const tau = meanOverItems(pairs, (pair) => pair.tau).perItem;
  const pairwise = meanOverItems(pairs, (pair) => pair.pairwise).perItem;
  return [...tau]
    .filter(([itemId]) => (labelers.get(itemId) ?? 0) >= 2)
    .map(([itemId, entry]) => ({
      itemId,
      tau: entry.mean,
      pairwise: pairwise.get(itemId)?.mean ?? null,
      labelers: labelers.get(itemId)!,
      pairs: entry.pairs,
    }))
    .sort((x, y) => x.tau - y.tau || compare(x.itemId, y.itemId))
    .slice(0, limit);
}

/** Every figure of the panel from the project's valid rankings and gold answers. */
export function agreementFigures(allRows: RankingRow[], gold: Map<string, string[][]>, limit = DEFAULT_LOWEST): AgreementFigures {
  const rows = latestPerLabeler(allRows);
  const pairs = pairFigures(rows);
  const seenFlags = new Set(rows.flatMap((row) => Object.values(row.flags).flat()));
  const perLabeler = labelerFigures(rows, pairs, gold);
  const flags = [...CANDIDATE_FLAGS, ...[...seenFlags].filter((flag) => !(CANDIDATE_FLAGS as readonly string[]).includes(flag)).sort(compare)];
  return {
    rankings: rows.length,
    items: new Set(rows.map((row) => row.itemId)).size,
    labelers: new Set(rows.map((row) => row.authorId)).size,
    ratings: Object.fromEntries(
      RATING_DIMENSIONS.map((dimension) => [dimension, alphaFigure(ratingMatrix(rows, dimension), 'ordinal')]),
    ) as Record<RatingDimension, AlphaFigure>,
    flags: flags.map((flag) => ({
      flag,
      ...alphaFigure(flagMatrix(rows, flag), 'nominal'),
      count: rows.reduce((n, row) => n + Object.values(row.flags).filter((list) => list.includes(flag)).length, 0),
    })),
    ranking: rankingAgreement(pairs),
    overTime: agreementOverTime(pairs),
    perLabeler,
    gold: goldTotals(perLabeler),
    lowest: lowestAgreement(rows, pairs, limit),
  };
}

/** The last user turn of an item's conversation, on one line and cut to `max` characters. */
export function promptSnippet(messages: unknown, max = 140): string {
  const turns = Array.isArray(messages) ? messages.filter(isRecord) : [];
  const user = [...turns].reverse().find((turn) => turn.role === 'user') ?? turns.at(-1);
  const text = typeof user?.content === 'string' ? user.content.replace(/\s+/g, ' ').trim() : '';
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

// ─── Database ────────────────────────────────────────────────────────────────────────────────

export const agreementQuery = z.object({
  project: z.string().trim().min(1, 'name a project').max(100),
  limit: z.coerce.number().int().min(1).max(200).default(DEFAULT_LOWEST),
});
export type AgreementQuery = z.infer<typeof agreementQuery>;

/** The project's figures (no access check: see agreementForViewer). */
export async function projectAgreement(
  db: Db,
  project: { id: string; slug: string; name: string },
  limit = DEFAULT_LOWEST,
): Promise<ProjectAgreement> {
  const [rankings, goldRows] = await Promise.all([
    db.ranking.findMany({
      where: { item: { projectId: project.id }, status: { not: 'INVALID' } },
      select: { itemId: true, authorId: true, tiers: true, ratings: true, flags: true, createdAt: true, timeSpentMs: true },
    }),
    db.$queryRaw<{ id: string; goldAnswer: unknown }[]>`
      SELECT id, "goldAnswer" FROM "Item"
      WHERE "projectId" = ${project.id} AND "goldAnswer" IS NOT NULL AND jsonb_typeof("goldAnswer") = 'object'`,
  ]);
  const rows: RankingRow[] = rankings.map((r) => ({
    itemId: r.itemId,
    authorId: r.authorId,
    tiers: parseTiers(r.tiers),
    ratings: parseRatings(r.ratings),
    flags: parseFlags(r.flags),
    createdAt: r.createdAt,
    timeSpentMs: r.timeSpentMs,
  }));
  const gold = new Map<string, string[][]>();
  for (const row of goldRows) {
    const tiers = parseGold(row.goldAnswer);
    if (tiers) gold.set(row.id, tiers);
  }
  const figures = agreementFigures(rows, gold, limit);

  const [users, items] = await Promise.all([
    db.user.findMany({ where: { id: { in: figures.perLabeler.map((l) => l.userId) } }, select: { id: true, name: true, email: true } }),
    db.item.findMany({ where: { id: { in: figures.lowest.map((i) => i.itemId) } }, select: { id: true, messages: true } }),
  ]);
  const people = new Map(users.map((user) => [user.id, user]));
  const prompts = new Map(items.map((item) => [item.id, item.messages]));
  return {
    ...figures,
    project: { id: project.id, slug: project.slug, name: project.name },
    perLabeler: figures.perLabeler.map((l) => ({ ...l, name: people.get(l.userId)?.name ?? '', email: people.get(l.userId)?.email ?? '' })),
    lowest: figures.lowest.map((i) => ({ ...i, snippet: promptSnippet(prompts.get(i.itemId)), href: `/review/items/${i.itemId}` })),
  };
}

/**
 * The figures for a viewer: admins see any project (404 when there is none); reviewers only
 * projects they are members of (403 otherwise, without saying whether the project exists).
 */
export async function agreementForViewer(
  db: Db,
  viewer: { id: string; role: Role },
  slug: string,
  limit = DEFAULT_LOWEST,
): Promise<ProjectAgreement> {
  if (viewer.role !== 'ADMIN' && viewer.role !== 'REVIEWER') throw new DomainError('forbidden', 'Only reviewers and admins see agreement figures.', 403);
  const project = viewer.role === 'ADMIN' ? await requireProject(db, slug) : await requireMemberProject(db, viewer.id, slug);
  return projectAgreement(db, project, limit);
}
