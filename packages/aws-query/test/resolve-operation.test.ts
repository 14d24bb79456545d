import { describe, expect, it } from 'vitest';
import { InvalidAction } from '@latchkey/errors';
import { MISSING_ACTION_REDIRECT, STS_VERSION, parseQueryParams, resolveOperation, type QueryService } from '../src/index.js';

const sts: QueryService<string> = { version: STS_VERSION, operations: { GetCallerIdentity: 'gci', AssumeRole: 'ar' } };

// Request bodies and answers recorded against AWS STS (an AWS Query oracle published in a public
// repository's probe suite): status 400, code InvalidAction, these messages.
const invalid: [string, string][] = [
  ['Action=NoSuchAction&Version=2011-06-15', 'Could not find operation NoSuchAction for version 2011-06-15'],
  ['Action=GetCallerIdentity', 'Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED'],
  ['Action=GetCallerIdentity&Version=', 'Could not find operation GetCallerIdentity for version '],
  ['Action=GetCallerIdentity&Version=2000-01-01', 'Could not find operation GetCallerIdentity for version 2000-01-01'],
  ['Action=NoSuchAction&Action=GetCallerIdentity&Version=2011-06-15', 'Could not find operation NoSuchAction for version 2011-06-15'],
  ['Action=GetCallerIdentity&Version=2000-01-01&Version=2011-06-15', 'Could not find operation GetCallerIdentity for version 2000-01-01'],
  ['Action=&Version=2011-06-15', 'Could not find operation  for version 2011-06-15'],
  ['Action=constructor&Version=2011-06-15', 'Could not find operation constructor for version 2011-06-15'],
  ['Action=__proto__&Version=2011-06-15', 'Could not find operation __proto__ for version 2011-06-15'],
];

describe('resolveOperation', () => {
  for (const [body, message] of invalid) {
    it(`answers ${body} with InvalidAction`, () => {
      let error: unknown;
      try {
        resolveOperation(sts, parseQueryParams(body));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidAction);
      expect((error as InvalidAction).message).toBe(message);
      expect((error as InvalidAction).status).toBe(400);
    });
  }

  it('finds a known operation (first Action and Version win)', () => {
    expect(resolveOperation(sts, parseQueryParams('Action=GetCallerIdentity&Version=2011-06-15'))).toEqual({ kind: 'operation', action: 'GetCallerIdentity', operation: 'gci' });
    expect(resolveOperation(sts, parseQueryParams('Action=GetCallerIdentity&Action=NoSuchAction&Version=2011-06-15&Version=2000-01-01'))).toMatchObject({ operation: 'gci' });
  });

  it('redirects a request without Action, as AWS does (302)', () => {
    expect(resolveOperation(sts, parseQueryParams('Version=2011-06-15'))).toEqual({ kind: 'redirect', location: MISSING_ACTION_REDIRECT });
    expect(resolveOperation(sts, parseQueryParams(undefined, 'Version=2011-06-15'), '?Version=2011-06-15')).toEqual({
      kind: 'redirect',
      location: 'https://aws.amazon.com/iam?Version=2011-06-15',
    });
  });
});
