export { AWS_FAULT_NAMESPACE, IAM_NAMESPACE, IAM_VERSION, MISSING_ACTION_REDIRECT, NO_VERSION_SPECIFIED, STS_NAMESPACE, STS_VERSION } from './constants.js';
export { parseQueryParams } from './parse-query-params.js';
export type { QueryParams } from './parse-query-params.js';
export { invalidAction, resolveOperation } from './resolve-operation.js';
export type { QueryService, ResolvedOperation } from './resolve-operation.js';
export { blob, boolean, enumOf, integer, list, long, map, required, string, structure, timestamp } from './shapes.js';
export type {
  BlobShape,
  BooleanShape,
  EnumShape,
  InputOf,
  IntegerShape,
  ListShape,
  MapShape,
  Members,
  Shape,
  StringShape,
  StructureShape,
  TimestampShape,
  TypeOf,
} from './shapes.js';
export { memberPath, readInput } from './read-input.js';
export { XML_REPLACEMENT, escapeXml } from './xml-escape.js';
export { IAM_POLICY_DOCUMENT_MEMBERS, XmlMap, formatTimestamp, renderMembers } from './render-members.js';
export type { RenderOptions, XmlStructure, XmlValue } from './render-members.js';
export { renderResult } from './render-result.js';
export { errorNamespace, renderError } from './render-error.js';
export { decodePolicyDocument, encodePolicyDocument } from './encode-policy-document.js';
