/** A mistake in how the command was invoked (unknown option, missing file, ...): exit status 2. */
export class UsageError extends Error {
  /** The command path the mistake concerns (`policy validate`), filled in by the dispatcher. */
  command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }

  override get name(): string {
    return 'UsageError';
  }
}

/** Exit statuses shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
