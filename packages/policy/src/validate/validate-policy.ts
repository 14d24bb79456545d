import type { Policy, PolicyVersion, Statement } from '../ast.js';
import type { Diagnostic } from '../diagnostic.js';
import type { PolicyType } from '../policy-type.js';
import { childPointer } from '../parse/json-pointer.js';
import { parseJson, type SourcePosition } from '../parse/parse-json.js';
import { BAD_CHARACTER, stringsWithBadCharacters } from './bad-characters.js';
import { Collector } from './collector.js';
import { has, isObject, type Json } from './json-value.js';
import * as M from './messages.js';
import type { ServiceCatalog } from './service-catalog.js';
import { countNonWhitespace, sizeLimit } from './size-limit.js';
import type { StatementContext } from './statement-context.js';
import { validateStatement } from './validate-statement.js';

export interface ValidateOptions {
  readonly type: PolicyType;
  readonly catalog?: ServiceCatalog;
  /** Overrides the size limit of the policy type (characters as AWS counts them). */
  readonly maxSize?: number;
  /**
   * For `identity`: the document is an inline policy (PutUserPolicy/PutGroupPolicy/
   * PutRolePolicy) rather than a managed one. AWS accepts `Version` 2008-10-17 or absent in
   * inline policies, and limits their size per entity in aggregate (the caller knows the
   * other policies; pass `maxSize`). Default false: the managed-policy rules (CreatePolicy).
   */
  readonly inline?: boolean;
  /**
   * Whether the principal an ARN in an `AWS` principal element names exists (called for every
   * well-formed ARN: root, user, role, assumed-role, federated-user; answer true for accounts
   * you cannot see). AWS refuses a trust or resource policy naming a principal that does not
   * exist (`Invalid principal in policy: "AWS":"arn:..."`); without this callback principals
   * are checked for shape only.
   */
  readonly principalExists?: (arn: string) => boolean;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly policy?: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);

/**
 * Validates a policy document for a policy type, the way AWS does when the document is
 * saved, and returns every problem found (not only the first, as AWS does), each with a JSON
 * pointer and, when `document` is JSON text, its line and column. Warnings are findings in the
 * spirit of IAM Access Analyzer. Never throws.
 */
export function validatePolicy(document: string | unknown, options: ValidateOptions): ValidationResult {
  try {
    return run(document, options);
  } catch (e) {
    // The validator must never throw (contract); an exotic input (a Proxy, a throwing getter)
    // is reported instead.
    const message = `The document could not be validated: ${e instanceof Error ? e.message : String(e)}`;
    return { valid: false, diagnostics: [{ severity: 'error', code: 'InternalError', message, pointer: '' }] };
  }
}

function run(document: unknown, options: ValidateOptions): ValidationResult {
  const type = options.type;
  const inline = options.inline === true && type === 'identity';
  let value: Json;
  let text: string | undefined;
  if (typeof document === 'string') {
    const parsed = parseJson(document);
    const c = new Collector(parsed.positionOf);
    if (parsed.error !== undefined) {
      // AWS answers unparseable text differently per API: CreateRole / UpdateAssumeRolePolicy say
      // "This policy contains invalid Json", the policy APIs (CreatePolicy, Put*Policy, ...) say
      // "Syntax errors in policy." (moto's AWS-checked corpus, public error reports).
      c.addAt('InvalidJson', type === 'trust' ? M.MSG_INVALID_JSON : M.MSG_SYNTAX, '', parsed.error.position);
      return { valid: false, diagnostics: c.sorted() };
    }
    text = document;
    value = parsed.value;
    return validateValue(value, text, options, type, inline, c, parsed.duplicates);
  }
  let serialised: string | undefined;
  try {
    serialised = JSON.stringify(document);
  } catch {
    serialised = undefined;
  }
  const c = new Collector(undefined);
  if (serialised === undefined) {
    c.add('NotAnObject', M.MSG_SYNTAX, '');
    return { valid: false, diagnostics: c.sorted() };
  }
  return validateValue(document, serialised, options, type, inline, c, []);
}

function validateValue(
  doc: Json,
  text: string,
  options: ValidateOptions,
  type: PolicyType,
  inline: boolean,
  c: Collector,
  duplicates: readonly { key: string; pointer: string; position: SourcePosition }[],
): ValidationResult {
  const iamDocument = type === 'identity' || type === 'boundary' || type === 'trust' || type === 'session';

  // V11: the IAM and STS APIs take TAB, LF, CR and U+0020–U+00FF only. Reported at each
  // string (member name or value) that holds such a character.
  if (iamDocument && BAD_CHARACTER.test(text)) {
    for (const { pointer, char } of stringsWithBadCharacters(doc)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      c.add('InvalidCharacter', `The policy contains a character outside TAB, LF, CR and U+0020-U+00FF (U+${code}).`, pointer);
    }
  }
  // V12: size.
  const size = sizeLimit(type, inline);
  const limit = options.maxSize ?? size?.limit;
  if (limit !== undefined) {
    const countAll = size?.countAll ?? false;
    const n = countAll ? text.length : countNonWhitespace(text);
    if (n > limit) {
      const message = size !== undefined ? size.message(limit) : `The policy has ${n} characters; the limit is ${limit}.`;
      c.add('PolicySizeExceeded', message, '');
    }
  }
  // V10: duplicate keys (AWS's exact reaction is unknown; the grammar forbids them).
  for (const dup of duplicates) {
    c.addAt('DuplicateKey', `Duplicate key "${dup.key}": an element must not appear more than once in the same object.`, dup.pointer, dup.position);
  }

  if (!isObject(doc)) {
    c.add('NotAnObject', M.MSG_SYNTAX, '');
    return { valid: false, diagnostics: c.sorted() };
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key)) c.add('UnknownElement', M.MSG_SYNTAX, childPointer('', key));
  }

  // V1: Version.
  let version: PolicyVersion = '2008-10-17';
  const versionExplicit = has(doc, 'Version');
  if (versionExplicit) {
    const v = doc['Version'];
    if (v === '2012-10-17' || v === '2008-10-17') version = v;
    else c.add('InvalidVersion', M.MSG_SYNTAX, '/Version');
  }
  const versionOk = !versionExplicit || doc['Version'] === '2012-10-17' || doc['Version'] === '2008-10-17';
  if (versionOk && version === '2008-10-17') {
    // Managed policies (CreatePolicy, so boundaries too) and SCPs require 2012-10-17.
    // Inline identity, trust, resource and session policies accept the old version (trust
    // policies written by the console long carried 2008-10-17); it makes variables literal.
    const required = (type === 'identity' && !inline) || type === 'boundary' || type === 'scp';
    if (required) c.add('VersionNotSupported', M.MSG_VERSION, versionExplicit ? '/Version' : '');
    else c.add('LegacyVersion', 'Version 2008-10-17 (or no Version) makes policy variables literal text; use "2012-10-17".', versionExplicit ? '/Version' : '');
  }
  const variablesActive = version === '2012-10-17';

  // V2: Id.
  let id: string | undefined;
  if (has(doc, 'Id')) {
    const v = doc['Id'];
    if (typeof v === 'string') id = v;
    else c.add('InvalidId', M.MSG_SYNTAX, '/Id');
  }

  // V3: Statement.
  const statements: Statement[] = [];
  if (!has(doc, 'Statement')) {
    c.add('MissingStatement', M.MSG_SYNTAX, '');
  } else {
    const raw = doc['Statement'];
    let list: { value: Json; pointer: string; index: number }[] = [];
    if (Array.isArray(raw)) {
      if (raw.length === 0) c.add('InvalidStatement', M.MSG_SYNTAX, '/Statement');
      list = raw.map((value, index) => ({ value, pointer: `/Statement/${index}`, index }));
    } else if (isObject(raw)) {
      list = [{ value: raw, pointer: '/Statement', index: 0 }];
    } else {
      c.add('InvalidStatement', M.MSG_SYNTAX, '/Statement');
    }
    const ctx: StatementContext = { c, type, catalog: options.catalog, principalExists: options.principalExists, variablesActive, sids: new Map(), seen: new Map() };
    for (const item of list) {
      if (!isObject(item.value)) {
        c.add('InvalidStatement', M.MSG_SYNTAX, item.pointer);
        continue;
      }
      const st = validateStatement(item.value, item.pointer, item.index, ctx);
      if (st !== undefined) statements.push(st);
    }
  }

  const diagnostics = c.sorted();
  const valid = !diagnostics.some((d) => d.severity === 'error');
  if (!valid) return { valid, diagnostics };
  const policy: Policy = { version, versionExplicit, ...(id !== undefined ? { id } : {}), statements };
  return { valid, policy, diagnostics };
}

