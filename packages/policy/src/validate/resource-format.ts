import type { ErrorCode } from './diagnostic-code.js';
import { MSG_IAM_PATH, MSG_LEGACY, MSG_VENDOR_QUALIFIED, msgIamRegion, msgPartition, msgResourceNotArn, msgS3Region } from './messages.js';

/** AWS partitions (the `arn:<partition>:` field). `*` is accepted as a wildcard. */
export const PARTITIONS: ReadonlySet<string> = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);

// Resource types of IAM ARNs (MSG_IAM_PATH lists AWS's own set); `root` and a leading wildcard
// are accepted too: AWS managed policies use `arn:aws:iam::*:root` and `arn:aws:iam::*:*`.
const IAM_PATH_OK = /^(?:user\/|federated-user\/|role\/|group\/|instance-profile\/|mfa\/|server-certificate\/|policy\/|sms-mfa\/|saml-provider\/|oidc-provider\/|report\/|access-report\/|root$|[*?])/;

// S3 resource types whose ARNs carry a region (access points, Access Grants, Batch jobs,
// Storage Lens); a bucket or object ARN must not.
const S3_REGIONAL = /^(?:accesspoint\/|access-grants\/|job\/|storage-lens\/|storage-lens-group\/|async-request\/)/;

export interface ResourceProblem {
  readonly code: ErrorCode;
  readonly message: string;
}

function partition3(s: string, sep: string): [string, string, string] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, '', ''] : [s.slice(0, at), sep, s.slice(at + sep.length)];
}

/**
 * Checks one `Resource`/`NotResource` entry the way AWS does at save time
 * (policy-language.md V7; the order and texts are AWS's as moto reproduces them).
 */
export function checkResourceFormat(resource: string): ResourceProblem | undefined {
  if (resource === '*') return undefined;
  const [, colon, afterFirst] = partition3(resource, ':');
  if (colon === '') return { code: 'ResourceNotArn', message: msgResourceNotArn(resource) };
  const [partition, sep, afterPartition] = partition3(afterFirst, ':');
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    // AWS rebuilds the ARN it shows from the parts it found, filling absent ones with `*`.
    const rest = afterPartition.split(':');
    const a1 = rest[0] !== '' || rest.length > 1 ? rest[0]! : '*';
    const a2 = rest.length > 1 ? rest[1]! : '*';
    const a3 = rest.length > 2 ? rest[2]! : '*';
    const a4 = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return { code: 'ResourceInvalidPartition', message: msgPartition(partition, `arn:${partition}:${a1}:${a2}:${a3}:${a4}`) };
  }
  if (sep === '') return { code: 'ResourceVendorNotQualified', message: MSG_VENDOR_QUALIFIED };
  const [service, , afterService] = partition3(afterPartition, ':');
  // Reference V7: no wildcard in the service segment.
  if (/[*?]/.test(service)) return { code: 'ResourceVendorNotQualified', message: MSG_VENDOR_QUALIFIED };
  const [region, , afterRegion] = partition3(afterService, ':');
  const [, , resourcePart] = partition3(afterRegion, ':');
  if (service === 'iam' && region !== '') return { code: 'ResourceRegionNotAllowed', message: msgIamRegion(resource) };
  if (service === 's3' && region !== '' && !/^[*?]+$/.test(region) && !S3_REGIONAL.test(resourcePart)) {
    return { code: 'ResourceRegionNotAllowed', message: msgS3Region(resource) };
  }
  if (service === 'iam' && !IAM_PATH_OK.test(resourcePart)) return { code: 'IamResourcePath', message: MSG_IAM_PATH };
  // AWS's legacy parser: an ARN with an empty field must have all six fields, and the
  // service field must not be empty.
  const colons = resource.split(':').length - 1;
  if ((colons < 5 && resource.includes('::')) || service === '') return { code: 'ResourceLegacyParse', message: MSG_LEGACY };
  return undefined;
}
