import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MIN_SECRET_LENGTH = 32;

/**
 * The secret that signs session tokens. Production must set AUTH_SECRET; demo mode (the
 * embedded database) generates one once and keeps it beside the data, so sessions survive
 * a restart.
 */
export function resolveAuthSecret(options: { demo: boolean; stateDir: string }): string {
  const fromEnv = process.env.AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      throw new Error(`AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -base64 32)`);
    }
    return fromEnv;
  }
  if (!options.demo) {
    throw new Error('AUTH_SECRET is not set. Set it to a random string of 32+ characters (openssl rand -base64 32).');
  }
  const file = path.join(options.stateDir, 'auth-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(options.stateDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The running server's secret (set by `npm start` or the environment), e.g. for encrypting stored API keys. */
export function authSecret(): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set; it is needed to encrypt and read stored endpoint API keys');
  return secret;
}
