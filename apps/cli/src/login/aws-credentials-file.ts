import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The three keys `latchkey login` owns in a profile; every other line of the file is kept. */
export interface ProfileCredentials {
  readonly aws_access_key_id: string;
  readonly aws_secret_access_key: string;
  readonly aws_session_token: string;
}

const OWNED = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);
const SECTION = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/;
const KEY = /^\s*([A-Za-z0-9_.-]+)\s*=/;

/**
 * `text` (an AWS shared credentials file) with `profile`'s credential keys replaced by
 * `credentials`: other profiles, comments and the profile's other keys (region, …) stay as
 * they were; a missing profile is appended.
 */
export function upsertProfile(text: string, profile: string, credentials: ProfileCredentials): string {
  const lines = text.length === 0 ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const entries = Object.entries(credentials).map(([k, v]) => `${k} = ${v}`);
  const out: string[] = [];
  let inTarget = false;
  let found = false;
  for (const line of lines) {
    const section = SECTION.exec(line);
    if (section !== null) {
      inTarget = section[1] === profile;
      out.push(line);
      if (inTarget && !found) {
        found = true;
        out.push(...entries);
      }
      continue;
    }
    const key = KEY.exec(line);
    if (inTarget && key !== null && OWNED.has(key[1]!.toLowerCase())) continue;
    out.push(line);
  }
  if (!found) {
    if (out.length > 0 && out[out.length - 1]!.trim() !== '') out.push('');
    out.push(`[${profile}]`, ...entries);
  }
  return `${out.join('\n')}\n`;
}

/** Where the AWS tools read credentials: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. */
export function credentialsFilePath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const given = env.AWS_SHARED_CREDENTIALS_FILE;
  return given !== undefined && given !== '' ? given : join(home, '.aws', 'credentials');
}

/** Updates the profile in the file atomically (temp file + rename), readable by the owner only. */
export async function writeProfile(path: string, profile: string, credentials: ProfileCredentials): Promise<void> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  }
  const temp = `${path}.latchkey-${process.pid}.tmp`;
  await writeFile(temp, upsertProfile(text, profile, credentials), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}
