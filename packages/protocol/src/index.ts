/** @cordon/protocol public API. */
export {};
