import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab, labNamespaces } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';

const skip = privilegedTestsUnavailable();
const work = await mkdtemp(join(tmpdir(), 'cordon-lab-'));
const created: Lab[] = [];
afterAll(async () => {
  for (const lab of created) await lab.down();
  await rm(work, { recursive: true, force: true });
});

/** Running, i.e. it exists and is not a zombie waiting for a parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(skip !== undefined)('Lab', () => {
  it('puts N hosts and an attacker on one bridge, reachable over IPv4 and IPv6', async () => {
    const lab = await Lab.up({ name: uniqueName('lb'), hosts: 2, stateDir: work });
    created.push(lab);
    expect(lab.hosts.map((h) => [h.ipv4, h.ipv6])).toEqual([
      ['198.18.0.10', 'fd00:c0d0::a'],
      ['198.18.0.11', 'fd00:c0d0::b'],
    ]);
    await lab.listen(lab.hosts[1]!.namespace, '::', 8080);
    expect(await lab.probe(lab.hosts[0]!.namespace, lab.hosts[1]!.ipv4, 8080)).toBe('connected');
    expect(await lab.probe(lab.attacker.namespace, lab.hosts[1]!.ipv6, 8080)).toBe('connected');
    expect(await lab.probe(lab.attacker.namespace, lab.hosts[0]!.ipv4, 8080)).toBe('refused');
    // Nothing was added to the root namespace.
    expect(execFileSync('ip', ['link', 'show']).toString()).not.toContain(lab.layout.name);
  });

  it('down removes namespaces and kills every process, tracked or not', async () => {
    const name = uniqueName('ld');
    const lab = await Lab.up({ name, hosts: 1, stateDir: work });
    created.push(lab);
    const tracked = await lab.spawn(lab.hosts[0]!.namespace, ['sleep', '300']);
    const state = JSON.parse(await readFile(lab.stateFile, 'utf8'));
    expect(state.pids).toContain(tracked.pid);
    // A process started behind the lab's back, e.g. by an agent inside a host.
    const stray = execFileSync('ip', [
      'netns',
      'exec',
      lab.attacker.namespace,
      'sh',
      '-c',
      'sleep 300 >/dev/null 2>&1 & echo $!',
    ]);
    const strayPid = Number(stray.toString().trim());
    expect(alive(strayPid)).toBe(true);
    expect(await labNamespaces(name)).toHaveLength(3);

    const reopened = await Lab.open(name, work);
    await reopened.down();
    expect(await labNamespaces(name)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(strayPid)).toBe(false);
    await expect(readFile(lab.stateFile)).rejects.toThrow(/ENOENT/);
  });

  it('refuses names it could not clean up safely and commands outside its namespaces', async () => {
    await expect(Lab.up({ name: 'Bad Name', stateDir: work })).rejects.toThrow(/must match/);
    const lab = created[0]!;
    await expect(lab.exec('other-namespace', ['true'])).rejects.toThrow(/does not belong/);
  });
});
