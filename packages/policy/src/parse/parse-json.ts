import { childPointer } from './json-pointer.js';

/** A JSON value as produced by `parseJson`. Objects have a null prototype, so a member named
 * `__proto__` or `constructor` is an ordinary member and never reaches `Object.prototype`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** 1-based line and column (columns count UTF-16 code units, as editors do for BMP text). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface JsonSyntaxError {
  readonly message: string;
  readonly position: SourcePosition;
}

export interface DuplicateKey {
  readonly key: string;
  /** Pointer of the member that appears more than once. */
  readonly pointer: string;
  /** Where the repeated occurrence starts. */
  readonly position: SourcePosition;
}

export interface ParsedJson {
  /** Present iff there is no `error`. When a key is duplicated the last occurrence wins
   * (what `JSON.parse` does), and the duplicate is reported in `duplicates`. */
  readonly value?: JsonValue;
  readonly error?: JsonSyntaxError;
  readonly duplicates: readonly DuplicateKey[];
  /** Position of the element a JSON pointer names: of the member name for object members,
   * of the value for array elements and the root (`''`). Undefined when the pointer names
   * nothing in the document. Positions are resolved on demand, so parsing stays cheap. */
  positionOf(pointer: string): SourcePosition | undefined;
}

export interface ParseJsonOptions {
  /** Maximum nesting of arrays and objects. Policies nest about 6 deep; the limit keeps
   * hostile input from costing memory for no purpose. Default 64. */
  readonly maxDepth?: number;
}

interface Frame {
  readonly kind: 'object' | 'array';
  readonly container: JsonValue[] | { [key: string]: JsonValue };
  readonly pointer: string;
  /** Offsets of member names (objects) or of elements (arrays). */
  readonly offsets: Map<string, number> | number[];
  /** Object: the member name being parsed; array: next index. */
  key: string;
  index: number;
  keys?: Set<string>;
}

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

// A backslash or a control character: the string needs the slow, checking path.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_DECODING = /[\\\u0000-\u001f]/;

/**
 * A strict JSON (RFC 8259) parser that never throws, reports the first syntax error with its
 * line and column, reports duplicate member names, and records the position of every value.
 * It is iterative (an explicit stack), so input nesting cannot overflow the call stack.
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): ParsedJson {
  const maxDepth = options.maxDepth ?? 64;
  // Offsets by container, so that a pointer can be resolved to a position when asked.
  const offsetsOf = new WeakMap<object, Map<string, number> | number[]>();
  let rootOffset = 0;
  const duplicates: DuplicateKey[] = [];
  // Line starts, computed lazily from offsets: cheaper than tracking lines while scanning.
  let lineStarts: number[] | undefined;
  const positionAt = (offset: number): SourcePosition => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) lineStarts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          lineStarts.push(i + 1);
        }
      }
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1, offset };
  };

  let i = 0;
  const n = text.length;
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };

  const readString = (): string => {
    // i is at the opening quote
    const start = i;
    const close = text.indexOf('"', i + 1);
    if (close > 0) {
      const body = text.slice(i + 1, close);
      if (!NEEDS_DECODING.test(body)) {
        i = close + 1;
        return body;
      }
    }
    i++;
    let out = '';
    let chunkStart = i;
    while (true) {
      if (i >= n) throw new SyntaxFailure('Unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunkStart, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(chunkStart, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxFailure('Invalid \\u escape in string', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            throw new SyntaxFailure('Invalid escape in string', i);
        }
        i += 2;
        chunkStart = i;
        continue;
      }
      if (c < 0x20) throw new SyntaxFailure('Control character in string', i);
      i++;
    }
  };

  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const readScalar = (): JsonValue => {
    const c = text[i];
    if (c === '"') return readString();
    if (c === 't' && text.startsWith('true', i)) { i += 4; return true; }
    if (c === 'f' && text.startsWith('false', i)) { i += 5; return false; }
    if (c === 'n' && text.startsWith('null', i)) { i += 4; return null; }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) throw new SyntaxFailure('Invalid number', i);
      i += m[0].length;
      return Number(m[0]);
    }
    if (c === undefined) throw new SyntaxFailure('Unexpected end of input', i);
    throw new SyntaxFailure(`Unexpected character ${JSON.stringify(c)}`, i);
  };

  try {
    const stack: Frame[] = [];
    let root: JsonValue | undefined;
    let rootSet = false;

    // Place a finished value into its parent (or make it the root).
    const place = (value: JsonValue): void => {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        root = value;
        rootSet = true;
      } else if (top.kind === 'array') {
        (top.container as JsonValue[]).push(value);
      } else {
        (top.container as { [key: string]: JsonValue })[top.key] = value;
      }
    };

    // Parse one value starting at i; containers push a frame instead of recursing.
    const beginValue = (pointer: string): void => {
      skipWs();
      const c = text[i];
      if (c === '{' || c === '[') {
        if (stack.length >= maxDepth) throw new SyntaxFailure(`Nesting deeper than ${maxDepth} levels`, i);
        i++;
        if (c === '{') {
          const obj = Object.create(null) as { [key: string]: JsonValue };
          place(obj);
          const offsets = new Map<string, number>();
          offsetsOf.set(obj, offsets);
          stack.push({ kind: 'object', container: obj, pointer, offsets, key: '', index: 0, keys: new Set() });
        } else {
          const arr: JsonValue[] = [];
          place(arr);
          const offsets: number[] = [];
          offsetsOf.set(arr, offsets);
          stack.push({ kind: 'array', container: arr, pointer, offsets, key: '', index: 0 });
        }
        return;
      }
      place(readScalar());
    };

    skipWs();
    rootOffset = i;
    beginValue('');
    // `afterValue` is true when the top frame has just received a value (or was just opened).
    let justOpened = stack.length > 0;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      skipWs();
      const c = text[i];
      if (top.kind === 'object') {
        if (justOpened && c === '}') {
          i++;
          stack.pop();
          justOpened = false;
          continue;
        }
        if (!justOpened) {
          if (c === '}') {
            i++;
            stack.pop();
            continue;
          }
          if (c !== ',') throw new SyntaxFailure(c === undefined ? 'Unexpected end of input' : "Expected ',' or '}' after object member", i);
          i++;
          skipWs();
        }
        justOpened = false;
        if (text[i] !== '"') throw new SyntaxFailure(text[i] === undefined ? 'Unexpected end of input' : 'Expected a member name in double quotes', i);
        const keyOffset = i;
        const key = readString();
        const memberOffsets = top.offsets as Map<string, number>;
        if (memberOffsets.has(key)) duplicates.push({ key, pointer: childPointer(top.pointer, key), position: positionAt(keyOffset) });
        else memberOffsets.set(key, keyOffset);
        skipWs();
        if (text[i] !== ':') throw new SyntaxFailure("Expected ':' after member name", i);
        i++;
        top.key = key;
        const depthBefore = stack.length;
        skipWs();
        beginValue(text[i] === '{' || text[i] === '[' ? childPointer(top.pointer, key) : '');
        justOpened = stack.length > depthBefore;
      } else {
        if (justOpened && c === ']') {
          i++;
          stack.pop();
          justOpened = false;
          continue;
        }
        if (!justOpened) {
          if (c === ']') {
            i++;
            stack.pop();
            continue;
          }
          if (c !== ',') throw new SyntaxFailure(c === undefined ? 'Unexpected end of input' : "Expected ',' or ']' after array element", i);
          i++;
          skipWs();
        }
        justOpened = false;
        (top.offsets as number[]).push(i);
        const index = top.index++;
        const depthBefore = stack.length;
        beginValue(text[i] === '{' || text[i] === '[' ? childPointer(top.pointer, index) : '');
        justOpened = stack.length > depthBefore;
      }
    }
    skipWs();
    if (i < n) throw new SyntaxFailure('Unexpected text after the JSON value', i);
    if (!rootSet) throw new SyntaxFailure('Unexpected end of input', i);
    const value = root as JsonValue;
    const positionOf = (pointer: string): SourcePosition | undefined => {
      if (pointer === '') return positionAt(rootOffset);
      if (!pointer.startsWith('/')) return undefined;
      let node: JsonValue | undefined = value;
      let offset = rootOffset;
      for (const raw of pointer.slice(1).split('/')) {
        const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (node === null || typeof node !== 'object') return undefined;
        const offsets = offsetsOf.get(node);
        if (Array.isArray(node)) {
          const index = /^(?:0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
          const at = (offsets as number[] | undefined)?.[index];
          if (at === undefined) return undefined;
          offset = at;
          node = node[index];
        } else {
          const at = (offsets as Map<string, number> | undefined)?.get(token);
          if (at === undefined) return undefined;
          offset = at;
          node = node[token];
        }
      }
      return positionAt(offset);
    };
    return { value, duplicates, positionOf };
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      return { error: { message: e.message, position: positionAt(Math.min(e.offset, n)) }, duplicates, positionOf: () => undefined };
    }
    // Only a RangeError from an enormous string could land here; report it as a syntax problem
    // rather than throwing (the parser's contract).
    return { error: { message: 'Input could not be parsed', position: positionAt(Math.min(i, n)) }, duplicates, positionOf: () => undefined };
  }
}
