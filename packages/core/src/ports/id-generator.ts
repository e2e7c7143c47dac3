import { randomUUID } from 'node:crypto';

/** Identifiers: random UUIDs, so that ids carry no information about other tenants' data. */
export const newId = (): string => randomUUID();
