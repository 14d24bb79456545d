import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerLine, runBatch } from '../src/simulate/batch.js';
import { PolicyCache } from '@latchkey/iam';
import { batchWorkload, checkBatchOutput } from './helpers/batch-workload.js';

class Capture {
  text = '';
  writes = 0;
  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return true;
  }
  once(): this {
    return this;
  }
}

describe('answerLine', () => {
  it('answers a request with its response on one line', () => {
    const answer = answerLine(JSON.stringify({ PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'], ActionNames: ['s3:GetObject'] }), new PolicyCache());
    expect(answer.error).toBe(false);
    expect(answer.json).not.toContain('\n');
    expect(JSON.parse(answer.json)).toMatchObject({ EvaluationResults: [{ EvalDecision: 'allowed' }], IsTruncated: false });
  });

  it.each([
    ['', 'InvalidInput'],
    ['   ', 'InvalidInput'],
    ['not json', 'InvalidInput'],
    ['[]', 'InvalidInput'],
    ['{"PolicyInputList":[],"ActionNames":["s3:GetObject"],"Bogus":1}', 'InvalidInput'],
    ['{"PolicyInputList":["{}"],"ActionNames":["s3:GetObject"]}', 'MalformedPolicyDocument'],
    ['{"PolicyInputList":["{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"s3:*\\",\\"Resource\\":\\"*\\"}}"],"ActionNames":["s3:GetObject"],"CallerArn":"bob"}', 'InvalidInput'],
  ])('answers %j with an error line %s, never throwing', (line, code) => {
    const answer = answerLine(line, new PolicyCache());
    expect(answer.error).toBe(true);
    const parsed = JSON.parse(answer.json) as { Error: { Code: string; Message: string } };
    expect(Object.keys(parsed)).toEqual(['Error']);
    expect(parsed.Error.Code).toBe(code);
    expect(parsed.Error.Message.length).toBeGreaterThan(0);
  });
});

describe('runBatch', () => {
  it('answers every line of a mixed workload in order, in chunked writes', async () => {
    const workload = batchWorkload(2_000);
    const out = new Capture();
    const summary = await runBatch(Readable.from([workload.map((w) => w.line).join('\r\n')]), out);
    expect(summary.lines).toBe(2_000);
    expect(summary.errors).toBe(workload.filter((w) => 'error' in w.expect).length);
    expect(checkBatchOutput(workload, out.text)).toEqual([]);
    expect(out.writes).toBeLessThan(100);
  });

  it('waits for drain when the output asks it to', async () => {
    let drains = 0;
    let text = '';
    const slow = {
      write(chunk: string): boolean {
        text += chunk;
        return false;
      },
      once(_event: 'drain', listener: () => void) {
        drains++;
        setImmediate(listener);
        return this;
      },
    };
    const workload = batchWorkload(1_000);
    await runBatch(Readable.from([workload.map((w) => w.line).join('\n')]), slow);
    expect(drains).toBeGreaterThan(0);
    expect(checkBatchOutput(workload, text)).toEqual([]);
  });
});

describe('PolicyCache', () => {
  it('compiles a document once per type and id, and caches failures too', () => {
    const cache = new PolicyCache();
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';
    const a = cache.load(text, { type: 'identity', id: 'PolicyInputList.1' });
    expect(cache.load(text, { type: 'identity', id: 'PolicyInputList.1' })).toBe(a);
    expect(cache.load(text, { type: 'identity', id: 'PolicyInputList.2' })).not.toBe(a);
    let first: unknown;
    let second: unknown;
    try {
      cache.load('{', { type: 'identity', id: 'x' });
    } catch (error) {
      first = error;
    }
    try {
      cache.load('{', { type: 'identity', id: 'x' });
    } catch (error) {
      second = error;
    }
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });

  it('stays within its bound, dropping the oldest entries', () => {
    const cache = new PolicyCache(2);
    const doc = (n: number) => `{"Version":"2012-10-17","Statement":{"Sid":"S${n}","Effect":"Allow","Action":"s3:*","Resource":"*"}}`;
    const first = cache.load(doc(1), { type: 'identity', id: 'p' });
    cache.load(doc(2), { type: 'identity', id: 'p' });
    cache.load(doc(3), { type: 'identity', id: 'p' });
    expect(cache.load(doc(1), { type: 'identity', id: 'p' })).not.toBe(first);
  });
});
