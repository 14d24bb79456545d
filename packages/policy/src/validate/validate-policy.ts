import type { ConditionClause, ConditionValue, Effect, Policy, PolicyVersion, PrincipalSpec, Statement } from '../ast.js';
import type { Diagnostic } from '../diagnostic.js';
import type { PolicyType } from '../policy-type.js';
import { childPointer } from '../parse/json-pointer.js';
import { parseJson, type SourcePosition } from '../parse/parse-json.js';
import { parseConditionOperator, type OperatorFamily, type ParsedOperator } from './condition-operator.js';
import { isErrorCode, type DiagnosticCode } from './diagnostic-code.js';
import { globalConditionKeyType } from './global-condition-keys.js';
import * as M from './messages.js';
import { findVariables } from './policy-variables.js';
import { awsPrincipalShape, isAwsServicePrincipal, isValidCanonicalUser, isValidFederatedPrincipal, isValidServicePrincipal } from './principal-format.js';
import { checkResourceFormat } from './resource-format.js';
import type { ConditionKeyType, ServiceCatalog } from './service-catalog.js';
import { isValidArnValue, isValidBinaryValue, isValidBoolValue, isValidDateValue, isValidIpValue, isValidNumericValue } from './value-formats.js';

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
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly policy?: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

/** Default size limits (policy-language.md V12, sts-iam-api.md §4.1). `countAll`: the limit
 * counts every character (STS's `Policy` parameter length; Organizations counts whitespace),
 * otherwise whitespace is not counted (IAM). */
function sizeLimit(type: PolicyType, inline: boolean): { limit: number; countAll: boolean; message: (n: number) => string } | undefined {
  switch (type) {
    case 'identity':
      return inline
        ? // Largest per-entity aggregate (a role's 10,240); the caller passes the exact remainder.
          { limit: 10240, countAll: false, message: (n) => `Maximum policy size of ${n} bytes exceeded.` }
        : { limit: 6144, countAll: false, message: M.msgManagedSize };
    case 'boundary':
      return { limit: 6144, countAll: false, message: M.msgManagedSize };
    case 'trust':
      return { limit: 2048, countAll: false, message: M.msgTrustSize };
    case 'session':
      return { limit: 2048, countAll: true, message: (n) => `Member must have length less than or equal to ${n}` };
    case 'scp':
      // 5,120 until May 2026, 10,240 since (policy-language.md V12).
      return { limit: 10240, countAll: true, message: (n) => `The provided policy document exceeds the maximum size of ${n} characters.` };
    case 'resource':
      // Each service sets its own (S3 20 KB, SQS 8 KB, ...): only `maxSize` applies.
      return undefined;
  }
}

type Json = unknown;
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: Json): v is ConditionValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const BAD_CHARACTER = /[^\t\n\r\x20-\xff]/u;

/** Every member name and string value holding a character IAM does not accept, with its
 * pointer. Iterative and bounded (depth 64, each object once), so any value is safe. */
function stringsWithBadCharacters(root: Json): { pointer: string; char: string }[] {
  const out: { pointer: string; char: string }[] = [];
  const seen = new Set<object>();
  const stack: { value: Json; pointer: string; depth: number }[] = [{ value: root, pointer: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, pointer, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const m = BAD_CHARACTER.exec(value);
      if (m !== null) out.push({ pointer, char: m[0] });
      continue;
    }
    if (typeof value !== 'object' || value === null || depth >= 64 || seen.has(value)) continue;
    seen.add(value);
    const entries: [string, Json][] = Array.isArray(value) ? value.map((v: Json, i: number) => [String(i), v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!;
      const p = childPointer(pointer, key);
      if (!Array.isArray(value)) {
        const m = BAD_CHARACTER.exec(key);
        if (m !== null) out.push({ pointer: p, char: m[0] });
      }
      stack.push({ value: v, pointer: p, depth: depth + 1 });
    }
  }
  return out;
}

function countNonWhitespace(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12)) n++;
  }
  return n;
}

/** Wildcard match (`*`, `?`), case-insensitive: how actions match (M1). */
function actionPatternMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  // Iterative glob with backtracking on the last `*`.
  let pi = 0;
  let ai = 0;
  let star = -1;
  let mark = 0;
  while (ai < a.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === a[ai])) {
      pi++;
      ai++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ai;
    } else if (star >= 0) {
      pi = star + 1;
      ai = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function familyFits(family: OperatorFamily, type: ConditionKeyType): boolean {
  const base = type.startsWith('ArrayOf') ? type.slice('ArrayOf'.length) : type;
  switch (family) {
    case 'Null':
      return true;
    case 'String':
      // Access Analyzer warns about String operators on ARN keys (policy-language.md C13).
      return base === 'String';
    case 'Arn':
      return base === 'ARN';
    case 'Numeric':
      return base === 'Numeric';
    case 'Date':
      return base === 'Date';
    case 'Bool':
      return base === 'Bool';
    case 'IpAddress':
      return base === 'IPAddress';
    case 'Binary':
      return base === 'Binary';
  }
}

class Collector {
  readonly diagnostics: { d: Diagnostic; order: number; offset: number }[] = [];
  errorCount = 0;
  constructor(private readonly positionOf: ((pointer: string) => SourcePosition | undefined) | undefined) {}

  add(code: DiagnosticCode, message: string, pointer: string): void {
    const severity = isErrorCode(code) ? 'error' : 'warning';
    let pos: SourcePosition | undefined;
    if (this.positionOf !== undefined) {
      let p = pointer;
      while (true) {
        pos = this.positionOf(p);
        if (pos !== undefined || p === '') break;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    }
    const d: Diagnostic = pos !== undefined ? { severity, code, message, pointer, line: pos.line, column: pos.column } : { severity, code, message, pointer };
    if (severity === 'error') this.errorCount++;
    this.diagnostics.push({ d, order: this.diagnostics.length, offset: pos?.offset ?? -1 });
  }

  addAt(code: DiagnosticCode, message: string, pointer: string, pos: SourcePosition): void {
    const severity = isErrorCode(code) ? 'error' : 'warning';
    if (severity === 'error') this.errorCount++;
    this.diagnostics.push({ d: { severity, code, message, pointer, line: pos.line, column: pos.column }, order: this.diagnostics.length, offset: pos.offset });
  }

  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort((a, b) => a.offset - b.offset || a.order - b.order).map((x) => x.d);
  }
}

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
      c.addAt('InvalidJson', M.MSG_INVALID_JSON, '', parsed.error.position);
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
    const ctx: StatementContext = { c, type, catalog: options.catalog, variablesActive, sids: new Map(), seen: new Map() };
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

interface StatementContext {
  readonly c: Collector;
  readonly type: PolicyType;
  readonly catalog: ServiceCatalog | undefined;
  readonly variablesActive: boolean;
  /** Sid → pointer of its first statement. */
  readonly sids: Map<string, string>;
  /** Canonical statement text → pointer of its first statement. */
  readonly seen: Map<string, string>;
}

/** Reads a string-or-array-of-strings element, reporting entries of the wrong shape.
 * Returns undefined when the element itself has the wrong shape, else its string entries
 * (so that they are checked too: every problem is reported). */
function stringList(value: Json, pointer: string, c: Collector, badCode: DiagnosticCode): { value: string; pointer: string }[] | undefined {
  if (typeof value === 'string') return [{ value, pointer }];
  if (!Array.isArray(value)) {
    c.add(badCode, M.MSG_SYNTAX, pointer);
    return undefined;
  }
  const out: { value: string; pointer: string }[] = [];
  value.forEach((v: Json, i: number) => {
    const p = `${pointer}/${i}`;
    if (typeof v === 'string') out.push({ value: v, pointer: p });
    else c.add(badCode, M.MSG_SYNTAX, p);
  });
  return out;
}

function warnDuplicates(entries: readonly { value: string; pointer: string }[], c: Collector, caseInsensitive: boolean): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const k = caseInsensitive ? e.value.toLowerCase() : e.value;
    if (seen.has(k)) c.add('RedundantValue', `"${e.value}" is listed more than once.`, e.pointer);
    seen.add(k);
  }
}

function checkVariables(value: string, pointer: string, ctx: StatementContext, allowed: boolean): void {
  if (!value.includes('${')) return;
  if (!ctx.variablesActive) {
    ctx.c.add('VariableInLegacyVersion', `"${value}" contains "\${": with Version 2008-10-17 (or none) it is literal text, not a policy variable.`, pointer);
    return;
  }
  if (!allowed) {
    ctx.c.add('VariableNotAllowedHere', `Policy variables are not substituted here; "${value}" is compared as literal text.`, pointer);
    return;
  }
  for (const use of findVariables(value)) {
    if (use.invalid !== undefined) {
      ctx.c.add('InvalidVariable', `"${use.text}" is not a valid policy variable (${use.invalid}); it is compared as literal text.`, pointer);
      continue;
    }
    const t = globalConditionKeyType(use.key) ?? ctx.catalog?.conditionKeyType(use.key);
    if (t !== undefined && t.startsWith('ArrayOf')) {
      ctx.c.add('MultiValuedVariable', `"${use.key}" is multivalued; only single-valued keys can be policy variables.`, pointer);
    }
  }
}

function validateStatement(st: Record<string, Json>, sp: string, index: number, ctx: StatementContext): Statement | undefined {
  const { c, type } = ctx;
  const errorsBefore = c.errorCount;
  for (const key of Object.keys(st)) {
    if (!STATEMENT_KEYS.has(key)) c.add('UnknownElement', M.MSG_SYNTAX, childPointer(sp, key));
  }

  // V4: Sid.
  let sid: string | undefined;
  if (has(st, 'Sid')) {
    const v = st['Sid'];
    const p = `${sp}/Sid`;
    if (typeof v !== 'string') c.add('InvalidSid', M.MSG_SYNTAX, p);
    else {
      sid = v;
      if (!/^[A-Za-z0-9]*$/.test(v)) {
        // IAM and STS reject it; S3 and KMS resource policies accept spaces, and other
        // services vary, so for resource policies and SCPs it is only a warning.
        if (type === 'resource' || type === 'scp') c.add('SidCharacters', `Sid "${v}" has characters other than A-Z, a-z and 0-9, which IAM policies do not accept.`, p);
        else c.add('SidNotAlphanumeric', M.MSG_SID_ALNUM, p);
      }
      if (v !== '') {
        if (ctx.sids.has(v)) c.add('DuplicateSid', M.MSG_SID_UNIQUE, p);
        else ctx.sids.set(v, p);
      }
    }
  }

  // V5: Effect.
  let effect: Effect | undefined;
  if (!has(st, 'Effect')) c.add('MissingEffect', M.MSG_SYNTAX, sp);
  else {
    const v = st['Effect'];
    const p = `${sp}/Effect`;
    if (v === 'Allow' || v === 'Deny') effect = v;
    else if (typeof v === 'string' && (v.toLowerCase() === 'allow' || v.toLowerCase() === 'deny')) c.add('EffectCase', M.MSG_LEGACY, p);
    else c.add('InvalidEffect', M.MSG_SYNTAX, p);
  }

  // V8: Principal / NotPrincipal.
  const hasP = has(st, 'Principal');
  const hasNP = has(st, 'NotPrincipal');
  const hasCondition = has(st, 'Condition') && isObject(st['Condition']) && Object.keys(st['Condition']).length > 0;
  let principal: PrincipalSpec | undefined;
  let notPrincipal: PrincipalSpec | undefined;
  const principalAllowed = type === 'resource' || type === 'trust';
  if (!principalAllowed) {
    if (hasP) c.add('PrincipalNotAllowed', M.MSG_NO_PRINCIPAL_ALLOWED, `${sp}/Principal`);
    if (hasNP) c.add('PrincipalNotAllowed', M.MSG_NO_PRINCIPAL_ALLOWED, `${sp}/NotPrincipal`);
  } else {
    if (hasP && hasNP) c.add('PrincipalAndNotPrincipal', M.MSG_SYNTAX, sp);
    else if (!hasP && !hasNP) c.add('MissingPrincipal', M.MSG_MISSING_PRINCIPAL, sp);
    if (hasP) principal = readPrincipal(st['Principal'], `${sp}/Principal`, ctx);
    if (hasNP) {
      if (type === 'trust') c.add('NotPrincipalNotAllowed', 'NotPrincipal is not allowed in a role trust policy.', `${sp}/NotPrincipal`);
      else if (effect === 'Allow') c.add('NotPrincipalNotAllowed', 'NotPrincipal can only be used with "Effect": "Deny".', `${sp}/NotPrincipal`);
      notPrincipal = readPrincipal(st['NotPrincipal'], `${sp}/NotPrincipal`, ctx);
    }
    if (effect === 'Allow' && principal !== undefined && (principal.wildcard || principal.AWS.includes('*')) && !hasCondition) {
      c.add('PublicPrincipalWithoutCondition', 'This statement allows every principal, including anonymous callers, without any condition.', `${sp}/Principal`);
    }
  }

  // V6 / V13: Action / NotAction.
  const hasA = has(st, 'Action');
  const hasNA = has(st, 'NotAction');
  let action: string[] | undefined;
  let notAction: string[] | undefined;
  if (hasA && hasNA) c.add('ActionAndNotAction', M.MSG_SYNTAX, sp);
  else if (!hasA && !hasNA) c.add('MissingAction', M.MSG_NO_ACTIONS, sp);
  for (const [key, isNot] of [['Action', false], ['NotAction', true]] as const) {
    if (!has(st, key)) continue;
    const p = `${sp}/${key}`;
    const list = stringList(st[key], p, c, 'InvalidActionValue');
    if (list === undefined) continue;
    if (Array.isArray(st[key]) && (st[key] as Json[]).length === 0) c.add('MissingAction', M.MSG_NO_ACTIONS, p);
    for (const e of list) checkAction(e.value, e.pointer, ctx);
    warnDuplicates(list, c, true);
    if (type === 'trust') checkTrustActions(list, isNot, p, ctx);
    const values = list.map((e) => e.value);
    if (isNot) notAction = values;
    else action = values;
  }
  if (effect === 'Allow' && notAction !== undefined) {
    c.add('AllowWithNotAction', 'Allow with NotAction grants every action of every service except those listed; prefer an Action list.', `${sp}/NotAction`);
  }

  // V7: Resource / NotResource.
  const hasR = has(st, 'Resource');
  const hasNR = has(st, 'NotResource');
  let resource: string[] | undefined;
  let notResource: string[] | undefined;
  if (type === 'trust') {
    if (hasR) c.add('ResourceProhibited', M.MSG_RESOURCE_PROHIBITED, `${sp}/Resource`);
    if (hasNR) c.add('ResourceProhibited', M.MSG_RESOURCE_PROHIBITED, `${sp}/NotResource`);
  } else {
    if (hasR && hasNR) c.add('ResourceAndNotResource', M.MSG_SYNTAX, sp);
    else if (!hasR && !hasNR) c.add('MissingResource', M.MSG_NO_RESOURCES, sp);
    for (const [key, isNot] of [['Resource', false], ['NotResource', true]] as const) {
      if (!has(st, key)) continue;
      const p = `${sp}/${key}`;
      const list = stringList(st[key], p, c, 'InvalidResourceValue');
      if (list === undefined) continue;
      if (Array.isArray(st[key]) && (st[key] as Json[]).length === 0) c.add('MissingResource', M.MSG_NO_RESOURCES, p);
      for (const e of list) {
        const problem = checkResourceFormat(e.value);
        if (problem !== undefined) c.add(problem.code, problem.message, e.pointer);
        checkVariables(e.value, e.pointer, ctx, true);
      }
      warnDuplicates(list, c, false);
      const values = list.map((e) => e.value);
      if (isNot) notResource = values;
      else resource = values;
    }
    if (effect === 'Allow' && notResource !== undefined) {
      c.add('AllowWithNotResource', 'Allow with NotResource grants access to every resource except those listed; prefer a Resource list.', `${sp}/NotResource`);
    }
  }

  // iam:PassRole on every role.
  if (effect === 'Allow' && action !== undefined && resource !== undefined && resource.includes('*')) {
    const passRole = action.find((a) => actionPatternMatches(a, 'iam:PassRole'));
    if (passRole !== undefined) {
      c.add('PassRoleWildcard', `"${passRole}" with "Resource": "*" lets the principal pass any role to any service; list the roles it may pass.`, `${sp}/Action`);
    }
  }

  // V9: Condition.
  const conditions: ConditionClause[] = [];
  if (has(st, 'Condition')) validateCondition(st['Condition'], `${sp}/Condition`, effect, conditions, ctx);

  // Redundant statement: the same statement twice (Sid aside).
  const sortedJoin = (l: readonly string[] | undefined, lower: boolean): string => (l === undefined ? '-' : (lower ? l.map((a) => a.toLowerCase()) : [...l]).sort().join('\u0000'));
  const canonical = [
    effect,
    JSON.stringify(principal ?? null),
    JSON.stringify(notPrincipal ?? null),
    sortedJoin(action, true),
    sortedJoin(notAction, true),
    sortedJoin(resource, false),
    sortedJoin(notResource, false),
    conditions.length === 0 ? '' : JSON.stringify(conditions.map((k) => [k.operator, k.key.toLowerCase(), k.values]).sort()),
  ].join('\u0001');
  const first = ctx.seen.get(canonical);
  if (first !== undefined) c.add('RedundantStatement', `This statement repeats the statement at ${first}.`, sp);
  else ctx.seen.set(canonical, sp);

  if (c.errorCount > errorsBefore || effect === undefined) return undefined;
  return {
    index,
    ...(sid !== undefined ? { sid } : {}),
    effect,
    ...(principal !== undefined ? { principal } : {}),
    ...(notPrincipal !== undefined ? { notPrincipal } : {}),
    ...(action !== undefined ? { action } : {}),
    ...(notAction !== undefined ? { notAction } : {}),
    ...(resource !== undefined ? { resource } : {}),
    ...(notResource !== undefined ? { notResource } : {}),
    conditions,
  };
}

// The shape nearly every action has; such an action needs no further syntax checks.
const PLAIN_ACTION = /^[a-zA-Z0-9.-]+:[A-Za-z0-9*?_-]*$/;

function checkAction(a: string, pointer: string, ctx: StatementContext): void {
  const { c } = ctx;
  if (PLAIN_ACTION.test(a)) {
    if (ctx.catalog !== undefined) checkActionInCatalog(a, a.slice(0, a.indexOf(':')), pointer, ctx);
    return;
  }
  const parts = a.split(':');
  if (parts.length === 1 && parts[0] !== '*') {
    c.add('ActionMissingVendor', M.MSG_VENDOR, pointer);
    return;
  }
  if (parts.length > 2) {
    c.add('ActionTooManyColons', M.MSG_ONE_COLON, pointer);
    return;
  }
  const vendor = parts[0]!;
  if (vendor !== '*' && /[^a-zA-Z0-9\-.]/.test(vendor)) {
    c.add('ActionInvalidVendor', M.msgVendorInvalid(vendor), pointer);
    return;
  }
  // AWS accepts whitespace in the action name ("ec2: DescribeAccountAttributes" is in AWS
  // managed policies), but no action has whitespace in its name: it matches nothing.
  if (/\s/.test(a)) c.add('WhitespaceInAction', `"${a}" contains whitespace, so it matches no action.`, pointer);
  if (a.includes('${')) checkVariables(a, pointer, ctx, false);
  if (ctx.catalog !== undefined && a !== '*') checkActionInCatalog(a, vendor, pointer, ctx);
}

function checkActionInCatalog(a: string, vendor: string, pointer: string, ctx: StatementContext): void {
  const { c } = ctx;
  const catalog = ctx.catalog;
  if (catalog !== undefined && !/[*?]/.test(vendor)) {
    if (!catalog.hasService(vendor.toLowerCase())) c.add('UnknownService', `Service prefix "${vendor}" is not a known service.`, pointer);
    else if (!/[*?]/.test(a) && !catalog.hasAction(a.trim())) c.add('UnknownAction', `"${a}" is not a known action of ${vendor}.`, pointer);
  }
}

function checkTrustActions(list: readonly { value: string; pointer: string }[], isNot: boolean, pointer: string, ctx: StatementContext): void {
  const { c } = ctx;
  if (isNot) {
    // AWS validates the trust policy's `Action` list; a statement without one is rejected.
    c.add('TrustPolicyAction', M.MSG_TRUST_ACTIONS, pointer);
    return;
  }
  for (const e of list) {
    const a = e.value.toLowerCase();
    if (TRUST_ACTIONS.has(a)) continue;
    if (/[*?]/.test(a)) {
      const matchesSome = [...TRUST_ACTIONS].some((t) => actionPatternMatches(a, t));
      if (matchesSome) c.add('TrustPolicyWildcardAction', `"${e.value}" in a trust policy; name the sts:AssumeRole* actions the principal may use.`, e.pointer);
      else c.add('TrustPolicyAction', M.MSG_TRUST_ACTIONS, e.pointer);
      continue;
    }
    // Other STS actions are accepted by AWS (moto's AWS-derived list) but mean nothing here.
    if (a.startsWith('sts:')) c.add('TrustPolicyUnusualAction', `"${e.value}" has no effect in a trust policy.`, e.pointer);
    else c.add('TrustPolicyAction', M.MSG_TRUST_ACTIONS, e.pointer);
  }
}

function emptyPrincipal(): { wildcard: boolean; AWS: string[]; Service: string[]; Federated: string[]; CanonicalUser: string[] } {
  return { wildcard: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
}

function readPrincipal(value: Json, pointer: string, ctx: StatementContext): PrincipalSpec | undefined {
  const { c } = ctx;
  if (value === '*') return { ...emptyPrincipal(), wildcard: true };
  if (!isObject(value)) {
    c.add('InvalidPrincipalValue', M.MSG_SYNTAX, pointer);
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    c.add('EmptyPrincipal', M.MSG_EMPTY_PRINCIPAL, pointer);
    return undefined;
  }
  const spec = emptyPrincipal();
  let ok = true;
  for (const key of keys) {
    const p = childPointer(pointer, key);
    if (!PRINCIPAL_KEYS.has(key)) {
      c.add('InvalidPrincipalValue', M.MSG_SYNTAX, p);
      ok = false;
      continue;
    }
    const list = stringList(value[key], p, c, 'InvalidPrincipalValue');
    if (list === undefined) {
      ok = false;
      continue;
    }
    if (Array.isArray(value[key]) && (value[key] as Json[]).length === 0) {
      c.add('EmptyPrincipal', M.MSG_EMPTY_PRINCIPAL, p);
      ok = false;
    }
    if (list.length !== (Array.isArray(value[key]) ? (value[key] as Json[]).length : 1)) ok = false;
    for (const e of list) {
      const v = e.value;
      let good = true;
      if (key === 'AWS') {
        const shape = awsPrincipalShape(v);
        if (shape === 'invalid') good = false;
        else if (shape === 'uniqueId') c.add('PrincipalUniqueId', `"${v}" is a unique id: AWS shows one when the principal it named was deleted; it matches no current principal.`, e.pointer);
      } else if (key === 'Service') {
        good = isValidServicePrincipal(v);
        if (good && !isAwsServicePrincipal(v)) c.add('UnusualServicePrincipal', `"${v}" is not an AWS service principal (*.amazonaws.com).`, e.pointer);
      } else if (key === 'Federated') {
        good = isValidFederatedPrincipal(v);
      } else {
        // CanonicalUser: S3 resource policies only.
        good = ctx.type === 'resource' && isValidCanonicalUser(v);
      }
      if (!good) {
        c.add('InvalidPrincipal', M.msgInvalidPrincipal(key, v), e.pointer);
        ok = false;
      }
      if (v.includes('${') && ctx.variablesActive) c.add('VariableNotAllowedHere', `Policy variables are not substituted in ${key} principals; "${v}" is literal text.`, e.pointer);
    }
    warnDuplicates(list, c, false);
    (spec[key as 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'] as string[]).push(...list.map((e) => e.value));
  }
  return ok ? spec : undefined;
}

const FAMILY_VALUE_CHECK: Readonly<Record<OperatorFamily, ((v: ConditionValue) => boolean) | undefined>> = {
  String: undefined,
  Numeric: isValidNumericValue,
  Date: isValidDateValue,
  Bool: isValidBoolValue,
  Binary: isValidBinaryValue,
  IpAddress: isValidIpValue,
  Arn: isValidArnValue,
  Null: isValidBoolValue,
};

const FAMILY_VALUE_CODE: Readonly<Record<OperatorFamily, DiagnosticCode>> = {
  String: 'InvalidConditionValue',
  Numeric: 'InvalidNumericValue',
  Date: 'InvalidDateValue',
  Bool: 'InvalidBoolValue',
  Binary: 'InvalidBinaryValue',
  IpAddress: 'InvalidIpValue',
  Arn: 'InvalidArnValue',
  Null: 'InvalidNullValue',
};

const FAMILY_VALUE_WORDS: Readonly<Record<OperatorFamily, string>> = {
  String: 'a string',
  Numeric: 'a number (integer or decimal)',
  Date: 'a date',
  Bool: '"true" or "false"',
  Binary: 'base64 text',
  IpAddress: 'an IPv4 or IPv6 address or CIDR block',
  Arn: 'an ARN',
  Null: '"true" or "false"',
};

// P2: variables are substituted in String, ARN and Bool condition values only.
const VARIABLE_FAMILIES: ReadonlySet<OperatorFamily> = new Set(['String', 'Arn', 'Bool']);

function validateCondition(value: Json, pointer: string, effect: Effect | undefined, out: ConditionClause[], ctx: StatementContext): void {
  const { c } = ctx;
  if (!isObject(value)) {
    c.add('InvalidCondition', M.MSG_SYNTAX, pointer);
    return;
  }
  for (const opName of Object.keys(value)) {
    const op = parseConditionOperator(opName);
    const opPointer = childPointer(pointer, opName);
    const block = value[opName];
    if (!isObject(block)) {
      c.add('InvalidCondition', M.MSG_SYNTAX, opPointer);
      continue;
    }
    const keys = Object.keys(block);
    if (op === undefined) {
      // AWS accepts an unknown operator whose block is empty (moto's AWS-checked corpus:
      // `"Condition": {"x": {}}` is valid); otherwise it is a syntax error.
      if (keys.length === 0) c.add('EmptyConditionBlock', `Condition operator "${opName}" is unknown and has no keys; it is ignored.`, opPointer);
      else c.add('UnknownConditionOperator', M.MSG_SYNTAX, opPointer);
      continue;
    }
    if (keys.length === 0) c.add('EmptyConditionBlock', `"${opName}" has no condition keys; it is ignored.`, opPointer);
    if (op.base === 'Null' && op.ifExists) c.add('NullIfExists', '"NullIfExists" behaves as "Null": IfExists has no meaning for the Null operator.', opPointer);
    if (op.setOperator === 'ForAllValues' && effect === 'Allow') {
      c.add('ForAllValuesWithAllow', `${opName} with Allow is true when the key is missing or has no values; add a Null check or use ForAnyValue.`, opPointer);
    }
    for (const key of keys) {
      const keyPointer = childPointer(opPointer, key);
      const raw = block[key];
      let values: ConditionValue[] | undefined;
      if (isScalar(raw)) values = [raw];
      else if (Array.isArray(raw) && raw.every(isScalar)) values = raw as ConditionValue[];
      if (values === undefined) {
        c.add('InvalidConditionValue', M.MSG_SYNTAX, keyPointer);
        continue;
      }
      if (values.length === 0) c.add('EmptyConditionValues', `"${key}" has an empty list of values, so the condition can never match.`, keyPointer);
      checkConditionKey(key, op, keyPointer, ctx);
      values.forEach((v, i) => {
        const vp = Array.isArray(raw) ? `${keyPointer}/${i}` : keyPointer;
        const hasVariable = typeof v === 'string' && v.includes('${');
        if (hasVariable) checkVariables(v, vp, ctx, VARIABLE_FAMILIES.has(op.family));
        const check = FAMILY_VALUE_CHECK[op.family];
        if (check === undefined) return;
        // A variable makes the value known only at request time.
        if (hasVariable && ctx.variablesActive && VARIABLE_FAMILIES.has(op.family)) return;
        if (!check(v)) {
          const message = op.family === 'Date' ? M.MSG_LEGACY : `${JSON.stringify(v)} is not ${FAMILY_VALUE_WORDS[op.family]}, as ${op.base} requires.`;
          c.add(FAMILY_VALUE_CODE[op.family], message, vp);
        }
      });
      out.push({ operator: opName, key, values, pointer: keyPointer });
    }
  }
}

function checkConditionKey(key: string, op: ParsedOperator, pointer: string, ctx: StatementContext): void {
  const { c, catalog } = ctx;
  const colon = key.indexOf(':');
  if (colon <= 0) {
    // AWS accepts keys without a vendor prefix (moto's AWS-checked corpus has `"a"`), but no
    // request carries them.
    c.add('ConditionKeyWithoutVendor', `Condition key "${key}" has no service prefix (e.g. aws:, s3:).`, pointer);
    return;
  }
  const vendor = key.slice(0, colon).toLowerCase();
  const type = catalog?.conditionKeyType(key) ?? globalConditionKeyType(key);
  if (type === undefined) {
    if (catalog !== undefined && (vendor === 'aws' || catalog.hasService(vendor))) {
      c.add('UnknownConditionKey', `"${key}" is not a known condition key.`, pointer);
    }
    return;
  }
  const multi = type.startsWith('ArrayOf');
  if (op.family !== 'Null') {
    if (multi && op.setOperator === undefined) {
      c.add('MissingSetOperator', `"${key}" is multivalued: use ForAllValues:${op.base} or ForAnyValue:${op.base}.`, pointer);
    } else if (!multi && op.setOperator !== undefined) {
      c.add('SetOperatorOnSingleValuedKey', `"${key}" is single-valued: ${op.setOperator}: is meant for multivalued keys.`, pointer);
    }
  }
  if (!familyFits(op.family, type)) {
    c.add('OperatorKeyTypeMismatch', `${op.base} is a ${op.family} operator but "${key}" is of type ${type}.`, pointer);
  }
}
