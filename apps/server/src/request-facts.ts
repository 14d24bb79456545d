import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';

/** Express's `trust proxy` setting: a boolean, a hop count, addresses/subnets/names, or a function. */
export type TrustProxy = boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean);

/** What a request says about its client once the trusted proxies are taken into account. */
export interface RequestFacts {
  /** The client's address (`aws:SourceIp`); IPv4 clients of a dual-stack socket as plain IPv4. */
  clientAddress(req: IncomingMessage): string | undefined;
  /** True when the client reached us over TLS (`aws:SecureTransport`), as Express's `req.secure`. */
  isSecure(req: IncomingMessage): boolean;
}

/**
 * The client address and scheme of a request, decided exactly as Express 5 decides `req.ip` and
 * `req.secure` for the same `trust proxy` setting (same `proxy-addr` compilation, same
 * X-Forwarded-Proto rule). The server answers Query requests on the bare Node request, without
 * Express's per-request machinery, and must not change what policies see as the source.
 */
export function requestFacts(trustProxy: TrustProxy): RequestFacts {
  const trust = compileTrust(trustProxy);
  return {
    clientAddress(req) {
      if (req.socket.remoteAddress === undefined) return undefined;
      const raw = proxyaddr(req, trust);
      if (raw === '') return undefined;
      // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; policies name them as IPv4.
      return raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice(7) : raw;
    },
    isSecure(req) {
      const own = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
      if (!trust(req.socket.remoteAddress ?? '', 0)) return own === 'https';
      const header = req.headers['x-forwarded-proto'];
      const value = (Array.isArray(header) ? header[0] : header) || own;
      const comma = value.indexOf(',');
      return (comma === -1 ? value : value.slice(0, comma)).trim() === 'https';
    },
  };
}

/** Express's `compileTrust`: the same setting means the same trusted hops. */
function compileTrust(value: TrustProxy): (address: string, hop: number) => boolean {
  if (typeof value === 'function') return value;
  if (value === true) return () => true;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  const list = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value === false ? [] : [...value];
  return proxyaddr.compile(list);
}
