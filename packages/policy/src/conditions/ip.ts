/**
 * IPv4 / IPv6 addresses and CIDR blocks for `IpAddress` / `NotIpAddress`. An address without a
 * prefix length is a single host (/32 for IPv4 as AWS documents; /128 for IPv6).
 */

export type IpAddress = { readonly v: 4; readonly n: number } | { readonly v: 6; readonly groups: readonly number[] };
export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

const V6_CHARS = /^[0-9a-fA-F:.]+$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^\d{1,3}$/;

function parseV4(text: string): number | undefined {
  // Hand-written: request addresses are parsed on the hot path.
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // no leading zeros
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return n * 256 + octet;
}

function parseV6(text: string): number[] | undefined {
  if (text.length === 0 || !V6_CHARS.test(text)) return undefined;
  const double = text.indexOf('::');
  if (double >= 0 && text.indexOf('::', double + 1) >= 0) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
        continue;
      }
      if (!V6_GROUP.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  if (double >= 0) {
    const head = parseGroups(text.slice(0, double));
    const tail = parseGroups(text.slice(double + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const groups = parseGroups(text);
  return groups && groups.length === 8 ? groups : undefined;
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { v: 6, groups: v6 };
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const max = address.v === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const net = cidr.address;
  if (net.v === 4) {
    if (ip.v !== 4) return false;
    if (cidr.prefix === 0) return true;
    const mask = (0xffffffff << (32 - cidr.prefix)) >>> 0;
    return ((net.n & mask) >>> 0) === ((ip.n & mask) >>> 0);
  }
  if (ip.v !== 6) return false;
  let bits = cidr.prefix;
  for (let g = 0; g < 8 && bits > 0; g++) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((net.groups[g]! & mask) !== (ip.groups[g]! & mask)) return false;
    bits -= take;
  }
  return true;
}
