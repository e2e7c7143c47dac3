/**
 * Found by reading (issue 13): passwords were hashed with scrypt at N=2^15. New hashes use
 * N=2^17; a hash stored with the old parameters still signs in, and that sign-in replaces it.
 */
import type { Principal } from '@cordon/core';
import { AccessService, LoginThrottle, systemClock, verifyPassword } from '@cordon/core';
import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const password = 'correct horse battery staple';

/** A hash as the previous version wrote it. */
function oldHash(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`password hashing on ${dialect}`, () => {
    let t: TestStore;
    let access: AccessService;
    beforeEach(async () => {
      t = await openTestStore(dialect);
      access = new AccessService(t.store, systemClock, new LoginThrottle());
    });
    afterEach(async () => t.dispose());

    const storedHash = async (email: string): Promise<string> =>
      (await t.store.transaction(async (uow) => uow.users.findByEmailWithSecret(email)))!
        .passwordHash;

    it('hashes new passwords at N=2^17 and upgrades an old hash at sign-in', async () => {
      const { user } = await access.createUser(system, {
        email: 'admin@example.com',
        password,
        role: 'platform_admin',
      });
      expect(await storedHash('admin@example.com')).toMatch(/^scrypt\$131072\$8\$1\$/);

      const old = oldHash(password);
      await t.store.transaction(async (uow) => uow.users.setPassword(user.id, old));
      // A wrong password changes nothing.
      await expect(
        access.login('admin@example.com', 'wrong password', '192.0.2.1'),
      ).rejects.toMatchObject({
        code: 'unauthenticated',
      });
      expect(await storedHash('admin@example.com')).toBe(old);

      await access.login('admin@example.com', password, '192.0.2.1');
      const upgraded = await storedHash('admin@example.com');
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(await verifyPassword(password, upgraded)).toBe(true);
      await access.login('admin@example.com', password, '192.0.2.1');
      expect(await storedHash('admin@example.com')).toBe(upgraded);
    });

    it('refuses stored parameters that would ask for unbounded memory', async () => {
      const huge = oldHash(password).replace('scrypt$32768$', `scrypt$${1 << 24}$`);
      expect(await verifyPassword(password, huge)).toBe(false);
      expect(await verifyPassword(password, oldHash(password).replace('$8$1$', '$8$64$'))).toBe(
        false,
      );
    });
  });
}
