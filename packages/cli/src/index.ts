/** @cordon/cli public API. */
export {};
