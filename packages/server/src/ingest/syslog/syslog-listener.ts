/** What `startSyslogListener` gives back: where it listens, and how to stop it. */
import type { SyslogTransport } from './listener-spec.ts';

export interface SyslogListener {
  readonly transport: SyslogTransport;
  readonly host: string;
  /** The bound port (the one asked for, or the one picked for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}
