import { InvalidInput } from '@latchkey/errors';

/** AWS's `ContextKeyType` values (SimulateCustomPolicy's `ContextEntry`). */
export const CONTEXT_KEY_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const;
export type ContextKeyType = (typeof CONTEXT_KEY_TYPES)[number];

export interface ContextEntry {
  readonly ContextKeyName: string;
  readonly ContextKeyValues: readonly string[];
  readonly ContextKeyType: ContextKeyType;
}

/**
 * The `aws iam simulate-custom-policy --cli-input-json` document, plus Latchkey's extensions
 * (documented in the README): session policies, SCP levels, principal and resource tags, the
 * resource account, and the resource policy's type.
 */
export interface SimulateInput {
  readonly PolicyInputList: readonly string[];
  readonly PermissionsBoundaryPolicyInputList: readonly string[];
  readonly ActionNames: readonly string[];
  readonly ResourceArns: readonly string[];
  /** True when the request named its resources (AWS then reports per-resource results). */
  readonly resourcesGiven: boolean;
  readonly ResourcePolicy?: string;
  readonly ResourceOwner?: string;
  readonly CallerArn?: string;
  readonly ContextEntries: readonly ContextEntry[];
  readonly ResourceHandlingOption?: string;
  readonly MaxItems?: number;
  readonly Marker?: string;
  // --- Latchkey extensions
  readonly SessionPolicyInputList?: readonly string[];
  readonly ServiceControlPolicyInputList?: readonly (readonly string[])[];
  readonly PrincipalTags: Readonly<Record<string, string>>;
  readonly ResourceTags: Readonly<Record<string, string>>;
  readonly ResourceAccount?: string;
  readonly ResourcePolicyType: 'resource' | 'trust';
}

const AWS_FIELDS = ['PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'ActionNames', 'ResourceArns', 'ResourcePolicy', 'ResourceOwner', 'CallerArn', 'ContextEntries', 'ResourceHandlingOption', 'MaxItems', 'Marker'];
const EXTENSION_FIELDS = ['SessionPolicyInputList', 'ServiceControlPolicyInputList', 'PrincipalTags', 'ResourceTags', 'ResourceAccount', 'ResourcePolicyType'];
const KNOWN_FIELDS: ReadonlySet<string> = new Set([...AWS_FIELDS, ...EXTENSION_FIELDS]);

/** AWS's EC2 scenario names for `ResourceHandlingOption` (IAM User Guide, policy simulator). */
export const RESOURCE_HANDLING_OPTIONS: readonly string[] = [
  'EC2-VPC-InstanceStore',
  'EC2-VPC-InstanceStore-Subnet',
  'EC2-VPC-EBS',
  'EC2-VPC-EBS-Subnet',
  'EC2-Classic-InstanceStore',
  'EC2-Classic-EBS',
];

const ACCOUNT_ID = /^\d{12}$/;
// policyDocumentType in the IAM service model: TAB, LF, CR and U+0020-U+00FF, 1..131072 chars.
function hasOnlyPolicyDocumentChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xff))) return false;
  }
  return true;
}

/**
 * Checks and normalises a request. Throws `InvalidInput` with the parameter named, as AWS does
 * for parameter validation; unknown members are rejected (the aws CLI rejects them too) so that
 * a misspelt extension never silently does nothing.
 */
export function parseSimulateInput(value: unknown): SimulateInput {
  if (!isRecord(value)) throw new InvalidInput('The request must be a JSON object.');
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new InvalidInput(`Unknown parameter in input: "${key}", must be one of: ${[...AWS_FIELDS, ...EXTENSION_FIELDS].join(', ')}`);
    }
  }
  if (value['PolicyInputList'] === undefined) throw new InvalidInput('Missing required parameter in input: "PolicyInputList"');
  if (value['ActionNames'] === undefined) throw new InvalidInput('Missing required parameter in input: "ActionNames"');
  const policies = policyList(value['PolicyInputList'], 'PolicyInputList');
  const boundaries = value['PermissionsBoundaryPolicyInputList'] === undefined ? [] : policyList(value['PermissionsBoundaryPolicyInputList'], 'PermissionsBoundaryPolicyInputList');
  if (boundaries.length > 1) throw new InvalidInput('The list of Permissions Boundary policies cannot exceed 1 items.');
  const actions = stringList(value['ActionNames'], 'ActionNames');
  if (actions.length === 0) throw new InvalidInput('ActionNames must contain at least one action.');
  for (const [i, action] of actions.entries()) {
    if (action.length < 3 || action.length > 128) throw new InvalidInput(`ActionNames.member.${i + 1} must be 3 to 128 characters long.`);
    const colon = action.indexOf(':');
    if (colon <= 0 || colon === action.length - 1 || action.indexOf(':', colon + 1) >= 0) {
      throw new InvalidInput(`ActionNames.member.${i + 1} ("${action}") must be of the form service:Action.`);
    }
  }
  const resourcesGiven = value['ResourceArns'] !== undefined;
  const resources = resourcesGiven ? stringList(value['ResourceArns'], 'ResourceArns') : ['*'];
  if (resources.length === 0) throw new InvalidInput('ResourceArns must not be empty (omit it to simulate "*").');
  for (const [i, arn] of resources.entries()) {
    if (arn.length < 1 || arn.length > 2048) throw new InvalidInput(`ResourceArns.member.${i + 1} must be 1 to 2048 characters long.`);
    if (arn !== '*' && !arn.startsWith('arn:')) throw new InvalidInput(`ResourceArns.member.${i + 1} ("${arn}") must be an ARN or "*".`);
  }

  const input: Mutable<SimulateInput> = {
    PolicyInputList: policies,
    PermissionsBoundaryPolicyInputList: boundaries,
    ActionNames: actions,
    ResourceArns: resources,
    resourcesGiven,
    ContextEntries: contextEntries(value['ContextEntries']),
    PrincipalTags: tagMap(value['PrincipalTags'], 'PrincipalTags'),
    ResourceTags: tagMap(value['ResourceTags'], 'ResourceTags'),
    ResourcePolicyType: 'resource',
  };
  if (value['ResourcePolicy'] !== undefined) input.ResourcePolicy = policyDocument(value['ResourcePolicy'], 'ResourcePolicy');
  if (value['ResourceOwner'] !== undefined) {
    const owner = nonEmptyString(value['ResourceOwner'], 'ResourceOwner');
    if (accountOf(owner) === undefined) throw new InvalidInput(`ResourceOwner ("${owner}") must be an account ARN such as arn:aws:iam::123456789012:root.`);
    input.ResourceOwner = owner;
  }
  if (value['CallerArn'] !== undefined) input.CallerArn = nonEmptyString(value['CallerArn'], 'CallerArn');
  if (value['ResourceHandlingOption'] !== undefined) {
    const option = nonEmptyString(value['ResourceHandlingOption'], 'ResourceHandlingOption');
    if (!RESOURCE_HANDLING_OPTIONS.includes(option)) throw new InvalidInput(`ResourceHandlingOption must be one of: ${RESOURCE_HANDLING_OPTIONS.join(', ')}`);
    input.ResourceHandlingOption = option;
  }
  if (value['MaxItems'] !== undefined) {
    const max = value['MaxItems'];
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000) throw new InvalidInput('MaxItems must be an integer from 1 to 1000.');
    input.MaxItems = max;
  }
  if (value['Marker'] !== undefined) input.Marker = nonEmptyString(value['Marker'], 'Marker');
  if (value['SessionPolicyInputList'] !== undefined) input.SessionPolicyInputList = policyList(value['SessionPolicyInputList'], 'SessionPolicyInputList');
  if (value['ServiceControlPolicyInputList'] !== undefined) {
    const levels = value['ServiceControlPolicyInputList'];
    if (!Array.isArray(levels)) throw new InvalidInput('ServiceControlPolicyInputList must be a list of levels (root first), each a list of policy documents.');
    input.ServiceControlPolicyInputList = levels.map((level, i) => {
      const docs = policyList(level, `ServiceControlPolicyInputList.member.${i + 1}`);
      // An Organizations level with no policy attached cannot exist (FullAWSAccess is attached
      // by default and at least one SCP must stay attached).
      if (docs.length === 0) throw new InvalidInput(`ServiceControlPolicyInputList.member.${i + 1} must contain at least one policy.`);
      return docs;
    });
  }
  if (value['ResourceAccount'] !== undefined) {
    const account = nonEmptyString(value['ResourceAccount'], 'ResourceAccount');
    if (!ACCOUNT_ID.test(account)) throw new InvalidInput(`ResourceAccount ("${account}") must be a 12-digit account ID.`);
    input.ResourceAccount = account;
  }
  if (value['ResourcePolicyType'] !== undefined) {
    const type = value['ResourcePolicyType'];
    if (type !== 'resource' && type !== 'trust') throw new InvalidInput('ResourcePolicyType must be "resource" or "trust".');
    input.ResourcePolicyType = type;
  }
  return input;
}

/** The account in `arn:aws:iam::123456789012:root` (or a bare account ID). */
export function accountOf(owner: string): string | undefined {
  if (ACCOUNT_ID.test(owner)) return owner;
  const parts = owner.split(':');
  const account = parts[4];
  return parts.length >= 6 && parts[0] === 'arn' && account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInput(`${name} must be a non-empty string.`);
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw new InvalidInput(`${name} must be a list of strings.`);
  return value.map((item, i) => {
    if (typeof item !== 'string') throw new InvalidInput(`${name}.member.${i + 1} must be a string.`);
    return item;
  });
}

function policyDocument(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new InvalidInput(`${name} must be a policy document given as a JSON string (as AWS takes it), not a JSON ${Array.isArray(value) ? 'array' : typeof value}.`);
  }
  if (value.length === 0 || value.length > 131072) throw new InvalidInput(`${name} must be 1 to 131072 characters long.`);
  if (!hasOnlyPolicyDocumentChars(value)) throw new InvalidInput(`${name} contains characters outside TAB, LF, CR and U+0020-U+00FF.`);
  return value;
}

function policyList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw new InvalidInput(`${name} must be a list of policy documents (JSON strings).`);
  return value.map((item, i) => policyDocument(item, `${name}.member.${i + 1}`));
}

function tagMap(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new InvalidInput(`${name} must be an object mapping tag keys to string values.`);
  const tags: Record<string, string> = {};
  for (const [key, tag] of Object.entries(value)) {
    if (typeof tag !== 'string') throw new InvalidInput(`${name}.${key} must be a string.`);
    tags[key] = tag;
  }
  return tags;
}

function contextEntries(value: unknown): ContextEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInput('ContextEntries must be a list of {ContextKeyName, ContextKeyValues, ContextKeyType}.');
  return value.map((entry, i) => {
    const where = `ContextEntries.member.${i + 1}`;
    if (!isRecord(entry)) throw new InvalidInput(`${where} must be an object.`);
    for (const key of Object.keys(entry)) {
      if (key !== 'ContextKeyName' && key !== 'ContextKeyValues' && key !== 'ContextKeyType') {
        throw new InvalidInput(`Unknown parameter in ${where}: "${key}", must be one of: ContextKeyName, ContextKeyValues, ContextKeyType`);
      }
    }
    const name = nonEmptyString(entry['ContextKeyName'], `${where}.ContextKeyName`);
    if (name.length < 5 || name.length > 256) throw new InvalidInput(`${where}.ContextKeyName must be 5 to 256 characters long.`);
    const values = entry['ContextKeyValues'] === undefined ? [] : stringList(entry['ContextKeyValues'], `${where}.ContextKeyValues`);
    const type = entry['ContextKeyType'] ?? 'string';
    const known = CONTEXT_KEY_TYPES.find((t) => t === type);
    if (known === undefined) throw new InvalidInput(`${where}.ContextKeyType must be one of: ${CONTEXT_KEY_TYPES.join(', ')}`);
    return { ContextKeyName: name, ContextKeyValues: values, ContextKeyType: known };
  });
}
