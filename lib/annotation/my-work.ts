import type { Db } from '../db.ts';

export interface WorkEntry {
  id: string;
  kind: 'DEMONSTRATION' | 'RANKING';
  projectName: string;
  prompt: string;
  text: string;
  status: string;
  createdAt: string;
  review: { verdict: string; comment: string } | null;
}

export interface WorkSummary {
  today: number;
  thisWeek: number;
  entries: WorkEntry[];
}

function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Monday 00:00 UTC of the current week. */
function startOfWeek(now: Date): Date {
  const day = startOfDay(now);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

function lastUserTurn(messages: unknown): string {
  const turns = Array.isArray(messages) ? (messages as { role: string; content: string }[]) : [];
  return [...turns].reverse().find((turn) => turn.role === 'user')?.content ?? '';
}

/** The user's own submissions, newest first, with counts for today and this week (UTC). */
export async function myWork(db: Db, userId: string, now = new Date(), limit = 50): Promise<WorkSummary> {
  const since = { gte: startOfWeek(now) };
  const today = { gte: startOfDay(now) };
  const review = { orderBy: { createdAt: 'desc' as const }, take: 1, select: { verdict: true, comment: true } };
  const item = { select: { messages: true, project: { select: { name: true } } } };
  const [demosToday, rankingsToday, demosWeek, rankingsWeek, demonstrations, rankings] = await Promise.all([
    db.demonstration.count({ where: { authorId: userId, fromAllBad: false, createdAt: today } }),
    db.ranking.count({ where: { authorId: userId, createdAt: today } }),
    db.demonstration.count({ where: { authorId: userId, fromAllBad: false, createdAt: since } }),
    db.ranking.count({ where: { authorId: userId, createdAt: since } }),
    // A reply written after "all bad" belongs to its ranking, so it is not a task of its own here.
    db.demonstration.findMany({
      where: { authorId: userId, fromAllBad: false },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, messages: true, status: true, createdAt: true, item, reviews: review },
    }),
    db.ranking.findMany({
      where: { authorId: userId },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, tiers: true, rationale: true, status: true, createdAt: true, item, reviews: review },
    }),
  ]);
  const entries: WorkEntry[] = [
    ...demonstrations.map((d) => ({
      id: d.id,
      kind: 'DEMONSTRATION' as const,
      projectName: d.item.project.name,
      prompt: lastUserTurn(d.item.messages),
      text: (d.messages as { content: string }[])[0]?.content ?? '',
      status: d.status,
      createdAt: d.createdAt.toISOString(),
      review: d.reviews[0] ?? null,
    })),
    ...rankings.map((r) => ({
      id: r.id,
      kind: 'RANKING' as const,
      projectName: r.item.project.name,
      prompt: lastUserTurn(r.item.messages),
      text: r.rationale,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      review: r.reviews[0] ?? null,
    })),
  ]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, limit);
  return { today: demosToday + rankingsToday, thisWeek: demosWeek + rankingsWeek, entries };
}
