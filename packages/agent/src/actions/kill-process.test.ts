import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killProcesses } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-kill-'));
afterAll(() => rm(work, { recursive: true, force: true }));

function exited(child: ReturnType<typeof spawn>): Promise<string | null> {
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

describe('killProcesses', () => {
  it('kills by pid and records what the process was', async () => {
    const child = spawn('sleep', ['300', '7']);
    const done = exited(child);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = await killProcesses({ pid: child.pid! });
    expect(await done).toBe('SIGKILL');
    expect(report.killed).toHaveLength(1);
    expect(report.killed[0]).toMatchObject({ pid: child.pid, name: 'sleep', ppid: process.pid });
    expect(report.killed[0]!.commandLine).toEqual(['sleep', '300', '7']);
    expect(report.killed[0]!.executable).toMatch(/sleep$/);
  });

  it('kills every process with a name, and only those', async () => {
    const name = `implant${process.pid}`.slice(0, 15);
    const binary = join(work, name);
    await copyFile('/bin/sleep', binary);
    const { chmod } = await import('node:fs/promises');
    await chmod(binary, 0o755);
    const victims = [spawn(binary, ['300']), spawn(binary, ['300'])];
    const bystander = spawn('sleep', ['300']);
    const done = victims.map(exited);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = await killProcesses({ name });
    expect(await Promise.all(done)).toEqual(['SIGKILL', 'SIGKILL']);
    expect(report.killed.map((r) => r.pid).sort()).toEqual(victims.map((v) => v.pid).sort());
    expect(bystander.exitCode).toBeNull();
    bystander.kill('SIGKILL');
  });

  it('refuses init and itself, and reports missing processes', async () => {
    await expect(killProcesses({ pid: 1 })).rejects.toThrow(/refusing/);
    await expect(killProcesses({ pid: process.pid })).rejects.toThrow(/refusing/);
    await expect(killProcesses({ name: 'no-such-proc-xyz' })).rejects.toThrow(/no process named/);
    await expect(killProcesses({ name: '../bin/sh' })).rejects.toThrow(/not a process name/);
  });
});
