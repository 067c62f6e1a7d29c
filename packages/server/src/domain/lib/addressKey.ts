/**
 * The key every per-address limit counts under: one IPv4 address, or one IPv6 network (a /64
 * by default), because one customer of a provider gets a whole /64 and could otherwise spray
 * guesses from a new address each time. Parsed here by hand: the domain does not import node:net.
 */

/** The one bucket of every request whose address cannot be known (a reset socket, a malformed forwarded address). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The limit key of `address`: an IPv4 address as itself (also when written IPv4-mapped,
 * `::ffff:a.b.c.d`), an IPv6 address as its network of `v6Prefix` bits (`2001:db8:1:2::/64`),
 * and anything else, `undefined` included, as `UNKNOWN_ADDRESS` — counted, never let through.
 *
 * @example
 * ```ts
 * addressKey('2001:db8:1:2::17', 64); // '2001:db8:1:2::/64'
 * addressKey('::ffff:192.0.2.1', 64); // '192.0.2.1'
 * addressKey(undefined, 64); // 'unknown'
 * ```
 */
export function addressKey(address: string | undefined, v6Prefix: number): string {
  if (!address) return UNKNOWN_ADDRESS;
  const v4 = parseIPv4(address);
  if (v4) return v4.join('.');
  const groups = parseIPv6(address);
  if (!groups) return UNKNOWN_ADDRESS;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  const masked = groups.map((g, i) => {
    const keep = Math.min(16, Math.max(0, v6Prefix - 16 * i));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${formatIPv6(masked)}/${v6Prefix}`;
}

function parseIPv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null. Accepts `::` once, a trailing dotted IPv4 part and a zone (`%eth0`, ignored). */
function parseIPv6(text: string): number[] | null {
  let rest = text.split('%')[0]!;
  const tail: number[] = [];
  const dotted = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]!);
    if (!v4) return null;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    rest = rest.slice(0, rest.length - dotted[1]!.length);
    if (rest.endsWith(':') && !rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (parts.some((p) => p.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g)))) return null;
  const head = parts[0]!.map((g) => parseInt(g, 16));
  const after = (parts[1] ?? []).map((g) => parseInt(g, 16)).concat(tail);
  if (halves.length === 1) {
    const all = head.concat(tail);
    return all.length === 8 ? all : null;
  }
  // `::` stands for at least one zero group.
  const written = head.length + after.length;
  return written > 7 ? null : [...head, ...Array<number>(8 - written).fill(0), ...after];
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIPv6(groups: number[]): string {
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
