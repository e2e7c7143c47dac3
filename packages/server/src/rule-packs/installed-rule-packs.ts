/**
 * The rule packs installed under `<data>/rules/packs/` (`cordon rules update`), read from
 * their manifests at start-up: the server loads each pack's rule folders beside its own rules.
 * A folder without a readable manifest is not a pack (a staging folder, a failed install).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RULE_PACK_NAME } from '@cordon/core';
import { KEPT_RULE_FOLDERS } from './rule-pack-archive.ts';

export const MANIFEST_FILE = 'PACK.json';

export interface RulePackManifest {
  readonly pack: string;
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
  /** SHA-256 of the public key (DER) whose signature verified the archive, when one did. */
  readonly signedBy?: string;
  readonly archiveBytes: number;
  readonly installedAt: string;
  readonly files: number;
  readonly unpackedBytes: number;
  readonly rules: {
    readonly loaded: number;
    readonly correlations: number;
    readonly rejected: number;
  };
  readonly licence: string;
  readonly licenceFiles: readonly string[];
}

export interface InstalledRulePack {
  readonly pack: string;
  readonly dir: string;
  readonly ruleDirs: readonly string[];
  readonly manifest: RulePackManifest;
}

/** `<data>/rules/packs`. */
export function rulePacksDir(dataDir: string): string {
  return join(dataDir, 'rules', 'packs');
}

export async function installedRulePacks(packsDir: string): Promise<InstalledRulePack[]> {
  if (!existsSync(packsDir)) return [];
  const packs: InstalledRulePack[] = [];
  for (const name of (await readdir(packsDir)).sort()) {
    if (!RULE_PACK_NAME.test(name)) continue;
    const dir = join(packsDir, name);
    const manifest = await readManifest(join(dir, MANIFEST_FILE));
    if (manifest?.pack !== name) continue;
    const ruleDirs = KEPT_RULE_FOLDERS.map((folder) => join(dir, folder)).filter((d) =>
      existsSync(d),
    );
    packs.push({ pack: name, dir, ruleDirs, manifest });
  }
  return packs;
}

async function readManifest(file: string): Promise<RulePackManifest | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RulePackManifest;
  } catch {
    return undefined;
  }
}
