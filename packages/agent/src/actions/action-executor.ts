/**
 * Runs one verified command action against the host and says how it went. Every action's
 * parameters were parsed by protocol; the executors check them again against the host.
 * User errors (bad parameter, nothing to act on) become `failed` with the message; anything
 * else is a bug or an operational failure and is reported the same way, never thrown at the
 * connection.
 */
import type { AllowRule, CommandAction, CommandResultStatus } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import type { BlockList } from '../isolation/block-list.ts';
import type { HostIsolation } from '../isolation/host-isolation.ts';
import type { IsolationPolicy } from '../isolation/isolation-policy.ts';
import { collectTriage } from '../triage/collect-triage.ts';
import { disableAccount, enableAccount } from './account-lock.ts';
import type { AccountSafeguards } from './account-safeguards.ts';
import type { FileQuarantine } from './file-quarantine.ts';
import { killProcesses } from './kill-process.ts';
import { listPersistence } from './persistence-listing.ts';
import { removePersistence } from './persistence-removal.ts';
import { runReachabilityTest } from './reachability-test.ts';

export interface ActionContext {
  readonly isolation: HostIsolation;
  readonly blockList: BlockList;
  readonly quarantine: FileQuarantine;
  /** Stores a new server key (the command carrying it was verified with the current one). */
  readonly rotateServerKey: (publicKey: string) => Promise<string>;
  /** Accounts disabling leaves alone unless forced; default: computed for this process. */
  readonly accountSafeguards?: AccountSafeguards;
  /** The configured policy (server endpoints + allow-list) that a command may extend. */
  readonly basePolicy: () => IsolationPolicy;
  /** Root of the file system persistence is listed and removed in; default `/`. */
  readonly persistenceRoot?: string;
  /** `systemctl` for unit removal; default: found when the root is `/` and systemd runs. */
  readonly systemctl?: string | null;
}

export interface ActionOutcome {
  readonly status: Exclude<CommandResultStatus, 'rejected'>;
  readonly detail: string;
  readonly output?: unknown;
}

export async function executeAction(
  action: CommandAction,
  context: ActionContext,
  commandId?: string,
): Promise<ActionOutcome> {
  try {
    return await run(action, context, commandId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 'failed',
      detail: error instanceof AgentError ? message : `unexpected error: ${message}`,
    };
  }
}

async function run(
  action: CommandAction,
  context: ActionContext,
  commandId?: string,
): Promise<ActionOutcome> {
  const ids = commandId === undefined ? {} : { commandId };
  switch (action.kind) {
    case 'ping':
      return { status: 'applied', detail: 'pong' };
    case 'isolate': {
      const base = context.basePolicy();
      const allow: AllowRule[] = [...base.allow, ...(action.allow ?? [])];
      const report = await context.isolation.isolate({ server: base.server, allow }, ids);
      return {
        status:
          report.status === 'applied'
            ? 'applied'
            : report.status === 'rolled-back'
              ? 'rolled-back'
              : 'failed',
        detail: report.detail,
        output: report,
      };
    }
    case 'release': {
      const report = await context.isolation.release(ids);
      return { status: 'applied', detail: report.detail };
    }
    case 'block': {
      const blocked = await context.blockList.block(action.target);
      return { status: 'applied', detail: `blocked ${action.target}`, output: { blocked } };
    }
    case 'unblock': {
      const blocked = await context.blockList.unblock(action.target);
      return { status: 'applied', detail: `unblocked ${action.target}`, output: { blocked } };
    }
    case 'kill-process': {
      const report = await killProcesses(
        'pid' in action ? { pid: action.pid } : { name: action.name },
      );
      const status = report.failed.length === 0 ? 'applied' : 'failed';
      return {
        status,
        detail: `killed ${report.killed.length}, failed ${report.failed.length}`,
        output: report,
      };
    }
    case 'quarantine-file': {
      const record = await context.quarantine.quarantine(action.path);
      return {
        status: 'applied',
        detail: `quarantined ${record.originalPath} as ${record.id}`,
        output: record,
      };
    }
    case 'restore-file': {
      const record = await context.quarantine.restore(action.quarantineId);
      return { status: 'applied', detail: `restored ${record.originalPath}`, output: record };
    }
    case 'disable-account': {
      const report = await disableAccount(action.user, {
        force: action.force === true,
        ...(context.accountSafeguards === undefined
          ? {}
          : { safeguards: context.accountSafeguards }),
      });
      return { status: 'applied', detail: `disabled ${report.user}`, output: report };
    }
    case 'enable-account': {
      const report = await enableAccount(action.user);
      return { status: 'applied', detail: `enabled ${report.user}`, output: report };
    }
    case 'rotate-server-key':
      return { status: 'applied', detail: await context.rotateServerKey(action.publicKey) };
    case 'remove-persistence': {
      const report = await removePersistence(action.target, {
        root: context.persistenceRoot ?? '/',
        ...(context.systemctl === undefined ? {} : { systemctl: context.systemctl }),
      });
      const what =
        report.effect === 'file-removed'
          ? `removed ${action.target.path} and ${report.links.length} links`
          : `removed ${report.removed.lines?.length ?? 0} lines from ${action.target.path}`;
      return { status: 'applied', detail: what, output: report };
    }
    case 'list-persistence': {
      const listing = await listPersistence({ root: context.persistenceRoot ?? '/' });
      return {
        status: 'applied',
        detail: `${listing.entries.length} persistence entries${listing.truncated ? ' (truncated)' : ''}`,
        output: listing,
      };
    }
    case 'collect-triage': {
      const document = await collectTriage({ hashPaths: action.hashPaths });
      return {
        status: 'applied',
        detail: `${document.processes.length} processes, ${document.connections.length} sockets`,
        output: document,
      };
    }
    case 'reachability-test': {
      const report = await runReachabilityTest(action.probes, action.timeoutMs);
      const connected = report.probes.filter((p) => p.outcome === 'connected').length;
      return {
        status: 'applied',
        detail: `${report.probes.length} probes, ${connected} connected`,
        output: report,
      };
    }
  }
}
