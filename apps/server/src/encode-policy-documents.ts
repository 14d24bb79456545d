import { encodePolicyDocument, XmlMap, type XmlStructure, type XmlValue } from '@latchkey/aws-query';

/**
 * The members IAM's model types as `policyDocumentType`: AWS returns them URL-encoded (RFC 3986)
 * wherever they appear, including nested in GetAccountAuthorizationDetails' lists.
 */
export const POLICY_DOCUMENT_MEMBERS: ReadonlySet<string> = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

function encodeValue(value: XmlValue): XmlValue {
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array) && !(value instanceof XmlMap)) {
    return encodePolicyDocuments(value as XmlStructure);
  }
  return value;
}

/**
 * A copy of an IAM operation's result with every policy document member URL-encoded, as AWS
 * writes them. Operations return documents as the JSON text stored; encoding here keeps the wire
 * format out of the service code.
 */
export function encodePolicyDocuments(result: XmlStructure): XmlStructure {
  const out: Record<string, XmlValue> = {};
  for (const [name, value] of Object.entries(result)) {
    out[name] = POLICY_DOCUMENT_MEMBERS.has(name) && typeof value === 'string' ? encodePolicyDocument(value) : encodeValue(value as XmlValue);
  }
  return out as XmlStructure;
}
