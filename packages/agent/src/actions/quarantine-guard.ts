/**
 * What file quarantine must never take away. Moving a file and stripping its mode is a weapon
 * if it can be aimed at the agent itself (its key, its enrolment, its nonce store — losing
 * that reopens replay —, its spool and outbox, its config), at what it runs on (the node
 * executable, every file mapped into the agent process, the agent's package and its
 * dependencies), at the tools it drives (`nft`, `ip`, `usermod`, `pkill`), or at what keeps
 * the host usable and reachable (accounts, PAM, sudoers, sshd config, the loader cache, init,
 * `/proc`, `/sys`, `/dev`, `/boot`).
 *
 * Entries are resolved with `realpath` at each check, and files are also compared by device
 * and inode, so a hard link or another name for a protected file is refused too.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface QuarantineGuardOptions {
  /** Protected files (exact). */
  readonly files: readonly string[];
  /** Protected directories: nothing below them may be quarantined. */
  readonly trees: readonly string[];
}

export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** Programs the agent runs (`run-program.ts` callers) or needs on a host it contains. */
const AGENT_TOOLS = ['nft', 'ip', 'usermod', 'pkill', 'sh'];
const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const SYSTEM_FILES = [
  '/etc/passwd',
  '/etc/shadow',
  '/etc/group',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/login.defs',
  '/etc/nsswitch.conf',
  '/etc/ld.so.cache',
  '/etc/fstab',
  '/etc/hosts',
  '/etc/ssh/sshd_config',
  '/sbin/init',
  '/proc/1/exe',
];
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/boot', '/etc/pam.d'];

export class QuarantineGuard {
  readonly #options: QuarantineGuardOptions;

  constructor(options: QuarantineGuardOptions) {
    this.#options = options;
  }

  /** The guard for a running agent: its own files and code, its tools, the system's core. */
  static async forAgent(agent: {
    readonly files: readonly string[];
    readonly trees: readonly string[];
  }): Promise<QuarantineGuard> {
    const tools = AGENT_TOOLS.flatMap((tool) =>
      [...(process.env.PATH ?? '').split(delimiter), ...TOOL_DIRS]
        .filter((dir) => dir.startsWith('/'))
        .map((dir) => join(dir, tool)),
    );
    return new QuarantineGuard({
      files: [
        ...agent.files,
        process.execPath,
        ...(await mappedFiles()),
        ...tools,
        ...SYSTEM_FILES,
      ],
      trees: [...agent.trees, ...codeDirectories(), ...SYSTEM_TREES],
    });
  }

  /** Why `realPath` (already resolved, no symlink left) must not be quarantined, if it must not. */
  async refusal(realPath: string, identity: FileIdentity): Promise<string | undefined> {
    for (const tree of this.#options.trees) {
      const resolved = await realpath(tree).catch(() => tree);
      if (
        realPath === resolved ||
        realPath.startsWith(resolved.endsWith(sep) ? resolved : resolved + sep)
      )
        return `${realPath} is inside ${resolved}, which the agent or the host relies on`;
    }
    for (const file of this.#options.files) {
      const info = await stat(file).catch(() => undefined);
      if (info === undefined) continue;
      const resolved = await realpath(file).catch(() => file);
      if (resolved === realPath || (info.dev === identity.dev && info.ino === identity.ino))
        return `${realPath} is ${file === resolved ? file : `${file} (${resolved})`}, which the agent or the host relies on`;
    }
    return undefined;
  }
}

/** Every file mapped into this process: the executable, its libraries, native addons. */
async function mappedFiles(): Promise<string[]> {
  const text = await readFile('/proc/self/maps', 'utf8').catch(() => '');
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    const path = line.split(/\s+/)[5];
    if (path?.startsWith('/')) paths.add(path);
  }
  return [...paths];
}

/** The agent's package and the packages it loads code from. */
function codeDirectories(): string[] {
  const dirs = [fileURLToPath(new URL('../../', import.meta.url))];
  for (const dependency of ['@cordon/protocol', 'ws']) {
    try {
      dirs.push(dirname(fileURLToPath(import.meta.resolve(dependency))));
    } catch {
      // not resolvable from here: nothing to protect
    }
  }
  return dirs;
}
