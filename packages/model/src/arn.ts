/** The six colon-separated fields of an ARN. `resource` keeps any further colons. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

// Partition and service are lower-case DNS-ish labels in every AWS partition (aws, aws-cn,
// aws-us-gov, aws-iso-b...). Region and account may be empty (IAM ARNs have no region;
// S3 bucket ARNs have neither).
const LABEL = /^[a-z0-9][a-z0-9-]*$/;
const REGION = /^(?:[a-z0-9-]*)$/;
const ACCOUNT = /^(?:|\d{12}|aws)$/;

/**
 * Parses an ARN without throwing: anything that is not `arn:partition:service:region:account:resource`
 * with a non-empty partition, service and resource gives `undefined`. The account must be empty,
 * 12 digits, or the literal `aws` (AWS managed policies).
 */
export function parseArn(value: string): Arn | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const end = value.indexOf(':', start);
    if (end < 0) return undefined;
    parts.push(value.slice(start, end));
    start = end + 1;
  }
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = value.slice(start);
  if (!LABEL.test(partition) || !LABEL.test(service) || !REGION.test(region) || !ACCOUNT.test(accountId)) return undefined;
  if (resource.length === 0) return undefined;
  return { partition, service, region, accountId, resource };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${arn.resource}`;
}
