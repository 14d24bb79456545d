import { escapeXml } from './xml-escape.js';
import { renderMembers, type XmlStructure } from './render-members.js';

/**
 * `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`.
 * `result === undefined` is an operation without an output shape: no Result element at all (79 IAM
 * operations: Delete*, Attach*, Put*, Tag*…). An empty object gives `<XResult/>` (UpdateRole), which
 * botocore needs because it looks the wrapper up by name.
 */
export function renderResult(action: string, namespace: string, result: XmlStructure | undefined, requestId: string): string {
  let body = '';
  if (result !== undefined) {
    const members = renderMembers(result);
    body = members.length === 0 ? `<${action}Result/>` : `<${action}Result>${members}</${action}Result>`;
  }
  return (
    `<${action}Response xmlns="${escapeXml(namespace)}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}
