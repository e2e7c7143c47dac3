/**
 * One Linux persistence entry a `remove-persistence` command names: a cron line, a systemd
 * unit, an `authorized_keys` key (by its OpenSSH SHA256 fingerprint) or a shell profile line.
 * Both ends judge the path by the same table of known locations, so a command cannot aim the
 * agent's rewrite at `/etc/shadow` or walk out of a home directory with `..`; the agent then
 * checks the home directory against its passwd file and refuses symlinks on the way.
 */
import { ACCOUNT_NAME_PATTERN, isSafeAbsolutePath } from './command-action.ts';
import { WireFormatError, asRecord, readString } from './wire-reader.ts';

export type PersistenceTarget =
  | { readonly kind: 'cron'; readonly path: string; readonly line: string }
  | { readonly kind: 'systemd-unit'; readonly path: string }
  | { readonly kind: 'authorized-key'; readonly path: string; readonly fingerprint: string }
  | { readonly kind: 'shell-profile'; readonly path: string; readonly line: string };

export type PersistenceKind = PersistenceTarget['kind'];

export const PERSISTENCE_KINDS: readonly PersistenceKind[] = [
  'cron',
  'systemd-unit',
  'authorized-key',
  'shell-profile',
];

/** Where a path sits: a system location, or a file below a home directory (`home`). */
export type PersistenceLocation =
  { readonly scope: 'system' } | { readonly scope: 'home'; readonly home: string };

/** systemd unit names the agent removes: services, timers, sockets and path units. */
export const SYSTEMD_UNIT_NAME_PATTERN =
  /^[A-Za-z0-9:_@\\-][A-Za-z0-9:_.@\\-]{0,240}\.(?:service|timer|socket|path)$/;
/** An OpenSSH key fingerprint as `ssh-keygen -lf` prints it (SHA-256, base64, no padding). */
export const SSH_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** A file name in `/etc/cron.d` or `/etc/profile.d` (no leading dot, no slash). */
const DROP_IN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
const HOME_PROFILE_FILES = ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.zshrc'];
/** A whole line: tabs allowed, no other control characters, at most 4096 characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const LINE_PATTERN = /^[^\u0000-\u0008\u000a-\u001f\u007f]{1,4096}$/;
export const MAX_PERSISTENCE_LINE = 4096;

/** `/home/u/.ssh/authorized_keys` → `/home/u`, when `path` ends in `suffix` below a home. */
function homeOf(path: string, suffix: string): PersistenceLocation | undefined {
  if (!path.endsWith(suffix)) return undefined;
  const home = path.slice(0, path.length - suffix.length);
  if (home === '') return { scope: 'home', home: '/' };
  if (!isSafeAbsolutePath(home) || home.endsWith('/')) return undefined;
  return { scope: 'home', home };
}

/** The known location `path` is for `kind`, or undefined: the one table both ends use. */
export function persistenceLocation(
  kind: PersistenceKind,
  path: string,
): PersistenceLocation | undefined {
  if (!isSafeAbsolutePath(path) || path.includes('//') || path.endsWith('/')) return undefined;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const name = path.slice(slash + 1);
  const system: PersistenceLocation = { scope: 'system' };
  switch (kind) {
    case 'cron':
      if (path === '/etc/crontab') return system;
      if (dir === '/etc/cron.d' && DROP_IN_NAME.test(name)) return system;
      if (
        (dir === '/var/spool/cron/crontabs' || dir === '/var/spool/cron') &&
        ACCOUNT_NAME_PATTERN.test(name)
      )
        return system;
      return undefined;
    case 'systemd-unit':
      if (!SYSTEMD_UNIT_NAME_PATTERN.test(name)) return undefined;
      if (dir === '/etc/systemd/system') return system;
      return homeOf(path, `/.config/systemd/user/${name}`);
    case 'authorized-key':
      return homeOf(path, '/.ssh/authorized_keys') ?? homeOf(path, '/.ssh/authorized_keys2');
    case 'shell-profile':
      if (path === '/etc/profile' || path === '/etc/bash.bashrc') return system;
      if (dir === '/etc/profile.d' && DROP_IN_NAME.test(name) && name.endsWith('.sh'))
        return system;
      if (HOME_PROFILE_FILES.includes(name)) return homeOf(path, `/${name}`);
      return undefined;
  }
}

export function isPersistenceLine(line: string): boolean {
  return LINE_PATTERN.test(line) && line.trim().length > 0;
}

export function parsePersistenceTarget(value: unknown): PersistenceTarget {
  const record = asRecord(value, 'target');
  const kind = readString(record, 'kind', { max: 32 }) as PersistenceKind;
  if (!PERSISTENCE_KINDS.includes(kind))
    throw new WireFormatError(`unknown persistence kind ${JSON.stringify(kind)}`);
  const path = readString(record, 'path', { max: 4096 });
  if (persistenceLocation(kind, path) === undefined)
    throw new WireFormatError(
      `target.path ${JSON.stringify(path)} is not a known ${kind} location`,
    );
  const line = (): string => {
    const text = readString(record, 'line', { max: MAX_PERSISTENCE_LINE });
    if (!isPersistenceLine(text))
      throw new WireFormatError(
        'target.line must be one non-blank line without control characters',
      );
    return text;
  };
  switch (kind) {
    case 'cron':
      return { kind, path, line: line() };
    case 'shell-profile':
      return { kind, path, line: line() };
    case 'systemd-unit':
      return { kind, path };
    case 'authorized-key':
      return {
        kind,
        path,
        fingerprint: readString(record, 'fingerprint', { pattern: SSH_FINGERPRINT_PATTERN }),
      };
  }
}
