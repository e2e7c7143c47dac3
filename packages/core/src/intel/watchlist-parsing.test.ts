/**
 * Watchlist inputs: STIX patterns inside and outside the matched subset, IOC lists with
 * defanged and malformed lines, bundles with revoked and expiring indicators, and the bounds.
 */
import { describe, expect, it } from 'vitest';
import type { CordonError } from '../errors/cordon-error.ts';
import { inferIndicator } from './indicator.ts';
import { MAX_IOC_LINE_LENGTH, parseIocList } from './ioc-list.ts';
import { parseStixBundle } from './stix-bundle-import.ts';
import { readStixPattern } from './stix-pattern.ts';

const supported = (pattern: string) => {
  const reading = readStixPattern(pattern);
  if (reading.kind !== 'supported') throw new Error(`${pattern}: ${reading.reason}`);
  return reading.indicators;
};
const reason = (pattern: string) => {
  const reading = readStixPattern(pattern);
  return reading.kind === 'unsupported' ? reading.reason : 'supported';
};

describe('readStixPattern', () => {
  it('reads equality comparisons on the matched object paths, canonical', () => {
    expect(supported("[ipv4-addr:value = '198.51.100.7']")).toEqual([
      { kind: 'ip', value: '198.51.100.7' },
    ]);
    expect(supported("[ipv6-addr:value = '2001:DB8:0:0::1']")).toEqual([
      { kind: 'ip', value: '2001:db8::1' },
    ]);
    expect(supported("[ipv4-addr:value ISSUBSET '203.0.113.77/24']")).toEqual([
      { kind: 'ip', value: '203.0.113.0/24' },
    ]);
    expect(supported("[domain-name:value = 'Evil.Example.']")).toEqual([
      { kind: 'domain', value: 'evil.example' },
    ]);
    expect(supported("[url:value = 'HTTP://Evil.Example/a?b=1#frag']")).toEqual([
      { kind: 'url', value: 'http://evil.example/a?b=1' },
    ]);
    expect(
      supported(
        "[file:hashes.'SHA-256' = 'AEEBAD4A796FCC2E15DC4C6061B45ED9B373F26ADFC798CA7D2D8CC58182718E'] OR [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      ),
    ).toEqual([
      { kind: 'sha256', value: 'aeebad4a796fcc2e15dc4c6061b45ed9b373f26adfc798ca7d2d8cc58182718e' },
      { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
    ]);
    expect(
      supported("[domain-name:value = 'a.example' OR domain-name:value = 'b.example']"),
    ).toEqual([
      { kind: 'domain', value: 'a.example' },
      { kind: 'domain', value: 'b.example' },
    ]);
    expect(reason("[domain-name:value = 'it\\'s.example']")).toMatch(/not a valid/);
  });

  it('refuses what cannot be matched value by value, saying why', () => {
    expect(reason("[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x.example']")).toMatch(
      /only OR/,
    );
    expect(
      reason("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.5']"),
    ).toMatch(/only OR/);
    expect(reason("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS")).toMatch(/only OR/);
    expect(reason("[process:name = 'evil.exe']")).toMatch(/not matched by watchlists/);
    expect(reason("[domain-name:value MATCHES '^evil']")).toMatch(/operator MATCHES/);
    expect(reason("[ipv4-addr:value = '10.0.0.0/8']")).toMatch(/ISSUBSET/);
    expect(reason("[ipv4-addr:value = '999.1.1.1']")).toMatch(/not a valid/);
    expect(reason("[ipv4-addr:value = '1.2.3.4'")).toMatch(/ends where/);
    expect(reason("[url:value = 'http://x.example/]")).toMatch(/unterminated/);
    expect(reason('')).toMatch(/ends where/);
    expect(
      reason(`[${"domain-name:value='a.bc' OR ".repeat(257)}domain-name:value='b.bc']`),
    ).toMatch(/more than 256 comparisons|too many terms/);
    expect(reason('['.repeat(9000))).toMatch(/longer than/);
  });
});

describe('parseIocList', () => {
  it('reads each kind, re-arms defanged ones, and reports lines it cannot use', () => {
    const text = [
      '# feed of 2026-12-04',
      '198.51.100.7',
      '198.51.100.7 duplicate, noted',
      '203.0.113.0/24,scanner range',
      '2001:db8::/32',
      'hxxps://evil[.]example/path',
      'evil[.]example',
      'D41D8CD98F00B204E9800998ECF8427E',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'not an indicator!',
      '',
      '// trailing comment',
    ].join('\r\n');
    const parsed = parseIocList(text, 100);
    expect(parsed.indicators.map((i) => `${i.kind}:${i.value}`)).toEqual([
      'ip:198.51.100.7',
      'ip:203.0.113.0/24',
      'ip:2001:db8::/32',
      'url:https://evil.example/path',
      'domain:evil.example',
      'md5:d41d8cd98f00b204e9800998ecf8427e',
      'sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
    ]);
    expect(parsed.rejectedCount).toBe(1);
    expect(parsed.rejected[0]).toMatchObject({ where: 'line 10', value: 'not' });
  });

  it('refuses a line longer than any indicator, naming it and the bound', () => {
    const text = `198.51.100.7\n${'a'.repeat(10 * 1024 * 1024)}\n`;
    expect(() => parseIocList(text, 100)).toThrow(
      new RegExp(
        `line 2 is 10485760 characters long; an IOC line may have at most ${MAX_IOC_LINE_LENGTH}`,
      ),
    );
  });

  it('refuses more indicators than a watchlist holds', () => {
    const text = Array.from({ length: 11 }, (_, i) => `198.51.100.${i}`).join('\n');
    const error = (() => {
      try {
        parseIocList(text, 10);
      } catch (e) {
        return e as CordonError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('payload_too_large');
  });

  it('does not take TLD-only names, numbers or paths for domains', () => {
    expect(inferIndicator('com')).toBeUndefined();
    expect(inferIndicator('1.2.3')).toBeUndefined();
    expect(inferIndicator('C:\\evil.exe')).toBeUndefined();
    expect(inferIndicator('-bad.example')).toBeUndefined();
  });
});

describe('parseStixBundle', () => {
  const indicator = (id: number, pattern: string, extra: Record<string, unknown> = {}) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    created: '2026-12-01T00:00:00.000Z',
    modified: '2026-12-01T00:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-12-01T00:00:00.000Z',
    ...extra,
  });

  it('takes supported indicators with their expiry and reports the rest', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--00000000-0000-4000-8000-000000000001',
      objects: [
        { type: 'identity', id: 'identity--00000000-0000-4000-8000-000000000009', name: 'x' },
        indicator(1, "[ipv4-addr:value = '198.51.100.7']", { valid_until: '2027-01-01T00:00:00Z' }),
        indicator(2, "[domain-name:value = 'evil.example']"),
        indicator(3, "[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '1.2.3.5']"),
        indicator(4, "[ipv4-addr:value = '1.2.3.6']", { revoked: true }),
        indicator(5, 'alert tcp any any -> any any', { pattern_type: 'snort' }),
        indicator(6, "[ipv4-addr:value = '1.2.3.7']", { valid_until: 'soon' }),
      ],
    };
    const parsed = parseStixBundle(JSON.stringify(bundle), 100);
    expect(parsed.indicators).toEqual([
      {
        kind: 'ip',
        value: '198.51.100.7',
        validUntil: Date.parse('2027-01-01T00:00:00Z'),
        reference: 'indicator--00000000-0000-4000-8000-000000000001',
      },
      {
        kind: 'domain',
        value: 'evil.example',
        validUntil: null,
        reference: 'indicator--00000000-0000-4000-8000-000000000002',
      },
    ]);
    expect(parsed.rejectedCount).toBe(4);
    expect(parsed.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/only OR/),
      'the indicator is revoked',
      'pattern_type snort is not matched (only stix)',
      'valid_until is not a timestamp',
    ]);
  });

  it('refuses what is not a bundle, and bundles over the bound', () => {
    expect(() => parseStixBundle('{"type":"bundle"', 10)).toThrow(/not valid JSON/);
    expect(() => parseStixBundle('{"type":"indicator"}', 10)).toThrow(/expected a STIX 2.1 bundle/);
    const huge = `{"type":"bundle","objects":[${'{},'.repeat(250_000)}{}]}`;
    expect(() => parseStixBundle(huge, 10)).toThrow(/250001 objects; at most 250000/);
  });
});
