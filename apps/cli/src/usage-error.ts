/** A mistake in how the command was invoked (unknown option, missing file, ...): exit status 2. */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}

/** Exit statuses shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
