import { iamOperations } from '@latchkey/iam';

/** True when @latchkey/iam serves every named action (its helpers land operation families concurrently). */
export function serves(...actions: string[]): boolean {
  return actions.every((a) => Object.hasOwn(iamOperations, a));
}

/** Expects a promise to reject with an SDK service exception; returns it for further checks. */
export async function sdkError(p: Promise<unknown>): Promise<{ name: string; Code?: string; $metadata: { httpStatusCode?: number; requestId?: string }; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}
