// Characters that need work: markup, CR (kept as a reference so parsers do not normalise it to LF),
// and everything XML 1.0 cannot carry at all, even as a character reference: C0 controls other than
// TAB/LF/CR, U+FFFE/U+FFFF and unpaired surrogates. Paired surrogates are matched first and kept.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPECIAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex -- as above
const QUICK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** U+FFFD REPLACEMENT CHARACTER: what a character XML 1.0 cannot represent becomes. */
export const XML_REPLACEMENT = '\uFFFD';

/**
 * Escapes text for XML 1.0 element content or attribute values. Characters XML 1.0 cannot carry
 * (NUL and other C0 controls except TAB/LF/CR, U+FFFE, U+FFFF, lone surrogates) are replaced by U+FFFD,
 * so the document stays well-formed whatever a caller echoes.
 */
export function escapeXml(text: string): string {
  if (!QUICK.test(text)) return text;
  return text.replace(SPECIAL, (ch) => (ch.length === 2 ? ch : (ENTITIES[ch] ?? XML_REPLACEMENT)));
}
