/**
 * The key on an `authorized_keys` line and its OpenSSH fingerprint (`SHA256:` + unpadded
 * base64 of the SHA-256 of the key blob, as `ssh-keygen -lf` prints it). A line may start with
 * options (`command="…",from="…"`), so the key is found as a key-type word followed by a
 * base64 blob whose own first field names the same type — option text cannot pass for it.
 */
import { createHash } from 'node:crypto';

export interface AuthorizedKey {
  readonly type: string;
  readonly fingerprint: string;
  readonly comment: string;
}

const KEY_TYPE = /^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9@.-]+)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The key on one line, or undefined for comments, blank lines and lines with no valid key. */
export function parseAuthorizedKey(line: string): AuthorizedKey | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const words = text.split(/[ \t]+/);
  for (let i = 0; i + 1 < words.length; i += 1) {
    const type = words[i]!;
    const encoded = words[i + 1]!;
    if (!KEY_TYPE.test(type) || !BASE64.test(encoded)) continue;
    const blob = Buffer.from(encoded, 'base64');
    if (blobType(blob) !== type) continue;
    const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
    return { type, fingerprint, comment: words.slice(i + 2).join(' ') };
  }
  return undefined;
}
