import type { Db } from '../db.ts';

export interface DayCount {
  day: string;
  demonstrations: number;
  rankings: number;
}

export interface ProjectDashboard {
  items: { total: number; untouched: number; inProgress: number; complete: number };
  slots: { total: number; filled: number };
  perDay: DayCount[];
  burnDown: { day: string; remaining: number }[];
  activeLabelers: { lastSevenDays: number; holdingLeases: number };
  medianSeconds: { demonstration: number | null; ranking: number | null };
  flags: { flag: string; count: number }[];
  itemNotes: { kind: string; count: number }[];
  labelers: { userId: string; name: string; email: string; demonstrations: number; rankings: number; skips: number; medianSeconds: number | null }[];
}

const DAY_MS = 86_400_000;

function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Everything the admin dashboard shows for one project, computed in Postgres (a handful of
 * aggregate queries, whatever the number of items).
 */
export async function projectDashboard(db: Db, projectId: string, now = new Date(), days = 30): Promise<ProjectDashboard> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
  const [itemRows, perDayRows, beforeRows, activeRows, medianRows, flagRows, noteRows, labelerRows] = await Promise.all([
    db.$queryRaw<{ total: bigint; untouched: bigint; in_progress: bigint; complete: bigint; slots: bigint; filled: bigint }[]>`
      WITH per_item AS (
        SELECT i.id,
               p."demonstrationsPerItem" AS dq,
               CASE WHEN (SELECT count(*) FROM "Candidate" c WHERE c."itemId" = i.id) >= 2 THEN p."rankingsPerItem" ELSE 0 END AS rq,
               count(a.id) FILTER (WHERE a.kind = 'DEMONSTRATION' AND a.status = 'SUBMITTED') AS demos,
               count(a.id) FILTER (WHERE a.kind = 'RANKING' AND a.status = 'SUBMITTED') AS ranks,
               count(a.id) FILTER (WHERE a.status = 'ACTIVE' AND a."leaseExpiresAt" > ${now}) AS leased
        FROM "Item" i
        JOIN "Project" p ON p.id = i."projectId"
        LEFT JOIN "Assignment" a ON a."itemId" = i.id AND a."targetId" = '' AND a.kind IN ('DEMONSTRATION', 'RANKING')
        WHERE i."projectId" = ${projectId}
        GROUP BY i.id, p."demonstrationsPerItem", p."rankingsPerItem"
      )
      SELECT count(*) AS total,
             count(*) FILTER (WHERE demos = 0 AND ranks = 0 AND leased = 0) AS untouched,
             count(*) FILTER (WHERE demos >= dq AND ranks >= rq) AS complete,
             count(*) FILTER (WHERE NOT (demos = 0 AND ranks = 0 AND leased = 0) AND NOT (demos >= dq AND ranks >= rq)) AS in_progress,
             coalesce(sum(dq + rq), 0) AS slots,
             coalesce(sum(least(demos, dq) + least(ranks, rq)), 0) AS filled
      FROM per_item`,
    db.$queryRaw<{ day: Date; kind: string; n: bigint }[]>`
      SELECT date_trunc('day', a."finishedAt") AS day, a.kind::text AS kind, count(*) AS n
      FROM "Assignment" a JOIN "Item" i ON i.id = a."itemId"
      WHERE i."projectId" = ${projectId} AND a.status = 'SUBMITTED' AND a."targetId" = '' AND a."finishedAt" >= ${since}
      GROUP BY 1, 2`,
    db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n
      FROM "Assignment" a JOIN "Item" i ON i.id = a."itemId"
      WHERE i."projectId" = ${projectId} AND a.status = 'SUBMITTED' AND a."targetId" = '' AND a."finishedAt" < ${since}`,
    db.$queryRaw<{ recent: bigint; leasing: bigint }[]>`
      SELECT count(DISTINCT a."userId") FILTER (WHERE a.status = 'SUBMITTED' AND a."finishedAt" >= ${new Date(now.getTime() - 7 * DAY_MS)}) AS recent,
             count(DISTINCT a."userId") FILTER (WHERE a.status = 'ACTIVE' AND a."leaseExpiresAt" > ${now}) AS leasing
      FROM "Assignment" a JOIN "Item" i ON i.id = a."itemId"
      WHERE i."projectId" = ${projectId}`,
    db.$queryRaw<{ demo: number | null; ranking: number | null }[]>`
      SELECT (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d."timeSpentMs") FROM "Demonstration" d JOIN "Item" i ON i.id = d."itemId"
              WHERE i."projectId" = ${projectId} AND d."timeSpentMs" IS NOT NULL AND NOT d."fromAllBad" AND d."revisesId" IS NULL) AS demo,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r."timeSpentMs") FROM "Ranking" r JOIN "Item" i ON i.id = r."itemId"
              WHERE i."projectId" = ${projectId} AND r."timeSpentMs" IS NOT NULL AND r.status <> 'INVALID') AS ranking`,
    db.$queryRaw<{ flag: string; n: bigint }[]>`
      SELECT flag, count(*) AS n
      FROM "Ranking" r JOIN "Item" i ON i.id = r."itemId",
           jsonb_each(r.flags) AS f(candidate, list),
           jsonb_array_elements_text(f.list) AS flag
      WHERE i."projectId" = ${projectId} AND r.status <> 'INVALID'
      GROUP BY flag ORDER BY n DESC`,
    db.$queryRaw<{ kind: string; n: bigint }[]>`
      SELECT n.kind::text AS kind, count(*) AS n FROM "ItemNote" n JOIN "Item" i ON i.id = n."itemId"
      WHERE i."projectId" = ${projectId} GROUP BY 1 ORDER BY n DESC`,
    db.$queryRaw<{ id: string; name: string; email: string; demos: bigint; ranks: bigint; skips: bigint; median: number | null }[]>`
      SELECT u.id, u.name, u.email,
             count(*) FILTER (WHERE a.kind = 'DEMONSTRATION' AND a.status = 'SUBMITTED') AS demos,
             count(*) FILTER (WHERE a.kind = 'RANKING' AND a.status = 'SUBMITTED') AS ranks,
             count(*) FILTER (WHERE a.status = 'SKIPPED') AS skips,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a."finishedAt" - a."claimedAt"))
               FILTER (WHERE a.status = 'SUBMITTED') AS median
      FROM "Assignment" a JOIN "Item" i ON i.id = a."itemId" JOIN "User" u ON u.id = a."userId"
      WHERE i."projectId" = ${projectId} AND a."targetId" = '' AND a.kind IN ('DEMONSTRATION', 'RANKING')
      GROUP BY u.id, u.name, u.email
      ORDER BY count(*) FILTER (WHERE a.status = 'SUBMITTED') DESC, u.email`,
  ]);

  const items = itemRows[0]!;
  const byDay = new Map<string, DayCount>();
  for (let i = 0; i < days; i++) {
    const day = dayKey(new Date(since.getTime() + i * DAY_MS));
    byDay.set(day, { day, demonstrations: 0, rankings: 0 });
  }
  for (const row of perDayRows) {
    const entry = byDay.get(dayKey(row.day));
    if (!entry) continue;
    if (row.kind === 'DEMONSTRATION') entry.demonstrations += Number(row.n);
    else entry.rankings += Number(row.n);
  }
  const perDay = [...byDay.values()];
  // Remaining slots at the end of each day: all slots minus every submission up to that day.
  let done = Number(beforeRows[0]?.n ?? 0);
  const burnDown = perDay.map((entry) => {
    done += entry.demonstrations + entry.rankings;
    return { day: entry.day, remaining: Math.max(0, Number(items.slots) - done) };
  });
  const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round(Number(ms) / 1000));

  return {
    items: {
      total: Number(items.total),
      untouched: Number(items.untouched),
      inProgress: Number(items.in_progress),
      complete: Number(items.complete),
    },
    slots: { total: Number(items.slots), filled: Number(items.filled) },
    perDay,
    burnDown,
    activeLabelers: { lastSevenDays: Number(activeRows[0]?.recent ?? 0), holdingLeases: Number(activeRows[0]?.leasing ?? 0) },
    medianSeconds: { demonstration: seconds(medianRows[0]?.demo), ranking: seconds(medianRows[0]?.ranking) },
    flags: flagRows.map((row) => ({ flag: row.flag, count: Number(row.n) })),
    itemNotes: noteRows.map((row) => ({ kind: row.kind, count: Number(row.n) })),
    labelers: labelerRows.map((row) => ({
      userId: row.id,
      name: row.name,
      email: row.email,
      demonstrations: Number(row.demos),
      rankings: Number(row.ranks),
      skips: Number(row.skips),
      medianSeconds: row.median === null ? null : Math.round(Number(row.median)),
    })),
  };
}
