import crypto from 'node:crypto';
import type pg from 'pg';
import { toChatMessages } from '../formats/messages.ts';
import { toHH, toOpenAIPreference, toTrlConversational, toTrlStandard, type PreferenceRow } from '../formats/preference.ts';
import { RATING_DIMENSIONS } from '../annotation/schemas.ts';
import type { ExportOptions } from './options.ts';
import { aggregatePairs, pairsFromTiers } from './pairs.ts';
import { preferenceRows, sftRows, type PreferenceSourceRow, type RankingSource } from './source.ts';

/** One line of an export, with what the split and the manifest need to know about it. */
export interface ExportLine {
  itemId: string;
  record: object;
  guidelineVersions: number[];
}

/** A stable, non-reversible annotator id: the same person within a project, never their account. */
export function pseudonym(projectId: string, userId: string): string {
  return `ann_${crypto.createHash('sha256').update(`${projectId}:${userId}`).digest('hex').slice(0, 12)}`;
}

const WRITERS = {
  trl: toTrlStandard,
  'trl-conversational': toTrlConversational,
  openai: toOpenAIPreference,
  hh: toHH,
} as const;

/** The rows of an export, in a stable order, read from the database as they are written. */
export async function* exportLines(client: pg.Client, projectId: string, options: ExportOptions): AsyncGenerator<ExportLine> {
  if (options.kind === 'sft') {
    yield* sftLines(client, projectId, options);
    if (options.bestOfN) yield* bestOfNLines(client, projectId, options);
    return;
  }
  const write = WRITERS[options.format as keyof typeof WRITERS];
  for await (const row of preferenceRows(client, projectId, options)) {
    for (const pair of itemPairs(row, projectId, options)) {
      yield { itemId: row.item_id, record: write(pair.row), guidelineVersions: pair.guidelineVersions };
    }
  }
}

async function* sftLines(client: pg.Client, projectId: string, options: ExportOptions): AsyncGenerator<ExportLine> {
  for await (const row of sftRows(client, projectId, options)) {
    const record: Record<string, unknown> = { messages: toChatMessages(row.system, [...row.prompt, ...row.reply]) };
    if (options.metadata) {
      record.metadata = {
        item_id: row.item_id,
        demonstration_id: row.id,
        annotator: pseudonym(projectId, row.author_id),
        guideline_version: row.guideline,
        is_refusal: row.is_refusal,
        review_status: row.status,
        source: 'demonstration',
      };
    }
    yield { itemId: row.item_id, record, guidelineVersions: row.guideline === null ? [] : [row.guideline] };
  }
}

/** Best-of-n: a candidate alone at the top of a ranking that every labeler rated ≥ 4 on all scales. */
async function* bestOfNLines(client: pg.Client, projectId: string, options: ExportOptions): AsyncGenerator<ExportLine> {
  for await (const row of preferenceRows(client, projectId, options)) {
    const winners = new Set<string>();
    for (const ranking of row.rankings) {
      const top = ranking.tiers[0];
      if (top?.length !== 1 || !row.candidates[top[0]!]) continue;
      const id = top[0]!;
      const ratedWell = row.rankings.every((r) => RATING_DIMENSIONS.every((dimension) => (r.ratings[id]?.[dimension] ?? 0) >= 4));
      if (ratedWell) winners.add(id);
    }
    for (const id of winners) {
      const record: Record<string, unknown> = {
        messages: toChatMessages(row.system, [...row.prompt, { role: 'assistant', content: row.candidates[id]! }]),
      };
      if (options.metadata) record.metadata = { item_id: row.item_id, candidate_id: id, source: 'best_of_n', rankings: row.rankings.length };
      yield { itemId: row.item_id, record, guidelineVersions: versionsOf(row.rankings) };
    }
  }
}

function versionsOf(rankings: RankingSource[]): number[] {
  return [...new Set(rankings.map((r) => r.guideline).filter((v): v is number => v !== null))];
}

/** A labeler's "all bad" reply is a tier of its own above every candidate. */
function withReplies(row: PreferenceSourceRow, ranking: RankingSource, contents: Map<string, string>, refusals: ExportOptions['refusals']) {
  if (!ranking.allBad || !ranking.reply) return ranking.tiers;
  if (refusals === 'drop' && ranking.replyIsRefusal) return ranking.tiers;
  const id = `reply:${ranking.rankingId}`;
  contents.set(id, ranking.reply);
  return [[id], ...ranking.tiers];
}

function itemPairs(row: PreferenceSourceRow, projectId: string, options: ExportOptions): { row: PreferenceRow; guidelineVersions: number[] }[] {
  const contents = new Map(Object.entries(row.candidates ?? {}));
  const base = { system: row.system, prompt: row.prompt };
  if (options.mode === 'aggregate') {
    const tiers = row.rankings.map((ranking) => withReplies(row, ranking, contents, options.refusals));
    const versions = versionsOf(row.rankings);
    return aggregatePairs(tiers)
      .filter((pair) => pair.agreement >= options.minAgreement && contents.has(pair.chosen) && contents.has(pair.rejected))
      .map((pair) => ({
        guidelineVersions: versions,
        row: {
          ...base,
          chosen: contents.get(pair.chosen)!,
          rejected: contents.get(pair.rejected)!,
          metadata: options.metadata
            ? { item_id: row.item_id, margin: pair.margin, agreement: Number(pair.agreement.toFixed(4)), votes: pair.votes, labelers: pair.voters, guideline_versions: versions }
            : undefined,
        },
      }));
  }
  return row.rankings.flatMap((ranking) => {
    const tiers = withReplies(row, ranking, contents, options.refusals);
    return pairsFromTiers(tiers)
      .filter((pair) => contents.has(pair.chosen) && contents.has(pair.rejected))
      .map((pair) => ({
        guidelineVersions: ranking.guideline === null ? [] : [ranking.guideline],
        row: {
          ...base,
          chosen: contents.get(pair.chosen)!,
          rejected: contents.get(pair.rejected)!,
          metadata: options.metadata
            ? {
                item_id: row.item_id,
                annotator: pseudonym(projectId, ranking.author),
                guideline_version: ranking.guideline,
                margin: pair.margin,
                ratings: { chosen: ranking.ratings[pair.chosen] ?? null, rejected: ranking.ratings[pair.rejected] ?? null },
                flags: { chosen: ranking.flags[pair.chosen] ?? [], rejected: ranking.flags[pair.rejected] ?? [] },
              }
            : undefined,
        },
      }));
  });
}
