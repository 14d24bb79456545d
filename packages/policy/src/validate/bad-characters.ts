import { childPointer } from '../parse/json-pointer.js';
import type { Json } from './json-value.js';

export const BAD_CHARACTER = /[^\t\n\r\x20-\xff]/u;

/** Every member name and string value holding a character IAM does not accept, with its
 * pointer. Iterative and bounded (depth 64, each object once), so any value is safe. */
export function stringsWithBadCharacters(root: Json): { pointer: string; char: string }[] {
  const out: { pointer: string; char: string }[] = [];
  const seen = new Set<object>();
  const stack: { value: Json; pointer: string; depth: number }[] = [{ value: root, pointer: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, pointer, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const m = BAD_CHARACTER.exec(value);
      if (m !== null) out.push({ pointer, char: m[0] });
      continue;
    }
    if (typeof value !== 'object' || value === null || depth >= 64 || seen.has(value)) continue;
    seen.add(value);
    const entries: [string, Json][] = Array.isArray(value) ? value.map((v: Json, i: number) => [String(i), v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!;
      const p = childPointer(pointer, key);
      if (!Array.isArray(value)) {
        const m = BAD_CHARACTER.exec(key);
        if (m !== null) out.push({ pointer: p, char: m[0] });
      }
      stack.push({ value: v, pointer: p, depth: depth + 1 });
    }
  }
  return out;
}
