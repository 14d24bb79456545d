import type { Diagnostic } from '@latchkey/policy';

/** `file:line:column` when the validator located the problem, else just the file. */
export function diagnosticLocation(file: string, diagnostic: Diagnostic): string {
  if (diagnostic.line === undefined) return file;
  return diagnostic.column === undefined ? `${file}:${diagnostic.line}` : `${file}:${diagnostic.line}:${diagnostic.column}`;
}

/**
 * One diagnostic per line in the compiler convention editors and CI annotators understand:
 * `policy.json:4:17: error invalid-action: <message> (at /Statement/0/Action)`.
 */
export function formatDiagnostic(file: string, diagnostic: Diagnostic): string {
  const pointer = diagnostic.pointer === '' ? '(document)' : diagnostic.pointer;
  return `${diagnosticLocation(file, diagnostic)}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message} (at ${pointer})`;
}

export interface FileReport {
  readonly file: string;
  readonly type: string;
  readonly valid: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export function summarizeFile(report: FileReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  // Invalid without errors: a security warning under --strict.
  const verdict = report.valid ? 'valid' : errors === 0 ? 'fails --strict:' : 'invalid';
  return `${report.file}: ${verdict} ${report.type} policy (${counts})`;
}

/** The `--json` shape: stable field names, every diagnostic field present (`null` when the
 * position is unknown) so that consumers need no optional handling. */
export function reportsToJson(reports: readonly FileReport[], valid: boolean): unknown {
  return {
    valid,
    files: reports.map((r) => ({
      file: r.file,
      type: r.type,
      valid: r.valid,
      diagnostics: r.diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        pointer: d.pointer,
        line: d.line ?? null,
        column: d.column ?? null,
      })),
    })),
  };
}
