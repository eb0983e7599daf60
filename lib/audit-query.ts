import { z } from 'zod';
import type { Db } from './db.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { emailSchema } from './people/schemas.ts';

/** Entries on one page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31')
  .refine(isCalendarDate, 'is not a real date');

/** A page boundary: the time (ms) and id of the last entry shown, newest first. */
const cursorPattern = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

/** Each query-string filter of the audit page, validated on its own so one bad field spoils nothing else. */
export const auditFilterFields = {
  action: z.string().trim().max(100, 'is too long').regex(/^[a-z0-9_.]+$/i, 'may hold letters, digits, dots and underscores'),
  actor: emailSchema,
  entity: z.string().trim().max(100, 'is too long').regex(/^[A-Za-z]+$/, 'may hold letters only'),
  from: day,
  to: day,
  cursor: z.string().regex(cursorPattern, 'is not a page marker from this page'),
} as const;

export const auditFilterSchema = z.object(auditFilterFields).partial();
export type AuditFilters = z.infer<typeof auditFilterSchema>;
export type AuditFilterField = keyof typeof auditFilterFields;

export interface FilterProblem {
  field: AuditFilterField;
  /** `invalid`: the field itself does not validate; `to_before_from`: the range is backwards. */
  code: 'invalid' | 'to_before_from';
  message: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The filters in a query string. Empty fields are absent; a field that does not validate is
 * dropped and reported, so the page says what it ignored instead of failing as a whole.
 */
export function parseAuditFilters(params: SearchParams): { filters: AuditFilters; problems: FilterProblem[] } {
  const filters: AuditFilters = {};
  const problems: FilterProblem[] = [];
  for (const field of Object.keys(auditFilterFields) as AuditFilterField[]) {
    const raw = params[field];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    const parsed = auditFilterFields[field].safeParse(value);
    if (parsed.success) filters[field] = parsed.data;
    else problems.push({ field, code: 'invalid', message: parsed.error.issues[0]!.message });
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    problems.push({ field: 'to', code: 'to_before_from', message: 'is before the start date' });
    delete filters.to;
  }
  return { filters, problems };
}

export function encodeCursor(entry: { createdAt: Date; id: string }): string {
  return `${entry.createdAt.getTime()}.${entry.id}`;
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const match = cursorPattern.exec(cursor);
  return match ? { createdAt: new Date(Number(match[1])), id: match[2]! } : null;
}

/** The query string for these filters (and a page marker), without empty fields. */
export function auditQueryString(filters: AuditFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const field of ['action', 'actor', 'entity', 'from', 'to'] as const) {
    const value = filters[field];
    if (value) params.set(field, value);
  }
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The Prisma filter for these filters; dates are whole days in UTC, both ends included. */
export function auditWhere(filters: AuditFilters): Prisma.AuditLogWhereInput {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (filters.action) and.push({ action: filters.action });
  if (filters.entity) and.push({ entityType: filters.entity });
  if (filters.actor) and.push({ actor: { is: { email: { equals: filters.actor, mode: 'insensitive' } } } });
  if (filters.from) and.push({ createdAt: { gte: new Date(`${filters.from}T00:00:00.000Z`) } });
  if (filters.to) and.push({ createdAt: { lt: new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + DAY_MS) } });
  const cursor = filters.cursor ? decodeCursor(filters.cursor) : null;
  if (cursor) {
    and.push({ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] });
  }
  return and.length ? { AND: and } : {};
}

export interface AuditRow {
  id: string;
  createdAt: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Prisma.JsonValue | null;
  after: Prisma.JsonValue | null;
  ip: string | null;
  actor: { email: string; name: string } | null;
}

/** One page of the audit log, newest first, and the marker of the next page (null on the last). */
export async function queryAudit(
  db: Db,
  filters: AuditFilters,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<{ entries: AuditRow[]; nextCursor: string | null }> {
  const rows = await db.auditLog.findMany({
    where: auditWhere(filters),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: pageSize + 1,
    select: {
      id: true,
      createdAt: true,
      action: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      ip: true,
      actor: { select: { email: true, name: true } },
    },
  });
  const entries = rows.slice(0, pageSize);
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > pageSize && last ? encodeCursor(last) : null };
}

/** The actions, entity types and actors that occur in the log, for the filter form's choices. */
export async function auditFacets(db: Db): Promise<{ actions: string[]; entityTypes: string[]; actors: string[] }> {
  const [actions, entityTypes, actors] = await Promise.all([
    db.auditLog.groupBy({ by: ['action'], orderBy: { action: 'asc' } }),
    db.auditLog.groupBy({ by: ['entityType'], orderBy: { entityType: 'asc' } }),
    db.user.findMany({ where: { auditLogs: { some: {} } }, select: { email: true }, orderBy: { email: 'asc' } }),
  ]);
  return {
    actions: actions.map((row) => row.action),
    entityTypes: entityTypes.map((row) => row.entityType),
    actors: actors.map((row) => row.email),
  };
}
