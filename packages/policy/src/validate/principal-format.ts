// Shapes of the values a `Principal`/`NotPrincipal` element may name (policy-language.md M5).

const ACCOUNT = /^\d{12}$/;
const PARTITION = '(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
// IAM names: `[\w+=,.@-]+`, paths `/…/` (sts-iam-api.md §4.1). No wildcards: AWS does not
// accept partial wildcards in principal names (M5).
const IAM_PRINCIPAL = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(?:root|user/(?:[\\x21-\\x7e]*/)?[\\w+=,.@-]+|role/(?:[\\x21-\\x7e]*/)?[\\w+=,.@-]+)$`);
const STS_PRINCIPAL = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:(?:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+|federated-user/[\\w+=,.@-]+)$`);
const FEDERATED_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(?:saml-provider/[\\w.-]+|oidc-provider/[\\x21-\\x7e]+)$`);
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// Unique ids AWS shows for deleted principals (AIDA… users, AROA… roles): accepted, warned.
const UNIQUE_ID = /^(?:AIDA|AROA)[A-Z0-9]{12,}$/;

export type AwsPrincipalShape = 'wildcard' | 'account' | 'arn' | 'uniqueId' | 'invalid';

export function awsPrincipalShape(value: string): AwsPrincipalShape {
  if (value === '*') return 'wildcard';
  if (ACCOUNT.test(value)) return 'account';
  if ((IAM_PRINCIPAL.test(value) || STS_PRINCIPAL.test(value)) && !/[*?]/.test(value)) return 'arn';
  if (UNIQUE_ID.test(value)) return 'uniqueId';
  return 'invalid';
}

export function isValidServicePrincipal(value: string): boolean {
  return DNS_NAME.test(value);
}

export function isAwsServicePrincipal(value: string): boolean {
  return /\.amazonaws\.com(?:\.cn)?$/.test(value) || /\.amazon\.com$/.test(value);
}

export function isValidFederatedPrincipal(value: string): boolean {
  return FEDERATED_ARN.test(value) || DNS_NAME.test(value);
}

export function isValidCanonicalUser(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}
