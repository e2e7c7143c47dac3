/**
 * The agent process: reconcile containment state, connect to the server, authenticate (enrol
 * or answer the challenge), then heartbeat, ship telemetry from the spool, and execute signed
 * commands. Every command goes through protocol's `verifyCommand`; its nonce is stored before
 * the action runs; the result (or the rejection) is signed with the agent key and kept in an
 * outbox until the server acknowledges it.
 *
 * TLS pinning only says the peer holds the server's certificate; the signing key is what makes
 * it the server. So nothing the server sends unsigned changes what the agent trusts: `enrolled`
 * is taken only on an unenrolled agent, in answer to the `enrol` it sent on that connection,
 * and never replaces a stored key; the server key changes only by a `rotate-server-key`
 * command signed with the current one.
 */
import { lookup } from 'node:dns/promises';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  decodeServerMessage,
  encodeBase64url,
  helloSigningBytes,
  parseEnrolmentToken,
  signCommandResult,
  verifyCommand,
  verifyReleaseCode,
} from '@cordon/protocol';
import type {
  AgentMessage,
  CommandResultBody,
  ReleaseCodeVerification,
  ServerMessage,
} from '@cordon/protocol';
import { executeAction } from '../actions/action-executor.ts';
import { FileQuarantine } from '../actions/file-quarantine.ts';
import { QuarantineGuard } from '../actions/quarantine-guard.ts';
import { accountSafeguards } from '../actions/account-safeguards.ts';
import { AgentError } from '../agent-error.ts';
import { BlockList } from '../isolation/block-list.ts';
import { HostIsolation } from '../isolation/host-isolation.ts';
import type { IsolationReport } from '../isolation/host-isolation.ts';
import type { Endpoint, IsolationPolicy } from '../isolation/isolation-policy.ts';
import { AgentStateStore } from '../state/agent-state.ts';
import { ConnectionWatch } from '../telemetry/connection-watch.ts';
import { LogTail } from '../telemetry/log-tail.ts';
import { ProcessWatch } from '../telemetry/process-watch.ts';
import type { TelemetryCollector } from '../telemetry/telemetry-event.ts';
import { TelemetrySpool } from '../telemetry/telemetry-spool.ts';
import type { AgentConfig } from './agent-config.ts';
import { decodePublicKey, loadOrCreateAgentKey, verifyEd25519 } from './agent-keys.ts';
import type { AgentKey } from './agent-keys.ts';
import { loadEnrolment, replaceServerKey, saveEnrolment } from './enrolment.ts';
import type { Enrolment } from './enrolment.ts';
import { collectHostFacts } from './host-facts.ts';
import { NonceStore } from './nonce-store.ts';
import { ResultOutbox } from './result-outbox.ts';
import { ServerConnection } from './server-connection.ts';

export type AgentLogger = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export const stderrLogger: AgentLogger = (level, message, fields) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
  );
};

export interface AgentRuntimeOptions {
  readonly config: AgentConfig;
  readonly logger?: AgentLogger;
  readonly now?: () => number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

const MAX_EVENTS_PER_BATCH = 500;

/** Resolves the server URL's host to the endpoints isolation must keep open. */
export async function serverEndpoints(config: AgentConfig): Promise<Endpoint[]> {
  if (config.isolation.server !== undefined) return [...config.isolation.server];
  const url = new URL(config.serverUrl);
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await lookup(host, { all: true });
  return addresses.map((entry) => ({ address: entry.address, port }));
}

export class AgentRuntime {
  readonly config: AgentConfig;
  readonly #log: AgentLogger;
  readonly #now: () => number;
  readonly #backoff: { baseMs: number; maxMs: number } | undefined;
  readonly store: AgentStateStore;
  #key!: AgentKey;
  #enrolment: Enrolment | undefined;
  #nonces!: NonceStore;
  #spool!: TelemetrySpool;
  #connection: ServerConnection | undefined;
  #server: Endpoint[] = [];
  #isolation!: HostIsolation;
  #blockList!: BlockList;
  #quarantine!: FileQuarantine;
  #collectors: TelemetryCollector[] = [];
  #timers: NodeJS.Timeout[] = [];
  #authenticated = false;
  #outbox!: ResultOutbox;
  #sentBatches = new Set<number>();
  #lastReconcile: IsolationReport | undefined;
  #polling = false;
  #inbound: Promise<void> = Promise.resolve();
  /** What this connection is waiting for; reset when a connection opens or closes. */
  #awaiting: 'challenge' | 'enrolled' | 'welcome' | 'nothing' = 'challenge';

  constructor(options: AgentRuntimeOptions) {
    this.config = options.config;
    this.#log = options.logger ?? stderrLogger;
    this.#now = options.now ?? Date.now;
    this.#backoff = options.backoff;
    this.store = new AgentStateStore(options.config.stateDir);
  }

  get enrolment(): Enrolment | undefined {
    return this.#enrolment;
  }

  get isAuthenticated(): boolean {
    return this.#authenticated;
  }

  get lastReconcile(): IsolationReport | undefined {
    return this.#lastReconcile;
  }

  get pendingTelemetryBatches(): number {
    return this.#spool.pendingCount;
  }

  /** Prepares local state and re-applies containment; does not connect. */
  async prepare(): Promise<void> {
    const { config } = this;
    await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
    this.#key = await loadOrCreateAgentKey(config.keyPath);
    this.#enrolment = await loadEnrolment(config.stateDir);
    this.#nonces = await NonceStore.open(config.stateDir, {
      enrolled: this.#enrolment !== undefined,
      now: this.#now(),
    });
    this.#outbox = await ResultOutbox.open(config.stateDir);
    this.#spool = await TelemetrySpool.open(
      join(config.stateDir, 'spool'),
      config.telemetry.spoolMaxBytes,
    );
    this.#server = await serverEndpoints(config);
    this.#isolation = new HostIsolation({
      store: this.store,
      ...(config.isolation.forbiddenTarget === undefined
        ? {}
        : { forbiddenTarget: config.isolation.forbiddenTarget }),
    });
    this.#blockList = new BlockList({ store: this.store, protectedEndpoints: () => this.#server });
    this.#quarantine = new FileQuarantine(config.quarantineDir, {
      guard: await QuarantineGuard.forAgent({
        files: [config.keyPath, ...(config.configPath === undefined ? [] : [config.configPath])],
        trees: [config.stateDir, config.quarantineDir],
      }),
    });
    // A failure here (nft missing, kernel refusing the table) is logged, not fatal: an agent
    // that stays connected can still report it and be told what to do.
    try {
      this.#lastReconcile = await this.#isolation.reconcile();
      const blocked = await this.#blockList.reconcile();
      this.#log('info', 'containment state reconciled', {
        isolation: this.#lastReconcile.detail,
        blocked,
      });
    } catch (error) {
      this.#lastReconcile = { status: 'failed', detail: String(error), serverProbes: [] };
      this.#log('error', 'could not re-apply containment state', { error: String(error) });
    }
  }

  /** Prepares, connects and starts heartbeats and telemetry. */
  async start(): Promise<void> {
    await this.prepare();
    const host = hostname();
    const { telemetry } = this.config;
    if (telemetry.logFiles.length > 0)
      this.#collectors.push(new LogTail({ paths: telemetry.logFiles, hostname: host }));
    if (telemetry.processes) this.#collectors.push(new ProcessWatch({ hostname: host }));
    if (telemetry.connections) this.#collectors.push(new ConnectionWatch({ hostname: host }));
    await this.pollTelemetry();
    this.#connection = new ServerConnection({
      url: this.config.serverUrl,
      // Connect to the addresses resolved at start: while isolated, DNS is cut off.
      addresses: this.#server.map((endpoint) => endpoint.address),
      ...this.#pin(),
      ...(this.#backoff === undefined ? {} : { backoff: this.#backoff }),
      onOpen: () => {
        this.#awaiting = 'challenge';
        this.#log('info', 'connected', { url: this.config.serverUrl });
      },
      // Frames are handled one at a time, in order: `enrolled` must be stored before `welcome`
      // is acted on, and a command's nonce recorded before the next command is checked.
      onMessage: (text) => {
        this.#inbound = this.#inbound
          .then(() => this.#onMessage(text))
          .catch((error: unknown) =>
            this.#log('error', 'message handling failed', { error: String(error) }),
          );
      },
      onClose: (reason) => {
        this.#authenticated = false;
        this.#awaiting = 'challenge';
        this.#log('warn', 'disconnected', { reason });
      },
    });
    this.#connection.start();
    this.#timers.push(
      setInterval(() => void this.#sendHeartbeat(), this.config.heartbeatIntervalMs),
      setInterval(
        () => void this.pollTelemetry().then(() => this.#flushSpool()),
        telemetry.pollIntervalMs,
      ),
    );
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#connection?.stop();
  }

  /** Polls every collector once and spools what they saw. */
  async pollTelemetry(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const events = (
        await Promise.all(this.#collectors.map((c) => c.poll().catch(() => [])))
      ).flat();
      for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) {
        await this.#spool.append(events.slice(i, i + MAX_EVENTS_PER_BATCH));
      }
    } finally {
      this.#polling = false;
    }
  }

  #pin(): { certificateSha256?: string } {
    const fromToken =
      this.config.enrolmentToken === undefined
        ? undefined
        : parseEnrolmentToken(this.config.enrolmentToken);
    const pin = this.config.serverCertificateSha256 ?? fromToken?.certificateSha256;
    return pin === undefined ? {} : { certificateSha256: pin };
  }

  #send(message: AgentMessage): boolean {
    return this.#connection?.send(message) ?? false;
  }

  async #onMessage(text: string): Promise<void> {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) {
      this.#log('warn', 'undecodable server message', { error: decoded.error });
      return;
    }
    await this.#handle(decoded.message);
  }

  async #handle(message: ServerMessage): Promise<void> {
    switch (message.kind) {
      case 'challenge':
        // One answer per connection: a peer cannot collect hellos by repeating challenges.
        if (this.#awaiting !== 'challenge') return this.#ignored(message.kind);
        await this.#answerChallenge(message.nonce);
        return;
      case 'enrolled':
        await this.#onEnrolled(message);
        return;
      case 'welcome':
        if (this.#awaiting !== 'welcome') return this.#ignored(message.kind);
        this.#awaiting = 'nothing';
        this.#authenticated = true;
        this.#connection?.markHealthy();
        await this.#sendHeartbeat();
        this.#sentBatches = new Set();
        for (const result of this.#outbox.pending) this.#send({ kind: 'result', result });
        await this.#flushSpool();
        return;
      case 'telemetry-ack':
        await this.#spool.acknowledge(message.seq);
        for (const seq of this.#sentBatches) if (seq <= message.seq) this.#sentBatches.delete(seq);
        return;
      case 'command':
        await this.#onCommand(message.command);
        return;
      case 'result-ack':
        await this.#outbox.acknowledge(message.commandId);
        return;
      case 'error':
        this.#log('warn', 'server error', { code: message.code, message: message.message });
        return;
    }
  }

  #ignored(kind: ServerMessage['kind']): void {
    this.#log('warn', `ignored an unexpected ${kind} message`, { awaiting: this.#awaiting });
  }

  /**
   * `enrolled` is unsigned (the agent has no server key yet), so it is believed only once:
   * in answer to this connection's `enrol`, on an agent with no enrolment. An enrolled agent
   * that receives one keeps its key; it is logged, for that is either a bug or an attack.
   */
  async #onEnrolled(message: Extract<ServerMessage, { kind: 'enrolled' }>): Promise<void> {
    if (this.#enrolment !== undefined || this.#awaiting !== 'enrolled') {
      this.#log('warn', 'refused an enrolled message the agent did not ask for', {
        enrolled: this.#enrolment !== undefined,
        awaiting: this.#awaiting,
      });
      return;
    }
    const enrolment: Enrolment = {
      tenantId: message.tenantId,
      agentId: message.agentId,
      serverPublicKey: message.serverPublicKey,
    };
    await saveEnrolment(this.config.stateDir, enrolment);
    this.#enrolment = enrolment;
    this.#awaiting = 'welcome';
    this.#log('info', 'enrolled', { tenantId: message.tenantId, agentId: message.agentId });
  }

  async #rotateServerKey(publicKey: string): Promise<string> {
    const enrolment = this.#enrolment;
    if (enrolment === undefined) throw new AgentError('invalid-config', 'not enrolled');
    if (publicKey === enrolment.serverPublicKey)
      throw new AgentError('invalid-parameter', 'that is already the server key');
    // Persist first: a crash after this point restarts with the new key, never with neither.
    this.#enrolment = await replaceServerKey(this.config.stateDir, enrolment, publicKey);
    this.#log('warn', 'server key rotated by a command signed with the previous key');
    return `server key rotated; commands are now verified with ${publicKey}`;
  }

  async #answerChallenge(nonce: string): Promise<void> {
    const enrolment = this.#enrolment;
    if (enrolment !== undefined) {
      this.#awaiting = 'welcome';
      const signature = encodeBase64url(
        this.#key.sign(
          helloSigningBytes({
            tenantId: enrolment.tenantId,
            agentId: enrolment.agentId,
            challenge: nonce,
          }),
        ),
      );
      this.#send({
        kind: 'hello',
        tenantId: enrolment.tenantId,
        agentId: enrolment.agentId,
        challenge: nonce,
        signature,
      });
      return;
    }
    if (this.config.enrolmentToken === undefined) {
      this.#log('error', 'not enrolled and no enrolment token configured');
      return;
    }
    const facts = await collectHostFacts(await this.#isIsolated());
    this.#awaiting = 'enrolled';
    this.#send({
      kind: 'enrol',
      token: this.config.enrolmentToken,
      publicKey: this.#key.publicKey,
      facts,
    });
  }

  async #isIsolated(): Promise<boolean> {
    return (await this.store.load()).isolation.desired === 'isolated';
  }

  async #sendHeartbeat(): Promise<void> {
    if (!this.#authenticated) return;
    this.#send({
      kind: 'heartbeat',
      sentAt: this.#now(),
      facts: await collectHostFacts(await this.#isIsolated()),
    });
  }

  async #flushSpool(): Promise<void> {
    if (!this.#authenticated) return;
    // Each batch goes once per connection; a reconnect (welcome) sends the unacknowledged again.
    for (const batch of await this.#spool.pending()) {
      if (this.#sentBatches.has(batch.seq)) continue;
      if (!this.#send({ kind: 'telemetry', seq: batch.seq, events: batch.events })) return;
      this.#sentBatches.add(batch.seq);
    }
  }

  async #onCommand(envelope: unknown): Promise<void> {
    const enrolment = this.#enrolment;
    if (enrolment === undefined) return;
    const now = this.#now();
    const verdict = verifyCommand(envelope, {
      serverPublicKey: decodePublicKey(enrolment.serverPublicKey),
      verifySignature: verifyEd25519,
      tenantId: enrolment.tenantId,
      agentId: enrolment.agentId,
      now,
      seenNonces: this.#nonces,
    });
    if (!verdict.ok) {
      const { rejection } = verdict;
      this.#log('warn', 'command rejected', { ...rejection });
      await this.#report({
        ...(rejection.commandId === undefined ? {} : { commandId: rejection.commandId }),
        status: 'rejected',
        rejectionReason: rejection.reason,
        detail: rejection.detail,
      });
      return;
    }
    const { command } = verdict;
    const replayRisk = this.#nonces.replayRisk(command);
    if (replayRisk !== undefined) {
      this.#log('warn', 'command rejected', { reason: 'replayed-nonce', detail: replayRisk });
      await this.#report({
        commandId: command.commandId,
        status: 'rejected',
        rejectionReason: 'replayed-nonce',
        detail: replayRisk,
      });
      return;
    }
    await this.#nonces.record(command.nonce, command.expiresAt, now);
    this.#log('info', 'command accepted', {
      commandId: command.commandId,
      action: command.action.kind,
    });
    const outcome = await executeAction(
      command.action,
      {
        isolation: this.#isolation,
        blockList: this.#blockList,
        quarantine: this.#quarantine,
        rotateServerKey: (publicKey) => this.#rotateServerKey(publicKey),
        accountSafeguards: await accountSafeguards({
          ownedPaths: [
            this.config.stateDir,
            this.config.keyPath,
            ...(this.config.configPath === undefined ? [] : [this.config.configPath]),
          ],
        }),
        basePolicy: (): IsolationPolicy => ({
          server: this.#server,
          allow: this.config.isolation.allow,
        }),
        ...(this.config.persistenceRoot === undefined
          ? {}
          : { persistenceRoot: this.config.persistenceRoot }),
      },
      command.commandId,
    );
    await this.#report({
      commandId: command.commandId,
      status: outcome.status,
      detail: outcome.detail,
      ...(outcome.output === undefined ? {} : { output: outcome.output }),
    });
  }

  #report(
    result: Omit<CommandResultBody, 'version' | 'tenantId' | 'agentId' | 'completedAt'>,
  ): Promise<void> {
    const enrolment = this.#enrolment;
    if (enrolment === undefined) return Promise.resolve();
    const signed = signCommandResult(
      {
        version: 1,
        tenantId: enrolment.tenantId,
        agentId: enrolment.agentId,
        completedAt: this.#now(),
        ...result,
      },
      this.#key.sign,
    );
    this.#send({ kind: 'result', result: signed });
    return this.#outbox.add(signed);
  }
}

/**
 * Break-glass release with an offline code from the server, for when the host cannot reach
 * it. The code is checked against the enrolled server key and this agent's identity, and can
 * be used once.
 */
export async function releaseWithOfflineCode(
  config: AgentConfig,
  code: string,
  now = Date.now(),
): Promise<ReleaseCodeVerification & { report?: IsolationReport }> {
  const enrolment = await loadEnrolment(config.stateDir);
  if (enrolment === undefined)
    throw new AgentError(
      'invalid-config',
      'agent is not enrolled: no server key to check the code with',
    );
  const store = new AgentStateStore(config.stateDir);
  const state = await store.load();
  const verdict = verifyReleaseCode(code, {
    tenantId: enrolment.tenantId,
    agentId: enrolment.agentId,
    serverPublicKey: decodePublicKey(enrolment.serverPublicKey),
    verifySignature: verifyEd25519,
    now,
    usedCodeIds: new Set(state.usedReleaseCodes.map((entry) => entry.codeId)),
  });
  if (!verdict.ok) return verdict;
  // Mark the code used before acting on it: a crash must not leave it reusable.
  await store.update((current) => ({
    ...current,
    usedReleaseCodes: [
      ...current.usedReleaseCodes.filter((entry) => entry.expiresAt > now),
      { codeId: verdict.codeId, expiresAt: verdict.expiresAt },
    ],
  }));
  const isolation = new HostIsolation({ store });
  const report = await isolation.release({ reason: `offline release code ${verdict.codeId}` });
  return { ...verdict, report };
}
