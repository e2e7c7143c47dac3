/** The service guarantee: contracts, readiness-gap notices, the ledger and its statements. */
export * from './guarantee-contract.ts';
export * from './guarantee-entry.ts';
export * from './guarantee-ledger.ts';
export * from './guarantee-statement.ts';
export * from './readiness-gap-notice.ts';
export type * from './guarantee-repositories.ts';
export * from './guarantee.service.ts';
