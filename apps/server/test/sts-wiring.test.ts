import { describe, expect, it } from 'vitest';
import { clientInstructions } from '../src/bootstrap-account.js';
import { jwksFetcher, parseOidcJwksOptions } from '../src/jwks-fetcher.js';
import { ConfigError, parseServerConfig } from '../src/server-config.js';

const JWKS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' }] };

/** A fetch answering from a table of URLs, recording what was asked. */
function fakeFetch(table: Record<string, unknown>) {
  const asked: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    if (!(url in table)) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(table[url]), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const noFiles = async (path: string): Promise<string> => {
  throw new Error(`unexpected read of ${path}`);
};

describe('jwksFetcher', () => {
  it('discovers the JWKS over HTTPS (openid-configuration → jwks_uri), trailing slash or not', async () => {
    const f = fakeFetch({ 'https://idp.example/.well-known/openid-configuration': { jwks_uri: 'https://idp.example/keys' }, 'https://idp.example/keys': JWKS });
    const fetchJwks = jwksFetcher({ fetch: f.fetch, readFile: noFiles });
    expect(await fetchJwks('https://idp.example/')).toEqual(JWKS);
    expect(f.asked).toEqual(['https://idp.example/.well-known/openid-configuration', 'https://idp.example/keys']);
  });

  it('refuses a non-https issuer or jwks_uri, a failed fetch and a document without keys', async () => {
    const f = fakeFetch({
      'https://plain.example/.well-known/openid-configuration': { jwks_uri: 'http://plain.example/keys' },
      'https://nokeys.example/.well-known/openid-configuration': { jwks_uri: 'https://nokeys.example/keys' },
      'https://nokeys.example/keys': { notKeys: true },
    });
    const fetchJwks = jwksFetcher({ fetch: f.fetch, readFile: noFiles });
    await expect(fetchJwks('http://insecure.example')).rejects.toThrow('is not https');
    await expect(fetchJwks('https://plain.example')).rejects.toThrow('no https jwks_uri');
    await expect(fetchJwks('https://missing.example')).rejects.toThrow('answered 404');
    await expect(fetchJwks('https://nokeys.example')).rejects.toThrow('is not a JWKS');
  });

  it('uses a configured file or URL per issuer instead of discovery (air-gapped)', async () => {
    const f = fakeFetch({ 'http://10.0.0.5/keys.json': JWKS });
    const files: Record<string, string> = { '/etc/jwks.json': JSON.stringify(JWKS) };
    const fetchJwks = jwksFetcher({
      fetch: f.fetch,
      readFile: async (p) => files[p] ?? Promise.reject(new Error('ENOENT')),
      sources: new Map([
        ['https://file.example/', '/etc/jwks.json'],
        ['https://url.example', 'http://10.0.0.5/keys.json'],
      ]),
    });
    expect(await fetchJwks('https://file.example')).toEqual(JWKS);
    expect(await fetchJwks('https://url.example/')).toEqual(JWKS);
    expect(f.asked).toEqual(['http://10.0.0.5/keys.json']);
  });
});

describe('parseOidcJwksOptions', () => {
  it('reads <issuer>=<source> pairs and refuses anything else with ConfigError', () => {
    expect(parseOidcJwksOptions(['https://a.example/=/k.json', 'https://b.example=http://h/k'])).toEqual(
      new Map([
        ['https://a.example', '/k.json'],
        ['https://b.example', 'http://h/k'],
      ]),
    );
    for (const bad of ['https://a.example', 'http://a.example=/k.json', '=/k.json', 'https://a.example=']) {
      expect(() => parseOidcJwksOptions([bad]), bad).toThrow(ConfigError);
    }
  });

  it('is what `latchkey server --oidc-jwks/--oidc-jwks-file` fills in', () => {
    const config = parseServerConfig(['--oidc-jwks', 'https://a.example=/a.json', '--oidc-jwks-file', 'https://b.example=/b.json'], {}, '/tmp');
    expect(config.oidcJwks).toEqual(new Map([['https://a.example', '/a.json'], ['https://b.example', '/b.json']]));
    expect(parseServerConfig([], {}, '/tmp').oidcJwks).toBeUndefined();
    expect(() => parseServerConfig(['--oidc-jwks', 'nope'], {}, '/tmp')).toThrow(ConfigError);
  });
});

describe('clientInstructions', () => {
  it('prints AWS_DEFAULT_REGION too (the aws CLI v1 reads that one, not AWS_REGION)', () => {
    const text = clientInstructions('http://127.0.0.1:4566', 'us-east-1');
    expect(text).toContain('export AWS_REGION=us-east-1\n');
    expect(text).toMatch(/export AWS_DEFAULT_REGION=us-east-1\b/);
  });
});
