/** The base of the preparation repositories: a transaction and the one tenant it may touch. */
import type { Kysely } from 'kysely';
import type { CordonDatabase } from '../../database/schema.ts';

export type Db = Kysely<CordonDatabase>;

export abstract class TenantBound {
  protected readonly db: Db;
  protected readonly tenantId: string;
  constructor(db: Db, tenantId: string) {
    this.db = db;
    this.tenantId = tenantId;
  }
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string): T => JSON.parse(text) as T;
export const bit = (value: boolean): number => (value ? 1 : 0);
