/**
 * Who the visitor is, and which host it addressed, when the handler sits behind proxies. The forwarding headers
 * (`Forwarded`, `X-Forwarded-For`, `X-Forwarded-Host`) are read only when the peer that sent the request is a
 * configured trusted proxy; from anyone else they are a visitor's own words and ignored, so a spoofed header
 * cannot dodge the per-visitor caps or pose as another site.
 */

/** IP addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`), `loopback` or `private`. */
export type TrustedProxyList = readonly string[];

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '127.0.0.0/8', '::1/128'],
};

interface Range {
  v6: boolean;
  base: bigint;
  bits: number;
}

export class ProxyTrust {
  readonly #ranges: Range[] = [];

  /** Entries that are not an address, a range or a known name are reported to `invalid` and trust nothing. */
  constructor(list: TrustedProxyList, invalid: (entry: string) => void = () => undefined) {
    for (const entry of list.flatMap((item) => NAMED_RANGES[item.trim().toLowerCase()] ?? [item.trim()])) {
      const range = parseRange(entry);
      if (range) this.#ranges.push(range);
      else invalid(entry);
    }
  }

  get empty(): boolean {
    return this.#ranges.length === 0;
  }

  trusts(address: string | undefined): boolean {
    const ip = address === undefined ? undefined : parseIp(address);
    if (!ip) return false;
    return this.#ranges.some((range) => range.v6 === ip.v6 && ip.value >> BigInt((ip.v6 ? 128 : 32) - range.bits) === range.base);
  }

  /**
   * The visitor's address: the peer's, unless the peer is trusted; then the nearest hop of the forwarding
   * header that is not itself a trusted proxy (read from the right, where trusted proxies appended).
   */
  clientAddress(request: Request, peer: string | undefined): string | undefined {
    if (!this.trusts(peer)) return peer;
    const hops = forwardedFor(request.headers);
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!this.trusts(hops[i])) return hops[i];
    }
    return hops[0] ?? peer;
  }

  /** The host the browser addressed as a trusted proxy reports it (`Forwarded: host=`, `X-Forwarded-Host`), or undefined. */
  forwardedHost(request: Request, peer: string | undefined): string | undefined {
    if (!this.trusts(peer)) return undefined;
    const forwarded = request.headers.get('forwarded');
    const fromForwarded = forwarded ? forwardedElements(forwarded)[0]?.get('host') : undefined;
    const host = fromForwarded ?? request.headers.get('x-forwarded-host')?.split(',')[0];
    return host?.trim().toLowerCase() || undefined;
  }
}

/** `for=` of each `Forwarded` element, else the `X-Forwarded-For` list; ports and brackets removed. */
function forwardedFor(headers: Headers): string[] {
  const forwarded = headers.get('forwarded');
  const raw = forwarded
    ? forwardedElements(forwarded).map((element) => element.get('for') ?? 'unknown')
    : (headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
  return raw.filter(Boolean).map(withoutPort);
}

/** RFC 7239 elements (comma-separated) of `name=value` pairs (semicolon-separated, values maybe quoted). */
function forwardedElements(header: string): Map<string, string>[] {
  return header.split(',').map((element) => {
    const pairs = new Map<string, string>();
    for (const pair of element.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0)
        pairs.set(
          pair.slice(0, at).trim().toLowerCase(),
          pair
            .slice(at + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1'),
        );
    }
    return pairs;
  });
}

/** `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.4:80` → `192.0.2.4`; a bare IPv6 address is kept whole. */
function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(hop) ? hop.slice(0, hop.indexOf(':')) : hop;
}

function parseRange(entry: string): Range | undefined {
  const [address, bitsText, extra] = entry.split('/');
  if (extra !== undefined || !address) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= width)) return undefined;
  return { v6: ip.v6, base: ip.value >> BigInt(width - bits), bits };
}

/** An IPv4 or IPv6 address as a number; IPv4-mapped IPv6 (`::ffff:127.0.0.1`, as Node reports peers) counts as IPv4. */
export function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  const address = text.trim().replace(/%.*$/, '');
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  return v6 >> 32n === 0xffffn ? { v6: false, value: v6 & 0xffffffffn } : { v6: true, value: v6 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!parts) return undefined;
  const octets = parts.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  let tail: bigint[] = [];
  let body = text;
  const embedded = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (embedded) {
    const v4 = parseIpv4(embedded[1]!);
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const prefix = text.slice(0, embedded.index + 1);
    body = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const [head, rest] = body.includes('::') ? body.split('::') : [body, undefined];
  const left = groups(head!);
  const right = rest === undefined ? [] : groups(rest);
  if ([...left, ...right].some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const known = left.length + right.length + tail.length;
  if (rest === undefined ? known !== 8 : known > 7) return undefined;
  const all = [...left.map((g) => BigInt(`0x${g}`)), ...Array<bigint>(8 - known).fill(0n), ...right.map((g) => BigInt(`0x${g}`)), ...tail];
  return all.reduce((value, group) => (value << 16n) | group, 0n);
}
