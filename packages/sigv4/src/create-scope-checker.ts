import { AuthorizationHeaderMalformed, AuthorizationQueryParametersError, IncompleteSignature, SignatureDoesNotMatch } from '@latchkey/errors';
import { KEY_TYPE_IDENTIFIER } from './constants.js';
import { echo } from './echo.js';
import type { AuthType } from './types.js';
import { hasPrefix } from './has-prefix.js';

/** A credential scope that passed its checks. */
export interface CheckedScope {
  accessKeyId: string;
  date: string;
  /** the region, or for SigV4a the signed region set */
  region: string;
  service: string;
  /** `date/region/service/aws4_request` (SigV4a: `date/service/aws4_request`) */
  scope: string;
}

export interface ScopeCheckerConfig {
  s3: boolean;
  allowedRegions: readonly string[] | ((region: string) => boolean) | undefined;
  allowedServices: readonly string[] | ((service: string) => boolean);
}

export type ScopeChecker = (credential: string, amzDate: string, kind: AuthType, regionSet: string | undefined) => CheckedScope;

/** Region names as AWS writes them; the default when no `allowedRegions` is configured. */
export function isRegionName(region: string): boolean {
  if (region.length === 0 || region.length > 64) return false;
  for (let i = 0; i < region.length; i++) {
    const c = region.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

function toPredicate(allowed: readonly string[] | ((value: string) => boolean)): (value: string) => boolean {
  if (typeof allowed === 'function') return allowed;
  const set = new Set(allowed);
  return (value) => set.has(value);
}

/**
 * The checks of the `Credential` value (steps 6 and 7 of the order of checks): five parts
 * (SigV4a: four), scope date equal to the request's day, region and service accepted, the
 * `aws4_request` terminator. Every scope problem goes into one message, as AWS does. The last
 * credential that passed is remembered: clients repeat it for a whole day.
 */
export function createScopeChecker(config: ScopeCheckerConfig): ScopeChecker {
  const s3 = config.s3;
  const regionOk = config.allowedRegions === undefined ? isRegionName : toPredicate(config.allowedRegions);
  const serviceOk = toPredicate(config.allowedServices);
  const serviceHint = typeof config.allowedServices === 'function' ? undefined : config.allowedServices.join("' or '");
  let lastCredential: string | undefined;
  let lastScope: CheckedScope | undefined;

  function checkCredential(
    credential: string,
    amzDate: string,
    kind: AuthType,
    regionSet: string | undefined,
  ): CheckedScope {
    // clients repeat the same credential for a whole day: remember the last one that passed
    if (regionSet === undefined && credential === lastCredential && lastScope !== undefined && hasPrefix(amzDate, lastScope.date)) return lastScope;
    const parts = credential.split('/');
    if (regionSet !== undefined) return checkV4aCredential(parts, credential, amzDate, regionSet);
    if (parts.length !== 5) {
      if (s3) {
        const message = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`;
        throw kind === 'header'
          ? new AuthorizationHeaderMalformed('The authorization header is malformed; ' + message)
          : new AuthorizationQueryParametersError('Error parsing the X-Amz-Credential parameter; ' + message);
      }
      throw new IncompleteSignature(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${echo(credential)}'`,
      );
    }
    const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
    const problems: string[] = [];
    const day = amzDate.slice(0, 8);
    if (date !== day) {
      problems.push(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${echo(date)}' != '${day}', from '${amzDate}'.`,
      );
    }
    if (!regionOk(region)) problems.push(`Credential should be scoped to a valid region, not '${echo(region)}'.`);
    if (!serviceOk(service)) problems.push(`Credential should be scoped to correct service: '${serviceHint ?? echo(service)}'.`);
    if (terminator !== KEY_TYPE_IDENTIFIER) {
      problems.push(`Credential should be scoped with a valid terminator: '${KEY_TYPE_IDENTIFIER}', not '${echo(terminator)}'.`);
    }
    if (problems.length > 0) {
      if (s3) {
        const message = 'The authorization header is malformed; ' + problems.join(' ');
        throw kind === 'header' ? new AuthorizationHeaderMalformed(message) : new AuthorizationQueryParametersError(message);
      }
      throw new SignatureDoesNotMatch(problems.join(' '));
    }
    const checked = { accessKeyId, date, region, service, scope: date + '/' + region + '/' + service + '/' + KEY_TYPE_IDENTIFIER };
    lastCredential = credential;
    lastScope = checked;
    return checked;
  }

  /** SigV4a: `keyid/date/service/aws4_request`; the regions come from X-Amz-Region-Set. */
  function checkV4aCredential(
    parts: string[],
    credential: string,
    amzDate: string,
    regionSet: string,
  ): CheckedScope {
    if (parts.length !== 4) {
      throw new IncompleteSignature(`Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term, got '${echo(credential)}'`);
    }
    const [accessKeyId, date, service, terminator] = parts as [string, string, string, string];
    const problems: string[] = [];
    const day = amzDate.slice(0, 8);
    if (date !== day) {
      problems.push(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${echo(date)}' != '${day}', from '${amzDate}'.`,
      );
    }
    if (!regionSetOk(regionSet)) problems.push(`X-Amz-Region-Set should include a valid region, not '${echo(regionSet)}'.`);
    if (!serviceOk(service)) problems.push(`Credential should be scoped to correct service: '${serviceHint ?? echo(service)}'.`);
    if (terminator !== KEY_TYPE_IDENTIFIER) {
      problems.push(`Credential should be scoped with a valid terminator: '${KEY_TYPE_IDENTIFIER}', not '${echo(terminator)}'.`);
    }
    if (problems.length > 0) throw new SignatureDoesNotMatch(problems.join(' '));
    return { accessKeyId, date, region: regionSet, service, scope: date + '/' + service + '/' + KEY_TYPE_IDENTIFIER };
  }

  /**
   * A region set is acceptable when one of its entries is an accepted region or a wildcard
   * pattern (`*`, `us-*`) that matches one: with a predicate (or the default, any well-formed
   * name) a well-formed pattern is taken to match.
   */
  function regionSetOk(regionSet: string): boolean {
    for (const raw of regionSet.split(',')) {
      const entry = raw.trim();
      if (!entry.includes('*')) {
        if (regionOk(entry)) return true;
        continue;
      }
      if (!/^[a-z0-9*-]{1,64}$/.test(entry)) continue;
      if (Array.isArray(config.allowedRegions)) {
        const re = new RegExp('^' + entry.replace(/\*/g, '.*') + '$');
        if ((config.allowedRegions as readonly string[]).some((r) => re.test(r))) return true;
      } else return true;
    }
    return false;
  }

  return checkCredential;
}
