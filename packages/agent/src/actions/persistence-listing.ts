/**
 * The persistence entries the agent sees below its root, each with the exact `target` a
 * `remove-persistence` command would take to remove it: cron lines, systemd units (regular
 * unit files, not vendor links), `authorized_keys` keys with their fingerprints, shell profile
 * lines. Files are read with the same checks removal uses, so what is listed is what can be
 * removed; the listing is bounded in files and entries.
 */
import { readdir } from 'node:fs/promises';
import type { PersistenceKind, PersistenceTarget } from '@cordon/protocol';
import { isPersistenceLine, persistenceLocation } from '@cordon/protocol';
import { readPasswd } from '../system/proc.ts';
import { openPersistenceFile, realRoot } from './persistence-file.ts';
import { lineText, splitLines } from './persistence-removal.ts';
import { parseAuthorizedKey } from './ssh-key-fingerprint.ts';

export interface PersistenceEntry {
  readonly target: PersistenceTarget;
  /** 1-based line number, for line entries. */
  readonly lineNumber?: number;
  /** Key type and comment, or a unit's `ExecStart=`. */
  readonly detail?: string;
  readonly modifiedAt: string;
}

export interface PersistenceListing {
  readonly entries: readonly PersistenceEntry[];
  /** Files that exist in a known location but were not read (symlink, too large …), why. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  readonly truncated: boolean;
}

const MAX_ENTRIES = 5000;
const MAX_FILES_PER_DIRECTORY = 200;

async function names(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(`${root}${dir}`).catch(() => [] as string[]);
  return entries.sort().slice(0, MAX_FILES_PER_DIRECTORY);
}

/** What the distributions' own crontabs set; anything else set in a crontab is listed. */
const STOCK_CRON_SETTINGS: ReadonlyMap<string, RegExp> = new Map([
  ['SHELL', /^\/(usr\/)?bin\/(ba)?sh$/],
  ['MAILTO', /^("?root"?|""|)$/],
  ['PATH', /^(\/(usr\/)?(local\/)?s?bin)(:\/(usr\/)?(local\/)?s?bin)*$/],
]);

/**
 * A crontab line that sets a variable (`NAME=value`), with its name, and `stock` when it is
 * what the distributions ship (the shell, mail to root, the system's bin directories). Any
 * other setting stays listed: a changed SHELL, PATH or BASH_ENV runs code too.
 */
function cronSetting(line: string): { readonly name: string; readonly stock: boolean } | undefined {
  // No lazy group before a trailing `\s*$`: that backtracks quadratically on a long run of
  // spaces, and a crontab line may be a megabyte long. The value is trimmed instead.
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
  if (!match) return undefined;
  const [, name, value] = match as unknown as [string, string, string];
  return { name, stock: STOCK_CRON_SETTINGS.get(name)?.test(value.trim()) === true };
}

export async function listPersistence(
  options: { readonly root?: string } = {},
): Promise<PersistenceListing> {
  const root = options.root ?? '/';
  const base = await realRoot(root);
  const candidates: { kind: PersistenceKind; path: string }[] = [
    { kind: 'cron', path: '/etc/crontab' },
    { kind: 'shell-profile', path: '/etc/profile' },
    { kind: 'shell-profile', path: '/etc/bash.bashrc' },
  ];
  const inDir = async (kind: PersistenceKind, dir: string): Promise<void> => {
    for (const name of await names(base, dir)) candidates.push({ kind, path: `${dir}/${name}` });
  };
  await inDir('cron', '/etc/cron.d');
  await inDir('cron', '/var/spool/cron/crontabs');
  await inDir('cron', '/var/spool/cron');
  await inDir('systemd-unit', '/etc/systemd/system');
  await inDir('shell-profile', '/etc/profile.d');
  const homes = new Set((await readPasswd(`${base}/etc/passwd`)).map((entry) => entry.home));
  for (const home of [...homes].sort()) {
    const at = home === '/' ? '' : home;
    if (persistenceLocation('authorized-key', `${at}/.ssh/authorized_keys`) === undefined) continue;
    for (const name of ['authorized_keys', 'authorized_keys2'])
      candidates.push({ kind: 'authorized-key', path: `${at}/.ssh/${name}` });
    for (const name of ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.zshrc'])
      candidates.push({ kind: 'shell-profile', path: `${at}/${name}` });
    await inDir('systemd-unit', `${at}/.config/systemd/user`);
  }

  const entries: PersistenceEntry[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let truncated = false;
  for (const { kind, path } of candidates) {
    // Names that are not a known location (a `.wants` directory, `foo.conf`) are not entries.
    if (persistenceLocation(kind, path) === undefined) continue;
    if (entries.length >= MAX_ENTRIES) {
      truncated = true;
      break;
    }
    const file = await openPersistenceFile(kind, path, root).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      if (code !== 'not-found') skipped.push({ path, reason: (error as Error).message });
      return undefined;
    });
    if (file === undefined) continue;
    try {
      const modifiedAt = file.info.mtime.toISOString();
      if (kind === 'systemd-unit') {
        const exec = /^ExecStart=(.*)$/m.exec(file.content.toString('utf8'))?.[1];
        entries.push({
          target: { kind, path },
          ...(exec === undefined ? {} : { detail: exec.slice(0, 500) }),
          modifiedAt,
        });
        continue;
      }
      splitLines(file.content).forEach((buffer, index) => {
        const line = lineText(buffer);
        if (entries.length >= MAX_ENTRIES) {
          truncated = true;
          return;
        }
        if (kind === 'authorized-key') {
          const key = parseAuthorizedKey(line);
          if (key === undefined) return;
          entries.push({
            target: { kind, path, fingerprint: key.fingerprint },
            lineNumber: index + 1,
            detail: `${key.type} ${key.comment}`.trim(),
            modifiedAt,
          });
          return;
        }
        if (line.trimStart().startsWith('#') || !isPersistenceLine(line)) return;
        const setting = kind === 'cron' ? cronSetting(line) : undefined;
        if (setting?.stock) return;
        entries.push({
          target: { kind, path, line },
          lineNumber: index + 1,
          ...(setting === undefined ? {} : { detail: `environment setting ${setting.name}` }),
          modifiedAt,
        });
      });
    } finally {
      await file.close();
    }
  }
  return { entries, skipped, truncated };
}
