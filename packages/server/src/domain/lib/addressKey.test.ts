/** The address key of every per-address limit: IPv4 per address, IPv6 per network, the rest in one bucket. */
import { describe, expect, it } from 'vitest';
import { addressKey, UNKNOWN_ADDRESS } from './addressKey.js';

describe('addressKey', () => {
  it('keys an IPv4 address as itself, also when it comes IPv4-mapped in IPv6', () => {
    expect(addressKey('192.0.2.1', 64)).toBe('192.0.2.1');
    expect(addressKey('192.0.2.2', 64)).toBe('192.0.2.2');
    expect(addressKey('::ffff:192.0.2.1', 64)).toBe('192.0.2.1');
    expect(addressKey('::FFFF:c000:0201', 64)).toBe('192.0.2.1');
    expect(addressKey('0:0:0:0:0:ffff:192.0.2.1', 128)).toBe('192.0.2.1');
  });

  it('keys every IPv6 address of one /64 alike by default, and another /64 apart', () => {
    const key = addressKey('2001:db8:1:2::1', 64);
    expect(key).toBe('2001:db8:1:2::/64');
    for (const n of ['2001:db8:1:2::ffff', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:0DB8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::7%eth0']) {
      expect(addressKey(n, 64)).toBe(key);
    }
    expect(addressKey('2001:db8:1:3::1', 64)).toBe('2001:db8:1:3::/64');
  });

  // address, prefix, key: whole addresses, prefixes cutting a group or a zero run, a single bit,
  // the RFC 5952 forms (one zero group stays, a trailing ::, the unspecified and loopback
  // addresses), and an embedded IPv4 part that is not IPv4-mapped.
  const cases = `2001:db8:1:2::17 128 2001:db8:1:2::17/128 | 2001:db8:1:2::17 48 2001:db8:1::/48 | 2001:db8:1:ff02::17 56 2001:db8:1:ff00::/56
    | 2001:db8:1:2::17 56 2001:db8:1::/56 | 2001:db8:1:2::17 1 ::/1 | fe80::1 1 8000::/1 | ::1 128 ::1/128 | :: 64 ::/64
    | 1:0:0:2:0:0:0:3 128 1:0:0:2::3/128 | 1:0:2:0:3:0:4:5 128 1:0:2:0:3:0:4:5/128 | 1:2:3:4:5:6:7:: 128 1:2:3:4:5:6:7:0/128
    | 64:ff9b::192.0.2.33 128 64:ff9b::c000:221/128`
    .split('|')
    .map((c) => c.trim().split(/\s+/) as [string, string, string]);
  it.each(cases)('keys %s with prefix %s as %s', (address, prefix, key) => {
    expect(addressKey(address, Number(prefix))).toBe(key);
  });

  it('puts a missing or malformed address in the one shared unknown bucket', () => {
    for (const bad of [undefined, '', 'unknown', 'localhost', '256.1.1.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::1', ':1::2', '1::2:', '[::1]', '::1.2.3.256', '1:2:3:4:5:6:7:8::']) {
      expect(addressKey(bad, 64)).toBe(UNKNOWN_ADDRESS);
    }
  });
});
