import { ACTION_CACHE_LIMIT, type CompiledStatement, type StatementIndex } from '../compile/compiled-policy.js';
import { ERROR, FALSE } from '../conditions/compile-condition.js';
import { actionMatches } from '../match/action-matcher.js';
import { betterMatch, type PrincipalMatchKind } from '../match/principal-matcher.js';
import type { PreparedRequest } from './prepared-request.js';

/** What one policy type (or one SCP level) says about a request. */
const NONE: readonly CompiledStatement[] = [];

export class Scan {
  // Shared empty list until the first statement: most scans find few or no statements.
  allows: CompiledStatement[] = NONE as CompiledStatement[];
  denies: CompiledStatement[] = NONE as CompiledStatement[];
  errors: CompiledStatement[] = NONE as CompiledStatement[];
  /** For resource and trust policies: how the best matching Allow named the caller. */
  principalKind: PrincipalMatchKind | undefined;
}

const NO = 0;
const YES = 1;
const BROKEN = 2;

function resourceApplies(s: CompiledStatement, req: PreparedRequest): boolean {
  if (s.resources !== undefined) return s.resources(req.resourceArn, req.resourceParts, req) === true;
  if (s.notResources !== undefined) {
    const r = s.notResources(req.resourceArn, req.resourceParts, req);
    if (r === true) return false;
    if (r === false) return true;
    // An entry whose variable has no value matches nothing. Read safely: a Deny then still
    // applies (nothing excluded), an Allow does not grant on an unresolvable exclusion list.
    return s.effect === 'Deny';
  }
  return true;
}

function actionApplies(s: CompiledStatement, req: PreparedRequest): boolean {
  if (s.actions !== undefined) return actionMatches(s.actions, req.service, req.actionName, req.actionLower);
  if (s.notActions !== undefined) return !actionMatches(s.notActions, req.service, req.actionName, req.actionLower);
  return true; // broken statement without actions: may apply
}

function visit(s: CompiledStatement, req: PreparedRequest, withPrincipal: boolean, out: Scan): void {
  if (!resourceApplies(s, req)) return;
  let kind: PrincipalMatchKind | undefined;
  if (withPrincipal) {
    const p = req.request.principal;
    if (s.principal !== undefined) {
      kind = s.principal.match(p);
      if (kind === undefined) return;
    } else if (s.notPrincipal !== undefined) {
      // M6: a NotPrincipal statement always applies to a principal with a permissions boundary.
      const iam = p.kind !== 'anonymous' && p.kind !== 'service' && p.kind !== 'web-identity';
      if (!(req.hasBoundary && iam) && s.notPrincipal.excludes(p)) return;
      kind = 'direct';
    }
  }
  let outcome = s.error === undefined ? YES : BROKEN;
  for (const c of s.conditions) {
    const r = c.evaluate(req);
    if (r === FALSE) return;
    if (r === ERROR) outcome = BROKEN;
  }
  if (outcome === BROKEN) {
    if (out.errors === NONE) out.errors = [];
    out.errors.push(s);
    // Fail closed: an Allow that cannot be evaluated never grants, and a Deny that cannot be
    // evaluated (but whose action, resource and principal match) denies, because we cannot show
    // that it does not apply. Validation refuses such statements at save time.
    if (s.effect !== 'Deny') return;
    outcome = YES;
  }
  if (outcome === NO) return;
  if (s.effect === 'Deny') {
    if (out.denies === NONE) out.denies = [];
    out.denies.push(s);
  } else {
    if (out.allows === NONE) out.allows = [];
    out.allows.push(s);
    out.principalKind = betterMatch(out.principalKind, kind);
  }
}

/** The statements of `index` whose Action/NotAction matches the request's action: only the
 * request's service bucket and the "always" bucket are consulted. */
function statementsForAction(index: StatementIndex, req: PreparedRequest): readonly CompiledStatement[] {
  const cached = index.byAction.get(req.request.action);
  if (cached !== undefined) return cached;
  const out: CompiledStatement[] = [];
  const bucket = index.byService.get(req.service);
  if (bucket !== undefined) {
    const name = req.actionName;
    for (const entry of bucket) {
      for (const n of entry.names!) {
        if (n(name)) {
          out.push(entry.statement);
          break;
        }
      }
    }
  }
  for (const entry of index.always) if (actionApplies(entry.statement, req)) out.push(entry.statement);
  if (index.byAction.size < ACTION_CACHE_LIMIT) index.byAction.set(req.request.action, out);
  return out;
}

/** Evaluates the statements of one policy type (or SCP level) that apply to the action. */
export function scanIndex(index: StatementIndex, req: PreparedRequest, withPrincipal: boolean): Scan {
  const out = new Scan();
  for (const s of statementsForAction(index, req)) visit(s, req, withPrincipal, out);
  return out;
}
