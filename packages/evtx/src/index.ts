/** @cordon/evtx public API. */
export {};
