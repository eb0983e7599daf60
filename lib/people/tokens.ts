import crypto from 'node:crypto';

/** A new link token: 32 random bytes, URL-safe. Shown once; only its hash is stored. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** What the Invite table stores in place of the token: its sha256, hex. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The shape of a token this app hands out (43 base64url characters); anything else is not looked up. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The page where a link's token is redeemed, relative to the app's origin. */
export function linkPath(token: string): string {
  return `/invite/${token}`;
}
