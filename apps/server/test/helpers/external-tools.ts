import { execFileSync } from 'node:child_process';

/** True when `cmd args` runs and exits 0 (the tests that drive real AWS clients skip otherwise). */
function available(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** The aws CLI is installed on this machine. */
export const hasAwsCli = available('aws', ['--version']);
/** python3 with boto3 is installed on this machine. */
export const hasBoto3 = available('python3', ['-c', 'import boto3']);
