/**
 * ARN structure: `arn:partition:service:region:account:resource`. The first five colons
 * separate fixed segments; the resource segment is everything after the fifth colon and may
 * itself contain colons and slashes.
 */

/** The six segments of an ARN, or undefined when the text has fewer than five colons. */
export function splitArn(text: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let n = 0; n < 5; n++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** The account segment of an ARN (empty for S3 buckets and other account-less ARNs). */
export function arnAccount(text: string): string | undefined {
  return splitArn(text)?.[4];
}
