/** @cordon/storage public API. */
export {};
