import type { AwsError } from '@latchkey/errors';
import { AWS_FAULT_NAMESPACE } from './constants.js';
import { escapeXml } from './xml-escape.js';

/**
 * `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`,
 * AWS's Query error envelope. Only `code`, `fault` and `message` are read: `detail` never leaves the process.
 */
export function renderError(error: AwsError, namespace: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${escapeXml(namespace)}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/** The namespace AWS writes on an error: the AWSFault one for `InvalidAction`, the service's otherwise. */
export function errorNamespace(error: AwsError, serviceNamespace: string): string {
  return error.code === 'InvalidAction' ? AWS_FAULT_NAMESPACE : serviceNamespace;
}
