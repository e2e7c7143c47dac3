/**
 * What a signed command asks an agent to do. Parsing checks every parameter against a narrow
 * grammar, so an executor receives addresses that are addresses and paths that are absolute
 * paths; the executor checks again against the host (file type, account existence).
 */
import { checkAllowListScope } from './allow-list-scope.ts';
import { parseAllowRule } from './allow-rule.ts';
import type { AllowRule } from './allow-rule.ts';
import { parseIpAddress, parseIpNetwork } from './ip-network.ts';
import { parsePersistenceTarget } from './persistence-target.ts';
import type { PersistenceTarget } from './persistence-target.ts';
import { WireFormatError, asRecord, readArray, readInteger, readString } from './wire-reader.ts';
import type { WireRecord } from './wire-reader.ts';

export type CommandAction =
  | { readonly kind: 'ping' }
  | { readonly kind: 'isolate'; readonly allow?: readonly AllowRule[] }
  | { readonly kind: 'release' }
  | { readonly kind: 'block'; readonly target: string }
  | { readonly kind: 'unblock'; readonly target: string }
  | { readonly kind: 'kill-process'; readonly pid: number }
  | { readonly kind: 'kill-process'; readonly name: string }
  | { readonly kind: 'quarantine-file'; readonly path: string }
  | { readonly kind: 'restore-file'; readonly quarantineId: string }
  /**
   * `force` lets an incident lead disable an account the agent would otherwise refuse (a
   * system account, one the agent or its services run as); the server sets it only for one.
   */
  | { readonly kind: 'disable-account'; readonly user: string; readonly force?: true }
  | { readonly kind: 'enable-account'; readonly user: string }
  | { readonly kind: 'collect-triage'; readonly hashPaths: readonly string[] }
  /** Eradication: removes one persistence entry and returns a copy of exactly what it removed. */
  | { readonly kind: 'remove-persistence'; readonly target: PersistenceTarget }
  /** The persistence entries the agent sees, each with the `target` that would remove it. */
  | { readonly kind: 'list-persistence' }
  /**
   * TCP connect probes from the host (verification: blocked addresses unreachable, closed
   * ports closed, service ports open). The agent reports what happened to each; the server
   * judges it. Only ever issued by a verification check, towards documented addresses.
   */
  | {
      readonly kind: 'reachability-test';
      readonly probes: readonly ReachabilityTarget[];
      readonly timeoutMs: number;
    }
  /**
   * Replaces the server key the agent verifies commands with. Like every command it must be
   * signed with the current key; from then on only `publicKey` is accepted. Never requested
   * through the API: the server issues it when its signing key changes.
   */
  | { readonly kind: 'rotate-server-key'; readonly publicKey: string };

export type CommandActionKind = CommandAction['kind'];

export interface ReachabilityTarget {
  readonly address: string;
  readonly port: number;
}

/** Bounds of a reachability test: probes per command, and each probe's timeout. */
export const REACHABILITY_LIMITS = { maxProbes: 64, minTimeoutMs: 100, maxTimeoutMs: 10_000 };

export const COMMAND_ACTION_KINDS: readonly CommandActionKind[] = [
  'ping',
  'isolate',
  'release',
  'block',
  'unblock',
  'kill-process',
  'quarantine-file',
  'restore-file',
  'disable-account',
  'enable-account',
  'collect-triage',
  'rotate-server-key',
  'remove-persistence',
  'list-persistence',
  'reachability-test',
];

/** A raw Ed25519 public key (32 bytes) in base64url without padding. */
export const ED25519_PUBLIC_KEY_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** Local account names as shadow-utils accepts them. */
export const ACCOUNT_NAME_PATTERN = /^[a-z_][a-z0-9_.-]{0,31}\$?$/;
/** A process name (`comm` or executable base name): no slashes, no control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const PROCESS_NAME_PATTERN = /^[^/\u0000-\u001f\u007f]{1,64}$/;
export const QUARANTINE_ID_PATTERN = /^[a-f0-9]{32}$/;

/** An absolute path without `.`/`..` segments, NUL or control characters. */
export function isSafeAbsolutePath(path: string): boolean {
  if (path.length < 2 || path.length > 4096 || !path.startsWith('/')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  return path
    .split('/')
    .slice(1)
    .every((segment) => segment !== '.' && segment !== '..');
}

export function parseCommandAction(value: unknown): CommandAction {
  const record = asRecord(value, 'action');
  const kind = readString(record, 'kind', { max: 32 });
  switch (kind) {
    case 'ping':
    case 'release':
    case 'list-persistence':
      return { kind };
    case 'remove-persistence':
      return { kind, target: parsePersistenceTarget(record.target) };
    case 'isolate': {
      if (record.allow === undefined) return { kind };
      const rules = readArray(record, 'allow', 256).map((entry) => parseAllowRule(entry));
      checkAllowListScope(rules.map((rule) => rule.network));
      const allow = rules.map((rule) =>
        rule.ports.length > 0
          ? { network: rule.network.cidr, ports: rule.ports }
          : { network: rule.network.cidr },
      );
      return { kind, allow };
    }
    case 'block':
    case 'unblock':
      return { kind, target: readNetwork(record) };
    case 'kill-process':
      if (record.pid !== undefined && record.name !== undefined) {
        throw new WireFormatError('kill-process takes a pid or a name, not both');
      }
      if (record.pid !== undefined) {
        return { kind, pid: readInteger(record, 'pid', { min: 2, max: 4_194_304 }) };
      }
      return { kind, name: readString(record, 'name', { max: 64, pattern: PROCESS_NAME_PATTERN }) };
    case 'quarantine-file':
      return { kind, path: readPath(record, 'path') };
    case 'restore-file':
      return {
        kind,
        quarantineId: readString(record, 'quarantineId', { pattern: QUARANTINE_ID_PATTERN }),
      };
    case 'disable-account': {
      const user = readString(record, 'user', { max: 33, pattern: ACCOUNT_NAME_PATTERN });
      if (record.force === undefined || record.force === false) return { kind, user };
      if (record.force !== true) throw new WireFormatError('force must be true when given');
      return { kind, user, force: true };
    }
    case 'enable-account':
      return { kind, user: readString(record, 'user', { max: 33, pattern: ACCOUNT_NAME_PATTERN }) };
    case 'rotate-server-key':
      return {
        kind,
        publicKey: readString(record, 'publicKey', { pattern: ED25519_PUBLIC_KEY_PATTERN }),
      };
    case 'collect-triage': {
      const hashPaths =
        record.hashPaths === undefined
          ? []
          : readArray(record, 'hashPaths', 256).map((path, index) =>
              readPath({ [`hashPaths[${index}]`]: path }, `hashPaths[${index}]`),
            );
      return { kind, hashPaths };
    }
    case 'reachability-test': {
      const probes = readArray(record, 'probes', REACHABILITY_LIMITS.maxProbes).map((entry, i) => {
        const probe = asRecord(entry, `probes[${i}]`);
        const text = readString(probe, 'address', { max: 64 });
        const address = parseIpAddress(text);
        if (address === undefined)
          throw new WireFormatError(
            `probes[${i}].address ${JSON.stringify(text)} is not an IP address`,
          );
        return { address: address.cidr, port: readInteger(probe, 'port', { min: 1, max: 65_535 }) };
      });
      if (probes.length === 0) throw new WireFormatError('a reachability test has probes');
      const timeoutMs = readInteger(record, 'timeoutMs', {
        min: REACHABILITY_LIMITS.minTimeoutMs,
        max: REACHABILITY_LIMITS.maxTimeoutMs,
      });
      return { kind, probes, timeoutMs };
    }
    default:
      throw new WireFormatError(`unknown action ${JSON.stringify(kind)}`);
  }
}

function readNetwork(record: WireRecord): string {
  const text = readString(record, 'target', { max: 64 });
  const network = parseIpNetwork(text);
  if (network === undefined) {
    throw new WireFormatError(`target ${JSON.stringify(text)} is not an IP address or CIDR`);
  }
  return network.cidr;
}

function readPath(record: WireRecord, key: string): string {
  const path = readString(record, key, { max: 4096 });
  if (!isSafeAbsolutePath(path)) {
    throw new WireFormatError(`${key} must be an absolute path without . or .. segments`);
  }
  return path;
}
