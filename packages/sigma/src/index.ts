/** @cordon/sigma public API. */
export {};
