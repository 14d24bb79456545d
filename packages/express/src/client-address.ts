import type { Request } from 'express';

function normalize(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const a = address.trim();
  if (a === '') return undefined;
  // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; policies name them as IPv4.
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * `aws:SourceIp`: the peer address, or with `trustProxy` the address a trusted proxy reports in
 * `X-Forwarded-For` (`true`: the leftmost entry; `n`: the entry `n` hops from the right, the
 * last one a trusted proxy appended). Without trust the header is ignored: clients forge it.
 */
export function clientAddress(req: Request, trustProxy: boolean | number): string | undefined {
  const peer = normalize(req.socket.remoteAddress);
  if (trustProxy === false || trustProxy === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) return peer;
  if (trustProxy === true) return normalize(list[0]);
  return normalize(list[Math.max(0, list.length - trustProxy)]);
}

/** `aws:SecureTransport`: TLS on the socket, or `X-Forwarded-Proto: https` from a trusted proxy. */
export function secureTransport(req: Request, trustProxy: boolean | number): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  if (trustProxy === false || trustProxy === 0) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
