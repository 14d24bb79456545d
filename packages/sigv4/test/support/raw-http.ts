// Test support: parse the raw HTTP text of the conformance vectors into a verify() request.

export interface RawRequest {
  method: string;
  /** request target as written: path (possibly unencoded) and query */
  target: string;
  /** rawHeaders-style pairs in file order; continuation lines joined with '\n' */
  rawHeaders: string[];
  body: Buffer;
}

export function parseRawHttp(bytes: Buffer): RawRequest {
  const text = bytes.toString('utf8');
  const blank = text.indexOf('\n\n');
  const head = blank === -1 ? text : text.slice(0, blank);
  const bodyStart = blank === -1 ? bytes.length : Buffer.byteLength(text.slice(0, blank + 2), 'utf8');
  const lines = head.split('\n');
  const requestLine = lines[0]!;
  const firstSpace = requestLine.indexOf(' ');
  const httpAt = requestLine.lastIndexOf(' HTTP/');
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, httpAt);
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      rawHeaders[rawHeaders.length - 1] += '\n' + line;
      continue;
    }
    const colon = line.indexOf(':');
    rawHeaders.push(line.slice(0, colon), line.slice(colon + 1));
  }
  return { method, target, rawHeaders, body: bytes.subarray(bodyStart) };
}

export function headerValue(raw: RawRequest, name: string): string | undefined {
  for (let i = 0; i < raw.rawHeaders.length; i += 2) {
    if (raw.rawHeaders[i]!.toLowerCase() === name) return raw.rawHeaders[i + 1];
  }
  return undefined;
}
