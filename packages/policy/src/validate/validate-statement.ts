import type { ConditionClause, Effect, PrincipalSpec, Statement } from '../ast.js';
import { childPointer } from '../parse/json-pointer.js';
import { actionPatternMatches } from './action-pattern.js';
import { has, isObject, type Json } from './json-value.js';
import * as M from './messages.js';
import { readPrincipal } from './read-principal.js';
import { checkResourceFormat } from './resource-format.js';
import { checkVariables, stringList, warnDuplicates, type StatementContext } from './statement-context.js';
import { validateCondition } from './validate-condition.js';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

/** Validates one statement (V3–V9, V13) and returns its normalised form when it has no error. */
export function validateStatement(st: Record<string, Json>, sp: string, index: number, ctx: StatementContext): Statement | undefined {
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
    if (!catalog.hasService(vendor.toLowerCase())) {
      if (catalog.partial !== true) c.add('UnknownService', `Service prefix "${vendor}" is not a known service.`, pointer);
    } else if (!/[*?]/.test(a)) {
      if (!catalog.hasAction(a.trim())) c.add('UnknownAction', `"${a}" is not a known action of ${vendor}.`, pointer);
    } else if (catalog.actionsOf !== undefined) {
      const pattern = a.trim();
      const names = catalog.actionsOf(vendor.toLowerCase());
      if (!names.some((name) => actionPatternMatches(pattern, `${vendor}:${name}`))) c.add('UnknownAction', `"${a}" matches no action of ${vendor}.`, pointer);
    }
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
