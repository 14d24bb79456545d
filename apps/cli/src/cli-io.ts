import type { Readable } from 'node:stream';

/**
 * Everything a command touches outside itself. Commands never reach for `process` directly, so
 * tests can run them in-process with captured output and the entry point stays the only place
 * that knows about the real process.
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: Readable;
  /** Resolves paths relative to the invoking shell's working directory. */
  readonly cwd: string;
}

export interface OutputStream {
  /** Returns false when the caller should wait for `drain` (see `writeAll`). */
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Writes with back-pressure so that a fast producer (the batch simulator) does not buffer
 * unbounded output when stdout is a slow pipe. */
export async function writeAll(stream: OutputStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) {
    await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}
