/** @cordon/server public API. */
export {};
