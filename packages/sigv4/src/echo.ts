const ECHO_MAX = 128;

/** Request text quoted in an error message, cut short: a client cannot make the message huge. */
export function echo(value: string): string {
  return value.length > ECHO_MAX ? value.slice(0, ECHO_MAX) + '...' : value;
}
