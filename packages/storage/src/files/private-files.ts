/**
 * Files only the server's own user may read. The data directory holds password hashes,
 * session hashes, the signing key and evidence: its directories are 0700 and its files 0600
 * (0400 for evidence), set explicitly rather than left to the umask or to whoever made a
 * directory beforehand — `mkdir` does not change the mode of a directory that exists, and
 * SQLite creates its files 0644.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the directory (and its parents) if needed, and makes it 0700 if it is not. */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: DIRECTORY_MODE });
  restrict(path, DIRECTORY_MODE);
}

/**
 * Creates an empty file 0600 if it does not exist, and makes an existing one 0600: programs
 * that create the file themselves (SQLite, whose log files copy the database file's mode)
 * then find it private.
 */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', FILE_MODE));
  restrict(path, FILE_MODE);
}

/** Makes an existing file 0600 (a no-op when it is absent). */
export function restrictFileIfPresent(path: string): void {
  if (existsSync(path)) restrict(path, FILE_MODE);
}

function restrict(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) === mode) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    throw new Error(
      `${path} is open to other users and cannot be restricted (${(error as Error).message}): chmod ${mode.toString(8)} it, as the user Cordon runs as`,
      { cause: error },
    );
  }
}
