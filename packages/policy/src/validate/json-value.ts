// Guards for reading untrusted JSON values (any JS value may arrive: validation never throws).
import type { ConditionValue } from '../ast.js';

export type Json = unknown;
export const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
export const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isScalar = (v: Json): v is ConditionValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
