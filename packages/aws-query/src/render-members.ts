import { bytesToBase64 } from '@latchkey/model';
import { encodePolicyDocument } from './encode-policy-document.js';
import { escapeXml } from './xml-escape.js';

/** A map member: rendered as `<entry><key>k</key><value>v</value></entry>` children. */
export class XmlMap {
  readonly entries: ReadonlyArray<readonly [string, XmlValue]>;
  constructor(entries: Iterable<readonly [string, XmlValue]> | Readonly<Record<string, XmlValue>>) {
    this.entries = Symbol.iterator in entries ? [...(entries as Iterable<readonly [string, XmlValue]>)] : Object.entries(entries);
  }
}

/**
 * A member value in a Query response. Strings are escaped; numbers print in decimal; booleans as
 * `true`/`false`; `Date`s as ISO-8601 UTC without milliseconds (`2026-11-27T19:13:12Z`, AWS's form);
 * `Uint8Array`s as base64; arrays as `<member>` children; `XmlMap` as `<entry>` children; plain
 * objects as nested members in insertion order. `undefined` and `null` members are omitted.
 */
export type XmlValue = string | number | bigint | boolean | Date | Uint8Array | XmlMap | readonly XmlValue[] | XmlStructure | null | undefined;
export interface XmlStructure {
  readonly [member: string]: XmlValue;
}

/** `2026-11-27T19:13:12Z`: whole seconds, UTC, as AWS writes timestamps. */
export function formatTimestamp(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new TypeError('invalid Date in XML output');
  const iso = date.toISOString();
  return `${iso.slice(0, 19)}Z`;
}

function scalar(value: XmlValue): string | undefined {
  switch (typeof value) {
    case 'string':
      return escapeXml(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in XML output');
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value instanceof Date) return formatTimestamp(value);
      if (value instanceof Uint8Array) return bytesToBase64(value);
      return undefined;
  }
}

/**
 * IAM output members of the model's `policyDocumentType`: `PolicyDocument` (Get*Policy, authorization
 * details), `Document` (PolicyVersion) and `AssumeRolePolicyDocument` (Role). AWS returns them URL-encoded.
 */
export const IAM_POLICY_DOCUMENT_MEMBERS: ReadonlySet<string> = new Set(['PolicyDocument', 'Document', 'AssumeRolePolicyDocument']);

export interface RenderOptions {
  /** String members with these names (at any depth) are URL-encoded with `encodePolicyDocument` first. */
  readonly urlEncodedMembers?: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

function element(name: string, value: XmlValue, out: string[], encoded: ReadonlySet<string>): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' && encoded.has(name)) {
    out.push(`<${name}>${encodePolicyDocument(value)}</${name}>`);
    return;
  }
  const text = scalar(value);
  if (text !== undefined) {
    out.push(`<${name}>${text}</${name}>`);
    return;
  }
  const start = out.length;
  out.push(`<${name}>`);
  if (Array.isArray(value)) {
    for (const item of value as readonly XmlValue[]) element('member', item, out, encoded);
  } else if (value instanceof XmlMap) {
    for (const [k, v] of value.entries) {
      out.push('<entry>');
      element('key', k, out, NONE);
      element('value', v, out, encoded);
      out.push('</entry>');
    }
  } else {
    renderMembersInto(value as XmlStructure, out, encoded);
  }
  // An empty list, map or structure is written `<Name/>`, as in AWS's `<RoleLastUsed/>`.
  if (out.length === start + 1) out[start] = `<${name}/>`;
  else out.push(`</${name}>`);
}

function renderMembersInto(structure: XmlStructure, out: string[], encoded: ReadonlySet<string>): void {
  for (const name of Object.keys(structure)) element(name, structure[name], out, encoded);
}

/**
 * Renders the members of a structure (the body of a `<XResult>`). Element names come from code,
 * never from requests, and are written as given.
 */
export function renderMembers(structure: XmlStructure, options: RenderOptions = {}): string {
  const out: string[] = [];
  renderMembersInto(structure, out, options.urlEncodedMembers ?? NONE);
  return out.join('');
}
