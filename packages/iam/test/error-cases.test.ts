import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cases from './cases/errors.json' with { type: 'json' };
import { failure, fixture, type Fixture } from './helpers/fixture.js';

interface ErrorCase {
  name: string;
  action: string;
  params: Record<string, string>;
  code: string;
  message: string;
}

// Error answers (code and exact text) of this package's operations, called as the account root
// on an empty account. One row per case in cases/errors.json.
describe('IamService error answers', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it.each(cases as ErrorCase[])('$name', async (c) => {
    const err = await failure(f.call(c.action, c.params));
    expect({ code: err.code, message: err.message }).toEqual({ code: c.code, message: c.message });
  });
});
