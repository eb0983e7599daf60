/**
 * Outbound requests go only to URLs an admin registered, and never to addresses that reach
 * the host's own infrastructure: link-local ranges (where cloud metadata services live) and
 * known metadata names. Loopback and private networks stay allowed: the bundled model runs
 * on this host, and companies run inference servers on their own networks.
 * The check is only worth something if the connection goes to the addresses it passed:
 * pinned-request.ts connects to exactly those, never resolving the name a second time.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { DomainError } from '../errors.ts';

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.internal', 'instance-data', 'instance-data.ec2.internal']);

// Addresses that reach the host's own infrastructure. A BlockList also matches the IPv4-mapped
// IPv6 forms (::ffff:a9fe:a9fe is 169.254.169.254), which URL parsing produces from [::ffff:…].
const REFUSED: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (169.254.0.0/16, where cloud metadata services answer)'],
  ['0.0.0.0', 8, 'ipv4', 'an unspecified address (0.0.0.0/8)'],
  ['100.100.100.200', 32, 'ipv4', 'a cloud metadata address'],
  ['fe80::', 10, 'ipv6', 'a link-local address (fe80::/10)'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['fd00:ec2::254', 128, 'ipv6', 'a cloud metadata address'],
];
const lists = REFUSED.map(([network, prefix, family, reason]) => {
  const list = new net.BlockList();
  list.addSubnet(network, prefix, family);
  return { list, reason };
});

/** Why an address is refused, or null when it may be called. */
export function refusedAddress(address: string): string | null {
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  if (!family) return 'not an IP address';
  for (const { list, reason } of lists) if (list.check(address, family)) return reason;
  // BlockList matches a mapped IPv6 address against IPv4 rules only in one direction; check the embedded IPv4 too.
  const mapped = family === 'ipv6' ? mappedIpv4(address) : null;
  return mapped ? refusedAddress(mapped) : null;
}

function mappedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (dotted) return dotted;
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type Lookup = (hostname: string) => Promise<string[]>;
export const systemLookup: Lookup = async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** A host that must not be called; the message names the address and why. */
export class RefusedHost extends Error {}

/**
 * Every address `host` (a URL's hostname, brackets removed) resolves to, once all of them may
 * be called. One refused address refuses the host: which one a connection would use is not
 * ours to choose. Lookup failures are passed on as they are.
 */
export async function allowedAddresses(host: string, lookup: Lookup = systemLookup): Promise<string[]> {
  if (METADATA_HOSTS.has(host)) throw new RefusedHost(`${host} is a cloud metadata service`);
  const addresses = net.isIP(host) ? [host] : await lookup(host);
  if (addresses.length === 0) throw new Error(`the host ${host} resolves to no address`);
  for (const address of addresses) {
    const reason = refusedAddress(address);
    if (reason) throw new RefusedHost(`${host} resolves to ${address}, ${reason}`);
  }
  return addresses;
}

/** A URL's hostname as DNS and net.isIP know it: lower case, IPv6 without its brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

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
  const host = hostOf(url);
  try {
    await allowedAddresses(host, lookup);
  } catch (error) {
    if (error instanceof RefusedHost) throw new DomainError('invalid_input', `baseUrl: ${error.message}`, 400, 'baseUrl');
    throw new DomainError('invalid_input', `baseUrl: the host ${host} does not resolve`, 400, 'baseUrl');
  }
  return url.href.replace(/\/+$/, '');
}
