/**
 * Logged-in users from the utmp file (glibc x86-64/aarch64 layout, 384-byte records):
 * type i32 @0, pid i32 @4, line char[32] @8, user char[32] @44, host char[256] @76,
 * tv_sec i32 @340. Only USER_PROCESS (7) records are sessions.
 */
import { readFile } from 'node:fs/promises';

export interface LoginRecord {
  readonly user: string;
  readonly terminal: string;
  readonly host: string;
  readonly pid: number;
  readonly loginAt: string;
}

const RECORD_BYTES = 384;
const USER_PROCESS = 7;

function cString(buffer: Buffer, start: number, length: number): string {
  const slice = buffer.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? length : end).toString('utf8');
}

export function parseUtmp(buffer: Buffer): LoginRecord[] {
  const records: LoginRecord[] = [];
  for (let offset = 0; offset + RECORD_BYTES <= buffer.length; offset += RECORD_BYTES) {
    if (buffer.readInt32LE(offset) !== USER_PROCESS) continue;
    records.push({
      user: cString(buffer, offset + 44, 32),
      terminal: cString(buffer, offset + 8, 32),
      host: cString(buffer, offset + 76, 256),
      pid: buffer.readInt32LE(offset + 4),
      loginAt: new Date(buffer.readInt32LE(offset + 340) * 1000).toISOString(),
    });
  }
  return records;
}

export async function readLoggedInUsers(path = '/var/run/utmp'): Promise<LoginRecord[]> {
  const buffer = await readFile(path).catch(() => undefined);
  return buffer === undefined ? [] : parseUtmp(buffer.subarray(0, 4 * 1024 * 1024));
}
