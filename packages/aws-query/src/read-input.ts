import { MalformedInput, ValidationError } from '@latchkey/errors';
import { base64ToBytes, checkEnum, checkInteger, checkListLength, checkString, validationMessage, violationClause } from '@latchkey/model';
import type { QueryParams } from './parse-query-params.js';
import type { InputOf, ListShape, MapShape, Members, Shape, StructureShape } from './shapes.js';

const INT32 = { min: -2147483648n, max: 2147483647n };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };
// AWS accepts a leading `+` and leading zeros (`+900`, `0900`) and nothing fractional (observed).
const DECIMAL = /^[+-]?\d+$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const INDEX = /^[1-9]\d{0,8}$/;

/** AWS prints member paths with the first letter lower-cased: `RoleSessionName` → `roleSessionName`. */
export function memberPath(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

type Parsed = string | number | boolean | Date | Uint8Array | Parsed[] | { [k: string]: Parsed };

// How a value is echoed in a clause. Lists and structures have no AWS-recorded rendering for
// Query services; this readable form is ours.
function render(value: Parsed): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
  return String(value);
}

class Reader {
  readonly clauses: string[] = [];
  private names: string[] | undefined;
  constructor(private readonly params: ReadonlyMap<string, string>) {}

  private allNames(): string[] {
    return (this.names ??= [...this.params.keys()]);
  }

  members(members: Members, wirePrefix: string, pathPrefix: string): Record<string, Parsed> {
    const out: Record<string, Parsed> = {};
    for (const name of Object.keys(members)) {
      const shape = members[name]!;
      const path = pathPrefix + memberPath(name);
      const value = this.value(shape, wirePrefix + name, path);
      if (value === undefined) {
        if (shape.required) this.clauses.push(violationClause(path, null, 'Member must not be null'));
      } else out[name] = value;
    }
    return out;
  }

  // Element indices of every list and map in the request, keyed by `Name.member.` / `Name.entry.`
  // prefixes (nested ones included), built in one pass so each list lookup is O(1).
  private elementIndex: Map<string, Set<number>> | undefined;

  private buildElementIndex(): Map<string, Set<number>> {
    const index = new Map<string, Set<number>>();
    for (const key of this.allNames()) {
      for (const marker of ['.member.', '.entry.']) {
        for (let at = key.indexOf(marker); at >= 0; at = key.indexOf(marker, at + 1)) {
          const prefix = key.slice(0, at + marker.length);
          const dot = key.indexOf('.', prefix.length);
          const n = dot < 0 ? key.slice(prefix.length) : key.slice(prefix.length, dot);
          if (!INDEX.test(n)) continue;
          let set = index.get(prefix);
          if (!set) index.set(prefix, (set = new Set()));
          set.add(Number(n));
        }
      }
    }
    return index;
  }

  private indices(prefix: string): number[] {
    const found = (this.elementIndex ??= this.buildElementIndex()).get(prefix);
    return found ? [...found].sort((a, b) => a - b) : [];
  }

  private hasPrefix(prefix: string): boolean {
    for (const key of this.allNames()) if (key.startsWith(prefix)) return true;
    return false;
  }

  value(shape: Shape, wire: string, path: string): Parsed | undefined {
    switch (shape.kind) {
      case 'string': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        if (shape.constraint) {
          const sensitive = shape.constraint.sensitive === true;
          for (const c of checkString(raw, shape.constraint)) this.clauses.push(violationClause(path, sensitive ? undefined : raw, c));
        }
        return raw;
      }
      case 'enum': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        for (const c of checkEnum(raw, { type: 'enum', values: shape.values })) this.clauses.push(violationClause(path, raw, c));
        return raw;
      }
      case 'integer': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        const n = parseDecimal(raw, shape.long ? INT64 : INT32);
        for (const c of checkInteger(n, { type: 'integer', ...(shape.min === undefined ? {} : { min: shape.min }), ...(shape.max === undefined ? {} : { max: shape.max }) })) {
          this.clauses.push(violationClause(path, String(n), c));
        }
        return n;
      }
      case 'boolean': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        const folded = raw.toLowerCase();
        if (folded === 'true') return true;
        if (folded === 'false') return false;
        throw new MalformedInput('Invalid value for boolean type');
      }
      case 'timestamp': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        const t = ISO_TIMESTAMP.test(raw) ? Date.parse(raw) : Number.NaN;
        if (Number.isNaN(t)) throw new MalformedInput('Invalid value for timestamp type');
        return new Date(t);
      }
      case 'blob': {
        const raw = this.params.get(wire);
        if (raw === undefined) return undefined;
        const bytes = base64ToBytes(raw);
        if (!bytes) throw new MalformedInput('Invalid value for blob type');
        return bytes;
      }
      case 'list':
        return this.list(shape, wire, path);
      case 'map':
        return this.map(shape, wire, path);
      case 'structure':
        if (!this.hasPrefix(`${wire}.`)) return undefined;
        return this.members((shape as StructureShape).members, `${wire}.`, `${path}.`);
    }
  }

  private list(shape: ListShape, wire: string, path: string): Parsed[] | undefined {
    const indices = this.indices(`${wire}.member.`);
    // `Tags=` (no members) is how every SDK sends an empty list.
    if (indices.length === 0 && !this.params.has(wire)) return undefined;
    const before = this.clauses.length;
    const items: Parsed[] = [];
    indices.forEach((index, i) => {
      const elementWire = `${wire}.member.${index}`;
      const elementPath = `${path}.${i + 1}.member`;
      const item = shape.member.kind === 'structure' ? this.members(shape.member.members, `${elementWire}.`, `${elementPath}.`) : this.value(shape.member, elementWire, elementPath);
      if (item !== undefined) items.push(item);
    });
    const lengthClauses = checkListLength(items.length, { type: 'list', ...(shape.min === undefined ? {} : { min: shape.min }), ...(shape.max === undefined ? {} : { max: shape.max }) });
    // The list's own clause comes before its members' (a whole-member constraint is checked first).
    this.clauses.splice(before, 0, ...lengthClauses.map((c) => violationClause(path, render(items), c)));
    return items;
  }

  private map(shape: MapShape, wire: string, path: string): Record<string, Parsed> | undefined {
    const indices = this.indices(`${wire}.entry.`);
    if (indices.length === 0 && !this.params.has(wire)) return undefined;
    const before = this.clauses.length;
    const out: Record<string, Parsed> = Object.create(null) as Record<string, Parsed>;
    let count = 0;
    indices.forEach((index, i) => {
      const entryWire = `${wire}.entry.${index}`;
      const entryPath = `${path}.${i + 1}.entry`;
      const key = this.value(shape.key, `${entryWire}.key`, `${entryPath}.key`) as string | undefined;
      const value = shape.value.kind === 'structure' ? this.members(shape.value.members, `${entryWire}.value.`, `${entryPath}.value.`) : this.value(shape.value, `${entryWire}.value`, `${entryPath}.value`);
      if (key === undefined) this.clauses.push(violationClause(`${entryPath}.key`, null, 'Member must not be null'));
      else if (value !== undefined) {
        if (!Object.hasOwn(out, key)) count++;
        out[key] = value;
      }
    });
    const lengthClauses = checkListLength(count, { type: 'list', ...(shape.min === undefined ? {} : { min: shape.min }), ...(shape.max === undefined ? {} : { max: shape.max }) });
    this.clauses.splice(before, 0, ...lengthClauses.map((c) => violationClause(path, render(out), c)));
    return out;
  }
}

function parseDecimal(raw: string, range: { min: bigint; max: bigint }): number {
  if (raw.length === 0) throw new MalformedInput('missing value for decimal type');
  if (!DECIMAL.test(raw) || raw.length > 40) throw new MalformedInput('Invalid value for decimal type');
  const n = BigInt(raw.startsWith('+') ? raw.slice(1) : raw);
  if (n < range.min || n > range.max) throw new MalformedInput('Invalid value for decimal type');
  return Number(n);
}

function isQueryParams(source: QueryParams | ReadonlyMap<string, string>): source is QueryParams {
  return 'params' in source && 'action' in source;
}

/**
 * Reads a structure's members from Query parameters. Deserialisation problems (`DurationSeconds=abc`)
 * throw `MalformedInput` at once, as AWS does; constraint violations are all collected and thrown as one
 * `ValidationError` in AWS's format. Parameters the shape does not name are ignored (AWS ignores them too).
 */
export function readInput<M extends Members>(shape: StructureShape<M>, source: QueryParams | ReadonlyMap<string, string>): InputOf<M> {
  const params = isQueryParams(source) ? source.params : source;
  const reader = new Reader(params);
  const out = reader.members(shape.members, '', '');
  if (reader.clauses.length > 0) throw new ValidationError(validationMessage(reader.clauses));
  return out as InputOf<M>;
}
