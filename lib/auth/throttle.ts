import type { Db } from '../db.ts';

/** Failed sign-ins allowed per window before further attempts are refused with 429. */
export const THROTTLE = {
  windowMinutes: 15,
  perEmail: 5,
  perIp: 30,
} as const;

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

function windowStart(now: Date): Date {
  return new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
}

/** True when this email or this address has failed too often within the window. */
export async function isThrottled(db: Db, email: string, ip: string, now = new Date()): Promise<boolean> {
  const since = windowStart(now);
  const [byEmail, byIp] = await Promise.all([
    db.signInFailure.count({ where: { key: emailKey(email), createdAt: { gte: since } } }),
    db.signInFailure.count({ where: { key: ipKey(ip), createdAt: { gte: since } } }),
  ]);
  return byEmail >= THROTTLE.perEmail || byIp >= THROTTLE.perIp;
}

export async function recordFailure(db: Db, email: string, ip: string): Promise<void> {
  await db.signInFailure.createMany({ data: [{ key: emailKey(email) }, { key: ipKey(ip) }] });
}

/** A successful sign-in clears the email's count (the address keeps its own). */
export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { key: emailKey(email) } });
}
