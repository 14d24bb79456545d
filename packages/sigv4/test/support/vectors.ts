import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `<repo>/../shared/conformance/sigv4`: the repo is /work/main here; CI keeps shared/ beside it. */
export const vectorsDir = fileURLToPath(new URL('../../../../../shared/conformance/sigv4/', import.meta.url));
export const vectorsPresent = existsSync(vectorsDir + 'index.json');

export interface V4Case {
  case: string;
  dir: string;
  pathMode: string;
  normalize: boolean;
  signBody: boolean;
  sessionToken: boolean;
  omitSessionToken: boolean;
}
export interface LegacyCase {
  case: string;
  dir: string;
  sreqSignatureConsistent: boolean;
}
export interface VectorIndex {
  v4: V4Case[];
  legacy: LegacyCase[];
}

export function loadIndex(): VectorIndex {
  return JSON.parse(readFileSync(vectorsDir + 'index.json', 'utf8')) as VectorIndex;
}

export function readVectorFile(path: string): Buffer {
  return readFileSync(vectorsDir + path);
}

export interface VectorContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  region: string;
  service: string;
  timestamp: string;
  expiration_in_seconds: number;
}

export function readContext(dir: string): VectorContext {
  return JSON.parse(readVectorFile(dir + '/context.json').toString('utf8')) as VectorContext;
}

/** The legacy suite's fixed inputs (its cases have no context.json). */
export const LEGACY_CONTEXT: VectorContext = {
  credentials: { access_key_id: 'AKIDEXAMPLE', secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  timestamp: '2015-08-30T12:36:00Z',
  expiration_in_seconds: 3600,
};
