import { describe, expect, it } from 'vitest';
import { ConfigError, parseNewOrder, parseServiceConfig } from '../src/index.js';

describe('parseServiceConfig', () => {
  it('reads flags (both spellings) and the environment, flags first', () => {
    expect(parseServiceConfig(['--port', '0', '--latchkey-endpoint=http://127.0.0.1:4566/', '--cache-ttl-ms', '1000', '--log-decisions'], { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'svc' })).toEqual({
      port: 0,
      host: '127.0.0.1',
      latchkeyEndpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-1',
      profile: 'svc',
      cacheTtlMs: 1000,
      logDecisions: true,
    });
    expect(parseServiceConfig(['-p', '9000', '--profile', 'other', '--region', 'us-west-2', '--account', '111122223333'], { LATCHKEY_ENDPOINT: 'https://latchkey.internal:8443', AWS_PROFILE: 'svc' })).toMatchObject({
      port: 9000,
      profile: 'other',
      region: 'us-west-2',
      account: '111122223333',
      latchkeyEndpoint: 'https://latchkey.internal:8443',
    });
    expect(parseServiceConfig(['--help'], {})).toBe('help');
  });

  it('refuses mistakes with a message naming the option', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /--latchkey-endpoint .* is required/],
      [['--latchkey-endpoint', 'not a url'], {}, /not a URL/],
      [['--latchkey-endpoint', 'ftp://x'], {}, /http\(s\)/],
      [['--port', '70000'], { LATCHKEY_ENDPOINT: 'http://x' }, /--port must be an integer/],
      [['--port', '-1'], { LATCHKEY_ENDPOINT: 'http://x' }, /--port/],
      [['--account', '123'], { LATCHKEY_ENDPOINT: 'http://x' }, /12-digit/],
      [['--cache-ttl-ms', '1.5'], { LATCHKEY_ENDPOINT: 'http://x' }, /--cache-ttl-ms/],
      [['--latchkey-endpoint'], {}, /needs a value/],
      [['--prot', '1'], { LATCHKEY_ENDPOINT: 'http://x' }, /unknown option "--prot"/],
    ];
    for (const [args, env, message] of cases) {
      expect(() => parseServiceConfig(args, env), args.join(' ')).toThrow(ConfigError);
      expect(() => parseServiceConfig(args, env), args.join(' ')).toThrow(message);
    }
  });
});

describe('parseNewOrder', () => {
  it('accepts an item with an optional quantity and refuses anything else with a message', () => {
    expect(parseNewOrder(Buffer.from('{"item":"book"}'))).toEqual({ item: 'book', quantity: 1 });
    expect(parseNewOrder('{"item":"lamp","quantity":3}')).toEqual({ item: 'lamp', quantity: 3 });
    for (const bad of ['', 'null', '[]', '{"item":""}', '{"item":5}', `{"item":"${'x'.repeat(257)}"}`, '{"item":"a","quantity":0}', '{"item":"a","quantity":1.5}', '{"item":"a","quantity":"2"}']) {
      expect(typeof parseNewOrder(bad), bad).toBe('string');
    }
  });
});
