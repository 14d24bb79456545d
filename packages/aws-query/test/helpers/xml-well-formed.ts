// A strict, small XML 1.0 well-formedness checker for our own output (elements, attributes,
// character data, the five predefined entities and character references; no DTD, PI or CDATA,
// which we never emit). Returns a description of the first problem, or undefined.
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Anything outside XML 1.0's Char production.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const NOT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/y;

function legalCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function checkText(text: string, where: string): string | undefined {
  if (NOT_CHAR.test(text)) return `illegal character in ${where}`;
  if (text.includes('<')) return `'<' in ${where}`;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    REFERENCE.lastIndex = i;
    const m = REFERENCE.exec(text);
    if (!m) return `bad reference in ${where}`;
    const num = /^&#(x?)([0-9A-Fa-f]+);$/.exec(m[0]);
    if (num && !legalCodePoint(parseInt(num[2]!, num[1] ? 16 : 10))) return `reference to an illegal character in ${where}`;
  }
  return undefined;
}

export function wellFormedProblem(xml: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  let rootClosed = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (text.length > 0) {
      if (stack.length === 0) return 'text outside the root element';
      const p = checkText(text, 'text');
      if (p) return p;
    }
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) return 'unterminated tag';
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      if (stack.pop() !== tag.slice(1)) return `mismatched end tag ${tag}`;
      if (stack.length === 0) rootClosed = true;
    } else {
      if (rootClosed) return 'second root element';
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([^\s]+)((?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*="[^"]*")*)\s*$/.exec(body);
      if (!m || !NAME.test(m[1]!)) return `bad start tag <${tag}>`;
      for (const a of m[2]!.matchAll(/="([^"]*)"/g)) {
        const p = checkText(a[1]!, 'attribute');
        if (p) return p;
      }
      if (selfClosing) {
        if (stack.length === 0) rootClosed = true;
      } else stack.push(m[1]!);
    }
    i = gt + 1;
  }
  if (stack.length > 0 || !rootClosed) return 'unclosed element';
  return undefined;
}
