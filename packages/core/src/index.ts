/** @cordon/core public API. */
export {};
