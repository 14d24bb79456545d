// AWS's own `MalformedPolicyDocument` texts (policy-language.md V rows, sts-iam-api.md §4.1),
// verbatim: callers return them to AWS clients. Where AWS's text is unknown the validator
// writes its own sentence at the call site instead.

export const MSG_INVALID_JSON = 'This policy contains invalid Json';
export const MSG_SYNTAX = 'Syntax errors in policy.';
export const MSG_VERSION = 'Policy document must be version 2012-10-17 or greater.';
export const MSG_LEGACY = 'The policy failed legacy parsing';
export const MSG_SID_UNIQUE = 'Statement IDs (SID) in a single policy must be unique.';
export const MSG_SID_ALNUM = 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
export const MSG_NO_ACTIONS = 'Policy statement must contain actions.';
export const MSG_NO_RESOURCES = 'Policy statement must contain resources.';
export const MSG_VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
export const MSG_ONE_COLON = 'Actions/Condition can contain only one colon.';
export const msgVendorInvalid = (vendor: string): string => `Vendor ${vendor} is not valid`;
export const MSG_RESOURCE_PROHIBITED = 'Has prohibited field Resource.';
export const msgResourceNotArn = (resource: string): string => `Resource ${resource} must be in ARN format or "*".`;
export const msgPartition = (partition: string, shown: string): string => `Partition "${partition}" is not valid for resource "${shown}".`;
export const MSG_VENDOR_QUALIFIED = 'Resource vendor must be fully qualified and cannot contain regexes.';
export const msgIamRegion = (resource: string): string => `IAM resource ${resource} cannot contain region information.`;
export const msgS3Region = (resource: string): string => `Resource ${resource} can not contain region information.`;
export const IAM_RESOURCE_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
] as const;
export const MSG_IAM_PATH = `IAM resource path must either be "*" or start with ${IAM_RESOURCE_PREFIXES.join(', ')}.`;
// Note the double space before "and": AWS's text (moto reproduces it).
export const MSG_TRUST_ACTIONS =
  'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity';
export const MSG_NO_PRINCIPAL_ALLOWED = 'Policy document should not specify a principal.';
export const MSG_MISSING_PRINCIPAL = 'Missing required field Principal';
export const MSG_EMPTY_PRINCIPAL = 'Missing required field Principal cannot be empty!';
export const msgInvalidPrincipal = (type: string, value: string): string => `Invalid principal in policy: "${type}":"${value}"`;
export const msgManagedSize = (limit: number): string => `Cannot exceed quota for PolicySize: ${limit}`;
export const msgTrustSize = (limit: number): string => `Cannot exceed quota for ACLSizePerRole: ${limit}`;
