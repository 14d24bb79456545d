import { enumConstraint, integerConstraint, listConstraint, stringConstraint } from './constraint.js';

// Every constraint below is the botocore/Smithy model's (iam 2010-05-08, sts 2011-06-15), see
// shared/reference/sts-iam-api.md §3.3 and §4.1. `pattern` is the model's text; `jsPattern`
// is given only where the JavaScript reading must differ from a literal copy.

const NAME = '[\\w+=,.@-]+';
const PRINTABLE_DOC = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
const TAG_KEY = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
const TAG_VALUE = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';
// STS's arnType pattern. Java reads `\u10000-\u10FFFF` as `\u1000`, `0-\u10FF`, `F`, `F`, so AWS
// rejects supplementary characters in RoleArn (observed); the JS form reproduces that.
const STS_ARN = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';
const STS_ARN_JS = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD]+';

/** IAM request-member constraints. */
export const iamConstraints = {
  /** `userNameType`: CreateUser, UpdateUser.NewUserName, login profile, boundaries, Attach/Detach/ListAttachedUserPolicies… */
  userName: stringConstraint({ min: 1, max: 64, pattern: NAME }),
  /** `existingUserNameType`: GetUser, DeleteUser, AddUserToGroup, Put/GetUserPolicy, CreateAccessKey… */
  existingUserName: stringConstraint({ min: 1, max: 128, pattern: NAME }),
  groupName: stringConstraint({ min: 1, max: 128, pattern: NAME }),
  roleName: stringConstraint({ min: 1, max: 64, pattern: NAME }),
  policyName: stringConstraint({ min: 1, max: 128, pattern: NAME }),
  instanceProfileName: stringConstraint({ min: 1, max: 128, pattern: NAME }),
  serverCertificateName: stringConstraint({ min: 1, max: 128, pattern: NAME }),
  virtualMFADeviceName: stringConstraint({ min: 1, pattern: NAME }),
  samlProviderName: stringConstraint({ min: 1, max: 128, pattern: '[\\w._-]+' }),
  path: stringConstraint({ min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' }),
  /** ListUsers/ListGroups/ListRoles/ListInstanceProfiles/ListServerCertificates `PathPrefix`. */
  pathPrefix: stringConstraint({ min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' }),
  /** Managed-policy `Path` and the ListPolicies / ListAttached*Policies `PathPrefix`. */
  policyPath: stringConstraint({ min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' }),
  roleDescription: stringConstraint({ max: 1000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' }),
  policyDescription: stringConstraint({ max: 1000 }),
  maxSessionDuration: integerConstraint(3600, 43200),
  policyDocument: stringConstraint({ min: 1, max: 131072, pattern: PRINTABLE_DOC }),
  policyVersionId: stringConstraint({ pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' }),
  arn: stringConstraint({ min: 20, max: 2048 }),
  accessKeyId: stringConstraint({ min: 16, max: 128, pattern: '[\\w]+' }),
  accessKeyStatus: enumConstraint(['Active', 'Inactive', 'Expired']),
  serialNumber: stringConstraint({ min: 9, max: 256, pattern: '[\\w+=/:,.@-]+' }),
  authenticationCode: stringConstraint({ min: 6, max: 6, pattern: '[\\d]+' }),
  assignmentStatus: enumConstraint(['Assigned', 'Unassigned', 'Any']),
  password: stringConstraint({ min: 1, max: 128, pattern: PRINTABLE_DOC, sensitive: true }),
  accountAlias: stringConstraint({ min: 3, max: 63, pattern: '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$', jsPattern: '[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]' }),
  minimumPasswordLength: integerConstraint(6, 128),
  maxPasswordAge: integerConstraint(1, 1095),
  passwordReusePrevention: integerConstraint(1, 24),
  openIdConnectUrl: stringConstraint({ min: 1, max: 255 }),
  clientId: stringConstraint({ min: 1, max: 255 }),
  thumbprint: stringConstraint({ min: 40, max: 40 }),
  tagKey: stringConstraint({ min: 1, max: 128, pattern: TAG_KEY }),
  tagValue: stringConstraint({ min: 0, max: 256, pattern: TAG_VALUE }),
  tags: listConstraint(undefined, 50),
  tagKeys: listConstraint(undefined, 50),
  maxItems: integerConstraint(1, 1000),
  marker: stringConstraint({ min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' }),
  policyScope: enumConstraint(['All', 'AWS', 'Local']),
  policyUsageFilter: enumConstraint(['PermissionsPolicy', 'PermissionsBoundary']),
  entityType: enumConstraint(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']),
} as const;

/** STS request-member constraints. */
export const stsConstraints = {
  roleArn: stringConstraint({ min: 20, max: 2048, pattern: STS_ARN, jsPattern: STS_ARN_JS }),
  roleSessionName: stringConstraint({ min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  /** AssumeRole's `unrestrictedSessionPolicyDocumentType` (the 2,048 plaintext rule is applied by the service). */
  unrestrictedSessionPolicy: stringConstraint({ min: 1, pattern: PRINTABLE_DOC }),
  sessionPolicy: stringConstraint({ min: 1, max: 2048, pattern: PRINTABLE_DOC }),
  policyArns: listConstraint(),
  assumeRoleDurationSeconds: integerConstraint(900, 43200),
  sessionTokenDurationSeconds: integerConstraint(900, 129600),
  federationTokenDurationSeconds: integerConstraint(900, 129600),
  assumeRootDurationSeconds: integerConstraint(0, 900),
  externalId: stringConstraint({ min: 2, max: 1224, pattern: '[\\w+=,.@:\\/-]*' }),
  serialNumber: stringConstraint({ min: 9, max: 256, pattern: '[\\w+=/:,.@-]*' }),
  tokenCode: stringConstraint({ min: 6, max: 6, pattern: '[\\d]*' }),
  sourceIdentity: stringConstraint({ min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  federationName: stringConstraint({ min: 2, max: 32, pattern: '[\\w+=,.@-]*' }),
  webIdentityToken: stringConstraint({ min: 4, max: 20000, sensitive: true }),
  samlAssertion: stringConstraint({ min: 4, max: 100000, sensitive: true }),
  providerId: stringConstraint({ min: 4, max: 2048 }),
  accessKeyId: stringConstraint({ min: 16, max: 128, pattern: '[\\w]*' }),
  encodedMessage: stringConstraint({ min: 1, max: 10240 }),
  tagKey: stringConstraint({ min: 1, max: 128, pattern: TAG_KEY }),
  tagValue: stringConstraint({ min: 0, max: 256, pattern: TAG_VALUE }),
  tags: listConstraint(undefined, 50),
  transitiveTagKeys: listConstraint(undefined, 50),
} as const;
