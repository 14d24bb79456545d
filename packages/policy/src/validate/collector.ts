import type { Diagnostic } from '../diagnostic.js';
import type { SourcePosition } from '../parse/parse-json.js';
import { isErrorCode, type DiagnosticCode } from './diagnostic-code.js';

/** Collects diagnostics, giving each the position of its pointer when the text is known, and
 * returns them sorted by position (document order when there is no text). */
export class Collector {
  readonly diagnostics: { d: Diagnostic; order: number; offset: number }[] = [];
  errorCount = 0;
  constructor(private readonly positionOf: ((pointer: string) => SourcePosition | undefined) | undefined) {}

  add(code: DiagnosticCode, message: string, pointer: string): void {
    const severity = isErrorCode(code) ? 'error' : 'warning';
    let pos: SourcePosition | undefined;
    if (this.positionOf !== undefined) {
      let p = pointer;
      while (true) {
        pos = this.positionOf(p);
        if (pos !== undefined || p === '') break;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    }
    const d: Diagnostic = pos !== undefined ? { severity, code, message, pointer, line: pos.line, column: pos.column } : { severity, code, message, pointer };
    if (severity === 'error') this.errorCount++;
    this.diagnostics.push({ d, order: this.diagnostics.length, offset: pos?.offset ?? -1 });
  }

  addAt(code: DiagnosticCode, message: string, pointer: string, pos: SourcePosition): void {
    const severity = isErrorCode(code) ? 'error' : 'warning';
    if (severity === 'error') this.errorCount++;
    this.diagnostics.push({ d: { severity, code, message, pointer, line: pos.line, column: pos.column }, order: this.diagnostics.length, offset: pos.offset });
  }

  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort((a, b) => a.offset - b.offset || a.order - b.order).map((x) => x.d);
  }
}
