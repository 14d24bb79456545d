import { renderError } from '@latchkey/aws-query';
import { isAwsError } from '@latchkey/errors';
import type { ErrorRequestHandler } from 'express';

export interface ErrorHandlerOptions {
  /** `auto` (default): JSON when `Accept` prefers `application/json` (or an `application/x-amz-json-*` type), XML otherwise. */
  readonly format?: 'auto' | 'xml' | 'json';
  /** XML namespace of `ErrorResponse`. Default `https://latchkey.dev/doc/service/`. */
  readonly namespace?: string;
}

function wantsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const a = accept.toLowerCase();
  const json = Math.max(a.indexOf('application/json'), a.indexOf('application/x-amz-json'));
  if (json < 0) return false;
  const xml = Math.max(a.indexOf('application/xml'), a.indexOf('text/xml'));
  return xml < 0 || json < xml;
}

/**
 * Renders the middleware's `AwsError`s as AWS does: the Query `ErrorResponse` XML, or the JSON
 * protocols' `{"__type", "message"}` with `x-amzn-ErrorType`, by `Accept`; the status is the
 * error's. Only code, fault and message leave the process (never `detail`). Other errors go to
 * the next error handler untouched.
 */
export function latchkeyErrorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const format = options.format ?? 'auto';
  const namespace = options.namespace ?? 'https://latchkey.dev/doc/service/';
  return (err, req, res, next) => {
    if (!isAwsError(err) || res.headersSent) {
      next(err);
      return;
    }
    const header = res.getHeader('x-amzn-RequestId');
    const requestId = typeof header === 'string' ? header : '';
    const json = format === 'json' || (format === 'auto' && wantsJson(req.headers.accept));
    res.status(err.status);
    if (err.status === 413) res.setHeader('Connection', 'close');
    if (json) {
      res.setHeader('x-amzn-ErrorType', err.code);
      res.type('application/json').send(JSON.stringify({ __type: err.code, message: err.message }));
    } else {
      res.type('text/xml').send(renderError(err, namespace, requestId));
    }
  };
}
