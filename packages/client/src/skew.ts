// What the AWS SDKs treat as clock-skew errors (@smithy/service-error-classification).
export const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

/** The SDKs correct their offset only when the server's clock differs by 5 minutes or more. */
export const SKEW_THRESHOLD_MS = 300_000;

/** The AWS error code of an XML (`<Code>`) or JSON (`__type`, `code`) error body. */
export function errorCodeOf(body: string, errorTypeHeader: string | null): string | undefined {
  if (errorTypeHeader !== null && errorTypeHeader !== '') return errorTypeHeader.split(':')[0];
  const xml = /<Code>([^<]{1,128})<\/Code>/.exec(body);
  if (xml !== null) return xml[1];
  try {
    const json = JSON.parse(body) as { __type?: unknown; code?: unknown };
    const type = typeof json.__type === 'string' ? json.__type : typeof json.code === 'string' ? json.code : undefined;
    return type?.slice(type.lastIndexOf('#') + 1);
  } catch {
    return undefined;
  }
}

/**
 * The new clock offset from a server `Date`, as the SDKs compute it: the server time minus the
 * local time when they differ by the threshold or more, else the current offset.
 */
export function updatedClockOffset(serverDate: string | null, localNow: number, currentOffset: number): number {
  if (serverDate === null) return currentOffset;
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return currentOffset;
  return Math.abs(server - (localNow + currentOffset)) >= SKEW_THRESHOLD_MS ? server - localNow : currentOffset;
}
