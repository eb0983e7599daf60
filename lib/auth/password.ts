import bcrypt from 'bcryptjs';
import { MAX_PASSWORD_BYTES } from './credentials-schema.ts';

const COST = 11;

export async function hashPassword(password: string): Promise<string> {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new Error(`password longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return false;
  return bcrypt.compare(password, hash);
}

let dummy: Promise<string> | undefined;

/** Compared against when the email is unknown, so that both paths take the same time. */
export function dummyHash(): Promise<string> {
  dummy ??= bcrypt.hash('feedloop-timing-equaliser', COST);
  return dummy;
}
