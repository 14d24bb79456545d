import type { PrincipalSpec } from '../ast.js';
import { childPointer } from '../parse/json-pointer.js';
import { isObject, type Json } from './json-value.js';
import * as M from './messages.js';
import { awsPrincipalShape, isAwsServicePrincipal, isValidCanonicalUser, isValidFederatedPrincipal, isValidServicePrincipal } from './principal-format.js';
import { stringList, warnDuplicates, type StatementContext } from './statement-context.js';

const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

function emptyPrincipal(): { wildcard: boolean; AWS: string[]; Service: string[]; Federated: string[]; CanonicalUser: string[] } {
  return { wildcard: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
}

export function readPrincipal(value: Json, pointer: string, ctx: StatementContext): PrincipalSpec | undefined {
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
        // Trust (and resource) policies may name only principals that exist when saved: AWS
        // answers the same message for an unknown one (V8). The caller knows its principals.
        else if (shape === 'arn' && ctx.principalExists !== undefined && !ctx.principalExists(v)) good = false;
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
