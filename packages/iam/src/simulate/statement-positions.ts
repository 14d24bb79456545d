/** AWS's `Position`: 1-based line and column. */
export interface Position {
  readonly Line: number;
  readonly Column: number;
}

export interface StatementSpan {
  readonly StartPosition: Position;
  readonly EndPosition: Position;
}

/**
 * Where each statement of a policy document sits in its text, in the convention AWS's simulator
 * reports: the position just after the statement's opening `{` and just after its closing `}`
 * (the location a streaming JSON parser is at once it has read that token). Checked against
 * AWS's documented example: `{"Version":"2012-10-17","Statement":{...}}` (167 characters on one
 * line) gives StartPosition {Line 1, Column 38} and EndPosition {Line 1, Column 167}.
 *
 * Returns one span per statement index (a single-object `Statement` is index 0), or undefined
 * when the text does not parse (the validator reports that; positions are then unknown).
 */
export function statementPositions(text: string): StatementSpan[] | undefined {
  const scanner = new Scanner(text);
  try {
    let spans: StatementSpan[] | undefined;
    scanner.skipWhitespace();
    scanner.object((key, start) => {
      if (key !== 'Statement') return scanner.value();
      // Later duplicates win, as with JSON.parse (the validator rejects duplicates anyway).
      if (text[start] === '{') {
        const end = scanner.value();
        spans = [scanner.span(start, end - 1)];
        return end;
      }
      if (text[start] === '[') {
        const found: StatementSpan[] = [];
        const end = scanner.array((elementStart, elementEnd) => found.push(scanner.span(elementStart, elementEnd - 1)));
        spans = found;
        return end;
      }
      spans = [];
      return scanner.value();
    });
    scanner.skipWhitespace();
    return scanner.atEnd() ? (spans ?? []) : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

class Scanner {
  private pos = 0;
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  /** Parses any value at the cursor (after whitespace); returns the offset just past it. */
  value(): number {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(() => this.value());
    if (c === '[') return this.array(() => undefined);
    if (c === '"') {
      this.string();
      return this.pos;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (literal === null) throw new SyntaxError(`unexpected character at ${this.pos}`);
    this.pos += literal[0].length;
    return this.pos;
  }

  /** Object at the cursor; `member(key, valueStart)` must parse the member's value and return
   * the offset past it. Returns the offset past the closing brace. */
  object(member: (key: string, valueStart: number) => number): number {
    this.expect('{');
    this.skipWhitespace();
    if (this.text[this.pos] === '}') return ++this.pos;
    for (;;) {
      this.skipWhitespace();
      const key = this.string();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      this.pos = member(key, this.pos);
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return this.pos;
    }
  }

  array(element: (start: number, end: number) => void): number {
    this.expect('[');
    this.skipWhitespace();
    if (this.text[this.pos] === ']') return ++this.pos;
    for (;;) {
      this.skipWhitespace();
      const start = this.pos;
      const end = this.value();
      element(start, end);
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return this.pos;
    }
  }

  string(): string {
    this.expect('"');
    const start = this.pos;
    let escaped = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === '\\') {
        this.pos++;
        escaped = true;
      } else if (c === '"') {
        const raw = this.text.slice(start, this.pos - 1);
        return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      }
    }
    throw new SyntaxError('unterminated string');
  }

  span(openOffset: number, closeOffset: number): StatementSpan {
    return { StartPosition: this.after(openOffset), EndPosition: this.after(closeOffset) };
  }

  /** The position just after the character at `offset`. */
  private after(offset: number): Position {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { Line: lo + 1, Column: offset - starts[lo]! + 2 };
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new SyntaxError(`expected '${c}' at ${this.pos}`);
    this.pos++;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
