import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { requestFacts, type TrustProxy } from '../src/request-facts.js';

interface Case {
  readonly trust: TrustProxy;
  readonly remote: string | undefined;
  readonly encrypted?: boolean;
  readonly forwardedFor?: string;
  readonly forwardedProto?: string;
  /** What policies must see (`aws:SourceIp`, `aws:SecureTransport`). */
  readonly ip: string | undefined;
  readonly secure: boolean;
}

// Each row is checked twice: against the expected facts, and against what Express 5 itself
// says (`req.ip`, `req.secure`) under the same `trust proxy` setting.
const cases: readonly Case[] = [
  { trust: false, remote: '127.0.0.1', ip: '127.0.0.1', secure: false },
  { trust: false, remote: '::ffff:10.0.0.5', ip: '10.0.0.5', secure: false },
  { trust: false, remote: '::1', ip: '::1', secure: false },
  { trust: false, remote: '127.0.0.1', encrypted: true, ip: '127.0.0.1', secure: true },
  // Untrusted proxies' headers are ignored: a client cannot claim another address or TLS.
  { trust: false, remote: '127.0.0.1', forwardedFor: '203.0.113.9', forwardedProto: 'https', ip: '127.0.0.1', secure: false },
  { trust: false, remote: '127.0.0.1', encrypted: true, forwardedProto: 'http', ip: '127.0.0.1', secure: true },
  { trust: true, remote: '127.0.0.1', forwardedFor: '203.0.113.9, 10.0.0.2', forwardedProto: 'https', ip: '203.0.113.9', secure: true },
  { trust: true, remote: '127.0.0.1', forwardedProto: 'https, http', ip: '127.0.0.1', secure: true },
  { trust: true, remote: '127.0.0.1', encrypted: true, forwardedProto: 'http', ip: '127.0.0.1', secure: false },
  { trust: 1, remote: '127.0.0.1', forwardedFor: '203.0.113.9, 10.0.0.2', forwardedProto: 'https', ip: '10.0.0.2', secure: true },
  { trust: 2, remote: '127.0.0.1', forwardedFor: '203.0.113.9, 10.0.0.2', ip: '203.0.113.9', secure: false },
  { trust: 'loopback', remote: '127.0.0.1', forwardedFor: '203.0.113.9', forwardedProto: 'https', ip: '203.0.113.9', secure: true },
  { trust: 'loopback', remote: '192.0.2.10', forwardedFor: '203.0.113.9', forwardedProto: 'https', ip: '192.0.2.10', secure: false },
  { trust: 'loopback, 10.0.0.0/8', remote: '127.0.0.1', forwardedFor: '203.0.113.9, 10.1.2.3', ip: '203.0.113.9', secure: false },
  { trust: ['10.0.0.0/8'], remote: '10.0.0.1', forwardedFor: '198.51.100.7', forwardedProto: 'https', ip: '198.51.100.7', secure: true },
  { trust: (address) => address === '10.0.0.1', remote: '10.0.0.1', forwardedFor: '198.51.100.7', ip: '198.51.100.7', secure: false },
  { trust: true, remote: '127.0.0.1', forwardedFor: '::ffff:198.51.100.7', ip: '198.51.100.7', secure: false },
  // A socket that is already gone has no address: the request has no aws:SourceIp.
  { trust: false, remote: undefined, ip: undefined, secure: false },
];

function fakeRequest(c: Case): IncomingMessage {
  const headers: Record<string, string> = {};
  if (c.forwardedFor !== undefined) headers['x-forwarded-for'] = c.forwardedFor;
  if (c.forwardedProto !== undefined) headers['x-forwarded-proto'] = c.forwardedProto;
  const socket = { remoteAddress: c.remote, encrypted: c.encrypted === true ? true : undefined };
  return { headers, socket, connection: socket } as unknown as IncomingMessage;
}

/** Express's own answers for the same request under the same setting. */
function expressFacts(c: Case): { ip: string | undefined; secure: boolean } {
  const app = express();
  app.set('trust proxy', c.trust);
  const req = Object.assign(Object.create(app.request as object) as Record<string, unknown>, fakeRequest(c), { app }) as unknown as express.Request;
  const ip = req.ip;
  return { ip: ip === undefined || ip === '' ? undefined : ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip, secure: req.secure };
}

describe('requestFacts', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i: the client address and scheme policies see', (_i, c) => {
    const facts = requestFacts(c.trust);
    const req = fakeRequest(c);
    expect({ ip: facts.clientAddress(req), secure: facts.isSecure(req) }).toEqual({ ip: c.ip, secure: c.secure });
  });

  it.each(cases.filter((c) => c.remote !== undefined).map((c, i) => [i, c] as const))('case %i: agrees with Express 5 under the same trust proxy setting', (_i, c) => {
    const facts = requestFacts(c.trust);
    const req = fakeRequest(c);
    expect({ ip: facts.clientAddress(req), secure: facts.isSecure(req) }).toEqual(expressFacts(c));
  });
});
