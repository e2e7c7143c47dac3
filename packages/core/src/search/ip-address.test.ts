import { describe, expect, it } from 'vitest';
import { cidrToHexRange, hexToIp, ipToHex } from './ip-address.ts';

describe('IP addresses as hex', () => {
  it('normalises IPv4 (mapped IPv6 included) and IPv6 in every spelling', () => {
    expect(ipToHex('10.1.2.3')).toBe('40a010203');
    expect(ipToHex('::ffff:10.1.2.3')).toBe(ipToHex('10.1.2.3'));
    expect(ipToHex('2001:DB8::1')).toBe('620010db8000000000000000000000001');
    expect(ipToHex('2001:db8:0:0:0:0:0:1')).toBe(ipToHex('2001:db8::1'));
    expect(ipToHex('::')).toBe('6' + '0'.repeat(32));
    expect(ipToHex('fe80::1%eth0')).toBe('6fe800000000000000000000000000001');
  });

  it('refuses what is not an address', () => {
    for (const text of [
      '10.1.2',
      '10.1.2.256',
      '1.2.3.4.5',
      'web01',
      '2001:db8::1::2',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '',
    ])
      expect(ipToHex(text), text).toBeUndefined();
  });

  it('prints addresses back in their usual form', () => {
    expect(hexToIp(ipToHex('192.0.2.44')!)).toBe('192.0.2.44');
    expect(hexToIp(ipToHex('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(hexToIp(ipToHex('::1')!)).toBe('::1');
    expect(hexToIp(ipToHex('2001:db8:1:2:3:4:5:6')!)).toBe('2001:db8:1:2:3:4:5:6');
  });

  it('turns CIDR blocks into inclusive ranges', () => {
    expect(cidrToHexRange('10.0.0.0/8')).toEqual({ low: '40a000000', high: '40affffff' });
    expect(cidrToHexRange('::ffff:10.0.0.0/104')).toEqual({ low: '40a000000', high: '40affffff' });
    expect(cidrToHexRange('192.0.2.128/25')).toEqual({
      low: ipToHex('192.0.2.128'),
      high: ipToHex('192.0.2.255'),
    });
    expect(cidrToHexRange('2001:db8::/33')).toEqual({
      low: '620010db8000000000000000000000000',
      high: '620010db87fffffffffffffffffffffff',
    });
    expect(cidrToHexRange('0.0.0.0/0')).toEqual({
      low: ipToHex('0.0.0.0'),
      high: ipToHex('255.255.255.255'),
    });
    expect(cidrToHexRange('10.0.0.0/33')).toBeUndefined();
    expect(cidrToHexRange('::ffff:10.0.0.0/95')).toBeUndefined();
    expect(cidrToHexRange('2001:db8::/129')).toBeUndefined();
    expect(cidrToHexRange('10.0.0.0')).toBeUndefined();
    expect(cidrToHexRange('x/8')).toBeUndefined();
  });
});
