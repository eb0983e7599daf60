/**
 * Endpoint API keys are stored encrypted (AES-256-GCM), with a key derived from AUTH_SECRET by
 * HKDF, so a database dump alone does not leak them. Stored as "v1.<iv>.<tag>.<ciphertext>" (base64url).
 */
import crypto from 'node:crypto';

function key(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'feedloop', 'endpoint-api-key', 32));
}

export function encryptSecret(plain: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(secret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptSecret(stored: string, secret: string): string {
  const [version, iv, tag, data] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('the stored API key is not in a known format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('the stored API key cannot be decrypted: was AUTH_SECRET changed?');
  }
}
