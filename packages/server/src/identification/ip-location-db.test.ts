import { describe, expect, it } from 'vitest';
import { IpLocationDb } from './ip-location-db.ts';

describe('the offline IP database', () => {
  it('is read ahead by warm, then answers country and AS of public addresses of both families', async () => {
    const errors: unknown[] = [];
    const db = new IpLocationDb({ onLoadError: (error) => errors.push(error) });
    await db.warm();
    expect(errors).toEqual([]);
    expect(await db.lookup('8.8.8.8')).toMatchObject({ asn: 15169 });
    expect((await db.lookup('2001:4860:4860::8888'))?.asn).toBe(15169);
    expect(await db.lookup('not an address')).toBeUndefined();
    expect(db.database).toMatch(/^@ip-location-db\/asn@\S+, @ip-location-db\/asn-country@\S+$/);
  });
});
