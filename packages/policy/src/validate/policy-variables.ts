/** One `${…}` occurrence in a policy string. */
export interface VariableUse {
  readonly text: string;
  /** The key (`aws:username`), or for `${*}` `${?}` `${$}` the special character. */
  readonly key: string;
  readonly hasDefault: boolean;
  /** Set when the text between `${` and `}` is not a valid variable (or `}` is missing). */
  readonly invalid?: string;
}

// `${key}` or `${key, 'default'}` (comma, one space, single-quoted default: P5).
const VARIABLE = /^([A-Za-z0-9_.:/-]+(?:\/[^,}]+)?)(, '([^']*)')?$/;

/** Finds the `${…}` uses in a string (policy-language.md P3, P5, P6). */
export function findVariables(value: string): VariableUse[] {
  const out: VariableUse[] = [];
  let from = 0;
  while (true) {
    const start = value.indexOf('${', from);
    if (start < 0) return out;
    const end = value.indexOf('}', start + 2);
    if (end < 0) {
      out.push({ text: value.slice(start), key: '', hasDefault: false, invalid: 'no closing "}"' });
      return out;
    }
    const inner = value.slice(start + 2, end);
    const text = value.slice(start, end + 1);
    if (inner === '*' || inner === '?' || inner === '$') {
      out.push({ text, key: inner, hasDefault: false });
    } else {
      const m = VARIABLE.exec(inner);
      if (m === null) out.push({ text, key: inner, hasDefault: false, invalid: 'not a condition key name' });
      else out.push({ text, key: m[1]!, hasDefault: m[2] !== undefined });
    }
    from = end + 1;
  }
}
