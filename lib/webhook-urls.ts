import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where an outgoing webhook may not go: loopback, private, link-local and other non-public ranges.
 * BlockList checks an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) against the IPv4 ranges.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface WebhookUrlPolicy {
  /** Tests and local demos: `http://127.0.0.1` (and localhost) is allowed; nothing else non-public. */
  allowLoopbackHttp: boolean;
}

const isNonPublicAddress = (address: string) => NON_PUBLIC.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
const isAllowedLoopback = (url: URL, policy: WebhookUrlPolicy) => policy.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname);

/** Why the URL may not receive webhooks, judged from its text alone; null when it may. */
export function webhookUrlProblem(text: string, policy: WebhookUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (isAllowedLoopback(url, policy)) return null;
  if (url.protocol !== 'https:') return 'must use https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine';
  if (isIP(host) && isNonPublicAddress(host)) return 'must not point at a loopback, private or link-local address';
  return null;
}

/**
 * Refuses a delivery whose host resolves, now, to a non-public address: a name that passed at
 * registration may since point inside the network.
 */
export async function assertDeliverableUrl(text: string, policy: WebhookUrlPolicy): Promise<void> {
  const problem = webhookUrlProblem(text, policy);
  if (problem) throw new Error(`the endpoint URL ${problem}`);
  const url = new URL(text);
  if (isAllowedLoopback(url, policy)) return;
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true });
  if (addresses.some(({ address }) => isNonPublicAddress(address))) throw new Error(`${url.hostname} resolves to a non-public address`);
}
