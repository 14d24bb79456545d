/** Escapes one reference token of an RFC 6901 JSON pointer (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends a member name or array index to a JSON pointer. */
export function childPointer(parent: string, token: string | number): string {
  return `${parent}/${typeof token === 'number' ? String(token) : escapePointerToken(token)}`;
}
