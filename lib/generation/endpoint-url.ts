/**
 * Outbound requests go only to URLs an admin registered, and never to addresses that reach
 * the host's own infrastructure: link-local ranges (where cloud metadata services live) and
 * known metadata names. Loopback and private networks stay allowed: the bundled model runs
 * on this host, and companies run inference servers on their own networks.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { DomainError } from '../errors.ts';

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.internal', 'instance-data', 'instance-data.ec2.internal']);

function ipv4Parts(address: string): number[] | null {
  if (!net.isIPv4(address)) return null;
  return address.split('.').map(Number);
}

/** Why an address is refused, or null when it may be called. */
export function refusedAddress(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const v4 = ipv4Parts(mapped ?? address);
  if (v4) {
    if (v4[0] === 169 && v4[1] === 254) return 'a link-local address (169.254.0.0/16, where cloud metadata services answer)';
    if (v4[0] === 0) return 'an unspecified address (0.0.0.0/8)';
    if (v4[0] === 100 && v4[1] === 100 && v4[2] === 100 && v4[3] === 200) return 'a cloud metadata address';
    return null;
  }
  const lower = address.toLowerCase();
  if (/^fe[89ab][0-9a-f]:/.test(lower)) return 'a link-local address (fe80::/10)';
  if (lower === '::' ) return 'the unspecified address';
  if (lower === 'fd00:ec2::254') return 'a cloud metadata address';
  return null;
}

export type Lookup = (hostname: string) => Promise<string[]>;
const systemLookup: Lookup = async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** The base URL, normalised (no trailing slash), once every address it resolves to is allowed. */
export async function checkEndpointUrl(raw: string, lookup: Lookup = systemLookup): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('invalid_input', 'baseUrl: is not a URL', 400, 'baseUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DomainError('invalid_input', 'baseUrl: must start with http:// or https://', 400, 'baseUrl');
  if (url.username || url.password) throw new DomainError('invalid_input', 'baseUrl: must not carry a user name or password (use the API key field)', 400, 'baseUrl');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) throw new DomainError('invalid_input', `baseUrl: ${host} is a cloud metadata service`, 400, 'baseUrl');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : await lookup(host);
  } catch {
    throw new DomainError('invalid_input', `baseUrl: the host ${host} does not resolve`, 400, 'baseUrl');
  }
  for (const address of addresses) {
    const reason = refusedAddress(address);
    if (reason) throw new DomainError('invalid_input', `baseUrl: ${host} resolves to ${address}, ${reason}`, 400, 'baseUrl');
  }
  return url.href.replace(/\/+$/, '');
}
