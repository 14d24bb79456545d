import { STS_NAMESPACE, STS_VERSION, resolveOperation } from '@latchkey/aws-query';
import type { Caller } from '@latchkey/iam';
import type { CredentialLookup } from '@latchkey/sigv4';
import type { StsService } from '@latchkey/sts';
import type { QueryServiceHandler } from './query-service.js';

const STS_READ_ONLY = new Set(['GetCallerIdentity', 'GetAccessKeyInfo', 'DecodeAuthorizationMessage']);

/**
 * STS over Query (signing name `sts`, version 2011-06-15). `invokeUnsigned` serves the actions
 * AWS accepts without SigV4 (AssumeRoleWithWebIdentity, Latchkey's password sign-in): the token
 * or password in the request authenticates them, and only them.
 */
export function stsQueryService(sts: StsService): QueryServiceHandler {
  const service = { version: STS_VERSION, operations: sts.operations };
  const resolve = (request: Parameters<QueryServiceHandler['invoke']>[0], rawQuery: string): string => {
    const resolved = resolveOperation(service, request, rawQuery);
    if (resolved.kind !== 'operation') throw new TypeError('a request without Action reached the STS service');
    return resolved.action;
  };
  return {
    signingName: 'sts',
    namespace: STS_NAMESPACE,
    version: STS_VERSION,
    has: (action) => sts.operation(action) !== undefined,
    isUnsigned: (action) => sts.isUnsigned(action),
    // Reads for the audit trail (not waited for). Credential-issuing calls are not: AssumeRole
    // and friends record role use and spend MFA codes, and their record must be stored first.
    isReadOnly: (action) => STS_READ_ONLY.has(action),
    async invoke(request, rawQuery, caller, env) {
      return sts.invoke(resolve(request, rawQuery), request.params, caller, env);
    },
    async invokeUnsigned(request, rawQuery, env) {
      return sts.invoke(resolve(request, rawQuery), request.params, undefined, env);
    },
    start: () => sts.start(),
    close: () => sts.close(),
  };
}

/**
 * SigV4's lookup for temporary (`ASIA…`) keys: the session is decoded from `X-Amz-Security-Token`
 * (cached by token in the StsService). A missing token refuses the key (InvalidClientTokenId);
 * expired, tampered, truncated or foreign tokens throw ExpiredToken / InvalidClientTokenId.
 */
export function sessionCredentialLookup(sts: StsService, clock: () => number): CredentialLookup<Caller> {
  return async (input) => {
    if (input.sessionToken === undefined || input.sessionToken === '') return undefined;
    const s = await sts.resolveSessionCredentials(input.accessKeyId, input.sessionToken, new Date(clock()));
    return { secretAccessKey: s.secretAccessKey, expiresAt: s.expiresAt.getTime(), principal: s.principal, requiresSessionToken: true };
  };
}
