import type { PolicyType } from '../policy-type.js';
import * as M from './messages.js';

/** Default size limits (policy-language.md V12, sts-iam-api.md §4.1). `countAll`: the limit
 * counts every character (STS's `Policy` parameter length; Organizations counts whitespace),
 * otherwise whitespace is not counted (IAM). */
export function sizeLimit(type: PolicyType, inline: boolean): { limit: number; countAll: boolean; message: (n: number) => string } | undefined {
  switch (type) {
    case 'identity':
      return inline
        ? // Largest per-entity aggregate (a role's 10,240); the caller passes the exact remainder.
          { limit: 10240, countAll: false, message: (n) => `Maximum policy size of ${n} bytes exceeded.` }
        : { limit: 6144, countAll: false, message: M.msgManagedSize };
    case 'boundary':
      return { limit: 6144, countAll: false, message: M.msgManagedSize };
    case 'trust':
      return { limit: 2048, countAll: false, message: M.msgTrustSize };
    case 'session':
      return { limit: 2048, countAll: true, message: (n) => `Member must have length less than or equal to ${n}` };
    case 'scp':
      // 5,120 until May 2026, 10,240 since (policy-language.md V12).
      return { limit: 10240, countAll: true, message: (n) => `The provided policy document exceeds the maximum size of ${n} characters.` };
    case 'resource':
      // Each service sets its own (S3 20 KB, SQS 8 KB, ...): only `maxSize` applies.
      return undefined;
  }
}

export function countNonWhitespace(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12)) n++;
  }
  return n;
}
