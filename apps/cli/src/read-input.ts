import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli-io.js';
import { UsageError } from './usage-error.js';

export async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return withoutByteOrderMark(Buffer.concat(chunks).toString('utf8'));
}

/** A UTF-8 byte order mark (which some Windows editors write) belongs to the file's encoding,
 * not to the document: AWS would never see it, so validation must not either. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads a file argument: `-` is standard input; a `file://` prefix (as the aws CLI's
 * `--cli-input-json file://request.json`) is accepted and relative to the working directory.
 * An unreadable file is a usage error.
 */
export async function readInput(spec: string, io: CliIo): Promise<string> {
  if (spec === '-') return readStream(io.stdin);
  let path: string;
  if (spec.startsWith('file:///')) path = fileURLToPath(spec);
  else if (spec.startsWith('file://')) path = resolve(io.cwd, spec.slice('file://'.length));
  else path = resolve(io.cwd, spec);
  try {
    return withoutByteOrderMark(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read '${spec}': ${reason}`);
  }
}
