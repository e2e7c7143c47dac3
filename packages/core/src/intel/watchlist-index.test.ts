/** The matching index: exact values, networks by prefix, parent domains, and expiry. */
import { describe, expect, it } from 'vitest';
import type { WatchedIndicator } from './watchlist.ts';
import { WatchlistIndex } from './watchlist-index.ts';

const entry = (
  watchlistId: string,
  kind: WatchedIndicator['kind'],
  value: string,
  validUntil: number | null = null,
): WatchedIndicator => ({ watchlistId, kind, value, validUntil, reference: null });

describe('WatchlistIndex', () => {
  const index = WatchlistIndex.build([
    entry('w1', 'ip', '198.51.100.7'),
    entry('w2', 'ip', '198.51.100.7'),
    entry('w1', 'ip', '203.0.113.0/24', 5_000),
    entry('w1', 'ip', '10.0.0.0/8', 9_000),
    entry('w1', 'ip', '2001:db8:abcd::/48'),
    entry('w1', 'domain', 'evil.example'),
    entry('w1', 'url', 'http://evil.example/a'),
    entry('w1', 'sha256', 'ab'.repeat(32)),
  ]);

  it('counts distinct entries and the earliest expiry', () => {
    expect(index.size).toBe(7);
    expect(index.validUntil).toBe(5_000);
    expect(index.has('md5')).toBe(false);
    expect(index.has('sha256')).toBe(true);
  });

  it('matches an address exactly, naming every watchlist that holds it', () => {
    expect(index.matchIp('198.51.100.7')).toEqual({
      kind: 'ip',
      indicator: '198.51.100.7',
      watchlistIds: ['w1', 'w2'],
    });
    expect(index.matchIp('198.51.100.8')).toBeUndefined();
  });

  it('matches addresses inside networks, IPv4 and IPv6, and only inside', () => {
    expect(index.matchIp('203.0.113.250')?.indicator).toBe('203.0.113.0/24');
    expect(index.matchIp('10.200.3.4')?.indicator).toBe('10.0.0.0/8');
    expect(index.matchIp('203.0.114.1')).toBeUndefined();
    expect(index.matchIp('11.0.0.1')).toBeUndefined();
    expect(index.matchIp('2001:db8:abcd:12::1')?.watchlistIds).toEqual(['w1']);
    expect(index.matchIp('2001:db8:abce::1')).toBeUndefined();
    expect(index.matchIp('not-an-ip')).toBeUndefined();
  });

  it('matches a domain and its subdomains, not look-alikes', () => {
    expect(index.matchDomain('evil.example')?.indicator).toBe('evil.example');
    expect(index.matchDomain('a.b.evil.example')?.indicator).toBe('evil.example');
    expect(index.matchDomain('notevil.example')).toBeUndefined();
    expect(index.matchDomain('evil.example.org')).toBeUndefined();
  });

  it('matches URLs and hashes exactly', () => {
    expect(index.matchExact('url', 'http://evil.example/a')).toBeDefined();
    expect(index.matchExact('url', 'http://evil.example/b')).toBeUndefined();
    expect(index.matchExact('sha256', 'ab'.repeat(32))).toBeDefined();
    expect(index.matchExact('sha256', 'ac'.repeat(32))).toBeUndefined();
  });

  it('is empty when built from nothing', () => {
    const empty = WatchlistIndex.build([]);
    expect(empty.size).toBe(0);
    expect(empty.matchIp('198.51.100.7')).toBeUndefined();
    expect(empty.validUntil).toBeNull();
  });
});
