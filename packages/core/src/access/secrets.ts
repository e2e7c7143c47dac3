/**
 * Password and token hashing. Passwords use scrypt at N=2^17, r=8, p=1 (current guidance;
 * 128 MiB and a few hundred milliseconds per hash), 16-byte salt, encoded as
 * `scrypt$N$r$p$salt$hash` so that the parameters travel with the hash: older hashes
 * (N=2^15) still verify, and `needsRehash` says when a sign-in should store a new one.
 * Node's built-in argon2 exists only in newer Node 24 releases and we support 22.13, so scrypt
 * it is. At most `MAX_CONCURRENT_HASHES` run at once, so that parallel sign-ins queue instead
 * of taking 128 MiB each. API tokens and session ids are 256-bit random secrets, so a single
 * SHA-256 is enough to keep them unusable if the database leaks.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 1 << 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes; twice that leaves room for its bookkeeping. */
const MAX_MEMORY = 2 * 128 * N * R;
/** Bounds on parameters read back from a stored hash, so a tampered row cannot ask for gigabytes. */
const MAX_N = 1 << 17;
const MAX_R = 16;
const MAX_P = 4;
const MAX_CONCURRENT_HASHES = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when fewer than MAX_CONCURRENT_HASHES hashes are in flight. */
async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((go) => waiting.push(go));
  else running++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line (running stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function scryptAsync(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (error, key) => {
          if (error) reject(error);
          else resolve(key);
        });
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ScryptParameters {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parse(encoded: string): ScryptParameters | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const powerOfTwo = Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
  if (!powerOfTwo || n > MAX_N) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P)
    return undefined;
  return {
    n,
    r,
    p,
    salt: Buffer.from(parts[4] ?? '', 'base64'),
    key: Buffer.from(parts[5] ?? '', 'base64'),
  };
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored) return false;
  const key = await scryptAsync(password, stored.salt, stored.n, stored.r, stored.p);
  return key.length === stored.key.length && timingSafeEqual(key, stored.key);
}

/** True when a hash was made with other parameters than today's: store a new one at sign-in. */
export function needsRehash(encoded: string): boolean {
  const stored = parse(encoded);
  return !stored || stored.n !== N || stored.r !== R || stored.p !== P;
}

/**
 * A well-formed hash at today's parameters that no password matches, verified for unknown
 * accounts so that they take as long as known ones (no account enumeration by timing).
 */
export const UNMATCHABLE_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/** A fresh 256-bit secret, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const MIN_PASSWORD_LENGTH = 12;
