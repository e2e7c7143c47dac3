/** @cordon/protocol public API. */
export {};
export * from './agent/index.ts';
