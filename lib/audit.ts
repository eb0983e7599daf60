import type { Prisma } from './generated/prisma/client.ts';
import type { Queryable } from './db.ts';

export interface AuditEntry {
  actorId: string | null;
  /** Dotted verb, e.g. "project.update", "user.deactivate", "guideline.publish". */
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  ip?: string | null;
}

/** Records who changed what; call it inside the transaction that makes the change. */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: entry.before,
      after: entry.after,
      ip: entry.ip ?? null,
    },
  });
}
