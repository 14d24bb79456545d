/** One problem found in a policy document. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /**
   * A stable code from a closed set (see `DiagnosticCode`); tests assert on it, never on the
   * message text.
   */
  readonly code: string;
  /** AWS's `MalformedPolicyDocument` message where AWS has one, else a clear sentence. */
  readonly message: string;
  /** JSON pointer (RFC 6901) to the offending place, e.g. `/Statement/2/Condition/StringLike`. */
  readonly pointer: string;
  /** 1-based position in the source text, when the document was given as text. */
  readonly line?: number;
  readonly column?: number;
}
