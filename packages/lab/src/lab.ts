/**
 * A network-namespace lab: N hosts and an attacker, each a namespace with one veth into a
 * bridge that lives in a namespace of its own, addressed in 198.18.0.0/24 and fd00:c0d0::/64.
 * Processes started through the lab are recorded in a state file; `down` kills them, kills
 * anything else still inside the lab's namespaces, and deletes the namespaces (which takes
 * their links and nftables tables with them).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { labLayout, namespacePrefix } from './lab-layout.ts';
import type { LabHostLayout, LabLayout } from './lab-layout.ts';

const execFileAsync = promisify(execFile);

export const DEFAULT_LAB_STATE_DIR = '/run/cordon-lab';

export interface LabState {
  readonly layout: LabLayout;
  readonly pids: readonly number[];
  readonly deployment?: LabDeployment;
}

/** The server the lab's agents are enrolled with, and the agents (`lab up`). */
export interface LabDeployment {
  /** The API (`CORDON_SERVER`) and a token for it (`CORDON_TOKEN`). */
  readonly apiUrl: string;
  readonly apiToken: string;
  readonly tenantId: string;
  /** Where agents connect, inside the lab. */
  readonly gatewayUrl: string;
  /** True when `lab up` started the server itself (on `workDir`/server). */
  readonly ownServer: boolean;
  /** host id → agent */
  readonly agents: Readonly<Record<string, { readonly agentId: string; readonly logFile: string }>>;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
}

export type ProbeOutcome =
  'connected' | 'refused' | 'blocked' | 'timeout' | 'unreachable' | 'error';

const TOOLS = fileURLToPath(new URL('./tools/', import.meta.url));

async function ip(args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('ip', args, { timeout: 15_000 });
  return stdout;
}

export class Lab {
  readonly layout: LabLayout;
  readonly stateFile: string;
  #pids: number[] = [];
  #deployment: LabDeployment | undefined;
  readonly #children = new Set<ChildProcess>();

  private constructor(layout: LabLayout, stateFile: string) {
    this.layout = layout;
    this.stateFile = stateFile;
  }

  /** Creates the lab; on any failure removes what it created and rethrows. */
  static async up(options: { name: string; hosts?: number; stateDir?: string }): Promise<Lab> {
    const layout = labLayout(options.name, options.hosts ?? 1);
    const stateDir = options.stateDir ?? DEFAULT_LAB_STATE_DIR;
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const lab = new Lab(layout, join(stateDir, `${layout.name}.json`));
    await lab.#saveState();
    try {
      await lab.#create();
    } catch (error) {
      await lab.down();
      throw error;
    }
    return lab;
  }

  /** Re-opens a running lab from its state file. */
  static async open(name: string, stateDir = DEFAULT_LAB_STATE_DIR): Promise<Lab> {
    const file = join(stateDir, `${name}.json`);
    const state = JSON.parse(await readFile(file, 'utf8')) as LabState;
    const lab = new Lab(state.layout, file);
    lab.#pids = [...state.pids];
    lab.#deployment = state.deployment;
    return lab;
  }

  /** Files of this lab's own (server data, agent state, logs, relay socket); gone after `down`. */
  get workDir(): string {
    return join(dirname(this.stateFile), this.layout.name);
  }

  get deployment(): LabDeployment | undefined {
    return this.#deployment;
  }

  async setDeployment(deployment: LabDeployment): Promise<void> {
    this.#deployment = deployment;
    await this.#saveState();
  }

  get hosts(): readonly LabHostLayout[] {
    return this.layout.hosts;
  }

  get attacker(): LabHostLayout {
    return this.layout.attacker;
  }

  async #create(): Promise<void> {
    const { bridgeNamespace: br, bridge } = this.layout;
    await ip(['netns', 'add', br]);
    await ip(['-n', br, 'link', 'set', 'lo', 'up']);
    await ip(['-n', br, 'link', 'add', bridge, 'type', 'bridge']);
    await ip(['-n', br, 'link', 'set', bridge, 'up']);
    await ip(['-n', br, 'addr', 'add', `${this.layout.gatewayIpv4}/24`, 'dev', bridge]);
    await ip(['-n', br, 'addr', 'add', `${this.layout.gatewayIpv6}/64`, 'dev', bridge, 'nodad']);
    for (const host of [...this.layout.hosts, this.layout.attacker]) {
      await ip(['netns', 'add', host.namespace]);
      await ip(['-n', host.namespace, 'link', 'set', 'lo', 'up']);
      await ip([
        '-n',
        br,
        'link',
        'add',
        host.bridgePort,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        host.namespace,
      ]);
      await ip(['-n', br, 'link', 'set', host.bridgePort, 'master', bridge]);
      await ip(['-n', br, 'link', 'set', host.bridgePort, 'up']);
      await ip(['-n', host.namespace, 'addr', 'add', `${host.ipv4}/24`, 'dev', 'eth0']);
      await ip(['-n', host.namespace, 'addr', 'add', `${host.ipv6}/64`, 'dev', 'eth0', 'nodad']);
      await ip(['-n', host.namespace, 'link', 'set', 'eth0', 'up']);
    }
  }

  /** Runs a program inside a namespace and waits for it (argument array, no shell). */
  async exec(
    namespace: string,
    argv: readonly string[],
    options: { timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    this.#assertOwn(namespace);
    const { stdout, stderr } = await execFileAsync('ip', ['netns', 'exec', namespace, ...argv], {
      timeout: options.timeoutMs ?? 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr };
  }

  /** Starts a long-running program inside a namespace; its pid is recorded for `down`. */
  async spawn(namespace: string, argv: readonly string[]): Promise<ChildProcess> {
    this.#assertOwn(namespace);
    const child = spawn('ip', ['netns', 'exec', namespace, ...argv], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) {
      this.#pids.push(child.pid);
      this.#children.add(child);
      child.once('exit', () => {
        this.#children.delete(child);
        this.#pids = this.#pids.filter((pid) => pid !== child.pid);
      });
      await this.#saveState();
    }
    return child;
  }

  /**
   * Starts a program that outlives this process (`cordon lab up` exits, its server, relays and
   * agents go on): detached, output to `logFile`, in `namespace` or — `null` — in the root
   * namespace. Its pid is recorded for `down` all the same.
   */
  async spawnDetached(
    namespace: string | null,
    argv: readonly string[],
    logFile: string,
  ): Promise<number> {
    if (namespace !== null) this.#assertOwn(namespace);
    const [program, ...rest] =
      namespace === null ? argv : ['ip', 'netns', 'exec', namespace, ...argv];
    const log = openSync(logFile, 'a', 0o600);
    const child = spawn(program!, rest, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${argv.join(' ')}`);
    this.#pids.push(child.pid);
    await this.#saveState();
    return child.pid;
  }

  /** Runs a Node script from inside a namespace with the current Node binary. */
  spawnNode(namespace: string, script: string, args: readonly string[]): Promise<ChildProcess> {
    return this.spawn(namespace, [process.execPath, script, ...args]);
  }

  /** A TCP listener in a namespace (answers `ok`, or echoes); resolves once it listens. */
  async listen(
    namespace: string,
    address: string,
    port: number,
    mode: 'answer' | 'echo' | 'sink' = 'answer',
  ): Promise<LabListener> {
    const child = await this.spawnNode(namespace, join(TOOLS, 'tcp-listen.ts'), [
      address,
      String(port),
      mode,
    ]);
    const connections: { address: string; port: number }[] = [];
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^connection (\S+) (\d+)$/.exec(line);
        // An IPv4 peer of a dual-stack listener shows as ::ffff:a.b.c.d.
        if (match !== null)
          connections.push({ address: match[1]!.replace(/^::ffff:/, ''), port: Number(match[2]) });
      }
    });
    await waitForLine(child, 'ready', 10_000);
    return {
      connections: () => [...connections],
      close: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** One TCP connect attempt from inside a namespace. */
  async probe(
    namespace: string,
    address: string,
    port: number,
    timeoutMs = 1000,
  ): Promise<ProbeOutcome> {
    const { stdout } = await this.exec(namespace, [
      process.execPath,
      join(TOOLS, 'tcp-probe.ts'),
      address,
      String(port),
      String(timeoutMs),
    ]);
    return (JSON.parse(stdout) as { outcome: ProbeOutcome }).outcome;
  }

  /** Removes everything the lab created. Safe to call twice and after a partial `up`. */
  async down(): Promise<void> {
    for (const child of this.#children) child.kill('SIGKILL');
    for (const pid of this.#pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await removeLabNamespaces(this.layout.name);
    await rm(this.stateFile, { force: true });
    await rm(this.workDir, { recursive: true, force: true });
    this.#pids = [];
  }

  #assertOwn(namespace: string): void {
    if (!namespace.startsWith(namespacePrefix(this.layout.name))) {
      throw new TypeError(`namespace ${namespace} does not belong to lab ${this.layout.name}`);
    }
  }

  async #saveState(): Promise<void> {
    const state: LabState = {
      layout: this.layout,
      pids: this.#pids,
      ...(this.#deployment === undefined ? {} : { deployment: this.#deployment }),
    };
    await writeFile(this.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }
}

/** A TCP listener started by `Lab.listen`: the peers it took, and how to stop it. */
export interface LabListener {
  /** Every connection taken so far (peer address and port), in order. */
  connections(): readonly { readonly address: string; readonly port: number }[];
  close(): Promise<void>;
}

/** Namespaces whose names carry the lab's prefix (found even without a state file). */
export async function labNamespaces(name: string): Promise<string[]> {
  const prefix = namespacePrefix(name);
  const listing = await ip(['netns', 'list']);
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((ns) => ns.startsWith(prefix));
}

/** Kills every process left in the lab's namespaces, then deletes the namespaces. */
export async function removeLabNamespaces(name: string): Promise<void> {
  for (const namespace of await labNamespaces(name)) {
    const pids = (await ip(['netns', 'pids', namespace]).catch(() => ''))
      .split('\n')
      .filter((line) => /^\d+$/.test(line));
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await ip(['netns', 'delete', namespace]).catch(() => undefined);
  }
}

function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${line}" within ${timeoutMs} ms: ${errors}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before "${line}": ${errors}`));
    });
  });
}
