import { escapeXml } from './xml-escape.js';
import { renderMembers, type RenderOptions, type XmlStructure } from './render-members.js';

/**
 * `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`.
 * `result === undefined` is an operation without an output shape: no Result element at all (79 IAM
 * operations: Delete*, Attach*, Put*, Tag*…). An empty object gives `<XResult/>` (UpdateRole), which
 * botocore needs because it looks the wrapper up by name. For IAM pass
 * `{ urlEncodedMembers: IAM_POLICY_DOCUMENT_MEMBERS }` so policy documents go out URL-encoded as AWS sends them.
 */
export function renderResult(action: string, namespace: string, result: XmlStructure | undefined, requestId: string, options: RenderOptions = {}): string {
  let body = '';
  if (result !== undefined) {
    const members = renderMembers(result, options);
    body = members.length === 0 ? `<${action}Result/>` : `<${action}Result>${members}</${action}Result>`;
  }
  return (
    `<${action}Response xmlns="${escapeXml(namespace)}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}
