/**
 * Content-addressed storage for evidence bytes. `put` streams the content to durable storage
 * while hashing it and enforces the size limit; content is stored once per SHA-256.
 */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
}

export interface BlobStore {
  put(content: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob>;
  /** Streams the content after checking that it still hashes to `sha256`. */
  read(sha256: string): Promise<AsyncIterable<Uint8Array>>;
  /** Recomputes the hash of stored content: true when intact. */
  verify(sha256: string): Promise<boolean>;
}
