/** Who is at fault, as AWS's Query protocol writes it in `<Error><Type>`. */
export type Fault = 'Sender' | 'Receiver';

export interface AwsErrorOptions {
  /**
   * Operator-facing detail (for logs and debugging). Never serialised into a response:
   * `toJSON` and the protocol renderers only read `code`, `message`, `fault` and `status`.
   */
  detail?: string;
  cause?: unknown;
}

/**
 * Base of every AWS-coded error. `message` is client-safe by construction: callers must never
 * put a secret, signature, token or MFA code in it; anything sensitive goes nowhere at all.
 */
export abstract class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly detail: string | undefined;

  protected constructor(code: string, status: number, fault: Fault, message: string, options: AwsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.fault = fault;
    this.detail = options.detail;
  }

  override get name(): string {
    return this.code;
  }

  toJSON(): { code: string; message: string; fault: Fault; status: number } {
    return { code: this.code, message: this.message, fault: this.fault, status: this.status };
  }
}

export interface AwsErrorClass<C extends string> {
  new (message: string, options?: AwsErrorOptions): AwsError & { readonly code: C };
  readonly code: C;
  readonly status: number;
  readonly fault: Fault;
}

/**
 * Makes the class for one AWS error code. Each exported class is declared as
 * `export class X extends defineAwsError('X', 404) {}` so that its name is the wire code.
 */
export function defineAwsError<C extends string>(code: C, status: number, fault: Fault = 'Sender'): AwsErrorClass<C> {
  class Coded extends AwsError {
    static readonly code = code;
    static readonly status = status;
    static readonly fault = fault;
    constructor(message: string, options: AwsErrorOptions = {}) {
      super(code, status, fault, message, options);
    }
  }
  return Coded as unknown as AwsErrorClass<C>;
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError;
}
