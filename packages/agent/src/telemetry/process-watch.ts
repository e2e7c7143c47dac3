/**
 * Process starts, found by polling `/proc` for pids not seen before (a pid is identified with
 * its start time, so a reused pid counts as a new process). The first poll only takes the
 * baseline. Short-lived processes that start and exit between polls are missed: this is a
 * fallback for hosts without an audit or eBPF source.
 */
import { basename } from 'node:path';
import { listPids, readProcess, userNames } from '../system/proc.ts';
import type { TelemetryCollector, TelemetryEvent } from './telemetry-event.ts';

export class ProcessWatch implements TelemetryCollector {
  readonly name = 'process-watch';
  readonly #hostname: string;
  #seen: Map<number, number> | undefined;

  constructor(options: { hostname: string }) {
    this.#hostname = options.hostname;
  }

  async poll(): Promise<TelemetryEvent[]> {
    const users = await userNames();
    const records = (
      await Promise.all((await listPids()).map((pid) => readProcess(pid, users)))
    ).filter((record) => record !== undefined);
    const previous = this.#seen;
    this.#seen = new Map(records.map((record) => [record.pid, record.startTicks]));
    if (previous === undefined) return [];
    const byPid = new Map(records.map((record) => [record.pid, record]));
    const now = new Date().toISOString();
    return records
      .filter((record) => previous.get(record.pid) !== record.startTicks)
      .map((record) => {
        const parent = byPid.get(record.ppid);
        const commandLine = record.commandLine.join(' ');
        const image = record.executable ?? record.name;
        return {
          '@timestamp': now,
          event: {
            kind: 'event',
            category: ['process'],
            type: ['start'],
            action: 'process-started',
            dataset: 'agent.process',
            ingested: now,
          },
          host: { name: this.#hostname },
          process: {
            pid: record.pid,
            name: record.name,
            executable: image,
            command_line: commandLine,
            args: record.commandLine,
            parent: {
              pid: record.ppid,
              ...(parent === undefined
                ? {}
                : { name: parent.name, executable: parent.executable ?? parent.name }),
            },
          },
          user: { id: String(record.uid), ...(record.user === null ? {} : { name: record.user }) },
          log_source: { product: 'linux', category: 'process_creation' },
          fields: {
            ProcessId: record.pid,
            Image: image,
            CommandLine: commandLine,
            ParentProcessId: record.ppid,
            ...(parent === undefined
              ? {}
              : {
                  ParentImage: parent.executable ?? parent.name,
                  ParentCommandLine: parent.commandLine.join(' '),
                }),
            User: record.user ?? String(record.uid),
            CurrentDirectory: '',
            OriginalFileName: basename(image),
          },
        };
      });
  }
}
