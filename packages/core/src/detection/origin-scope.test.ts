import { describe, expect, it } from 'vitest';
import { originScope } from './origin-scope.ts';

describe('originScope', () => {
  it('tells private, shared, link-local and unique-local addresses from the rest', () => {
    for (const internal of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.148',
      '100.64.0.1',
      '169.254.10.1',
      'fd00::1',
      'fe80::1',
    ]) {
      expect(originScope(internal), internal).toBe('internal');
    }
    for (const external of [
      '198.51.100.23',
      '172.32.0.1',
      '11.0.0.1',
      '100.128.0.1',
      '2001:db8::1',
      '8.8.8.8',
    ]) {
      expect(originScope(external), external).toBe('external');
    }
    for (const unknown of ['', 'bastion', '10.0.0.0/8', '300.1.1.1']) {
      expect(originScope(unknown), unknown).toBe('unknown');
    }
  });
});
