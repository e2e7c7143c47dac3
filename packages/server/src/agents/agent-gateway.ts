/**
 * The agent gateway: agents connect here over WebSocket (TLS is the HTTPS server's), prove who
 * they are (challenge signed with the agent key, or a one-time enrolment token), then send
 * heartbeats, telemetry and signed results; the gateway sends commands signed with the server
 * key. Actions flow from the queue: an approved action is sent as soon as its agent is
 * connected, and the agent's verified result moves it to applied, failed or rolled-back.
 */
import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createReleaseCode,
  decodeAgentMessage,
  decodeBase64url,
  encodeBase64url,
  helloSigningBytes,
  signCommand,
  verifyCommandResult,
} from '@cordon/protocol';
import type {
  AgentMessage,
  CommandResultBody,
  HostFacts,
  ServerMessage,
  SignedCommand,
  VerifyBytes,
} from '@cordon/protocol';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { AgentAction } from './agent-action.ts';
import type { AgentRegistry } from './agent-registry.ts';
import type { ActionQueue } from './action-queue.ts';
import type { EnrolmentTokenStore } from './enrolment-tokens.ts';

export const AGENT_GATEWAY_PATH = '/api/v1/agents/connect';

export interface AgentGatewayOptions {
  readonly registry: AgentRegistry;
  readonly tokens: EnrolmentTokenStore;
  readonly queue: ActionQueue;
  readonly serverKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly onTelemetry?: (
    tenantId: string,
    agentId: string,
    events: readonly Readonly<Record<string, unknown>>[],
  ) => Promise<void> | void;
  /** A refused command the gateway did not send (e.g. a forgery injected elsewhere). */
  readonly onRejection?: (tenantId: string, agentId: string, result: CommandResultBody) => void;
  /**
   * Every verified result of an action this gateway sent, after its state changed: e.g. store
   * a `collect-triage` document as evidence with its custody record.
   */
  readonly onResult?: (action: AgentAction, result: CommandResultBody) => Promise<void> | void;
  /** A new agent was recorded (journal it). */
  readonly onEnrolled?: (
    tenantId: string,
    agentId: string,
    facts: HostFacts,
  ) => Promise<void> | void;
  readonly now?: () => number;
  /** How long a sent command stays valid; default 5 minutes. */
  readonly commandTtlMs?: number;
  readonly path?: string;
}

interface Session {
  readonly socket: WebSocket;
  readonly challenge: string;
  tenantId?: string;
  agentId?: string;
}

export const verifyEd25519Raw: VerifyBytes = (message, signature, publicKey) => {
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(publicKey) },
      format: 'jwk',
    });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};

export class AgentGateway {
  readonly #options: AgentGatewayOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  readonly #connected = new Map<string, Session>();
  readonly #now: () => number;
  readonly serverPublicKey: string;

  constructor(options: AgentGatewayOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.serverPublicKey = options.serverKey.publicKey.export({ format: 'jwk' }).x ?? '';
  }

  /** Takes over WebSocket upgrades on the gateway path of an HTTP(S) server. */
  attach(server: Server): void {
    const path = this.#options.path ?? AGENT_GATEWAY_PATH;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://x').pathname !== path) return;
      this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
    });
  }

  isConnected(tenantId: string, agentId: string): boolean {
    return this.#connected.has(`${tenantId}/${agentId}`);
  }

  /** Sends an approved action to its agent if connected; returns whether it was sent. */
  async dispatch(tenantId: string, actionId: string): Promise<boolean> {
    const action = await this.#options.queue.get(tenantId, actionId);
    if (action?.state !== 'approved') return false;
    const session = this.#connected.get(`${action.tenantId}/${action.agentId}`);
    if (session === undefined) return false;
    const issuedAt = this.#now();
    const nonce = randomBytes(16).toString('hex');
    const command = signCommand(
      {
        version: 1,
        tenantId: action.tenantId,
        agentId: action.agentId,
        commandId: action.id,
        nonce,
        issuedAt,
        expiresAt: issuedAt + (this.#options.commandTtlMs ?? 5 * 60_000),
        action: action.action,
      },
      (message) => new Uint8Array(sign(null, message, this.#options.serverKey.privateKey)),
    );
    await this.#options.queue.transition(action.tenantId, action.id, 'sent', 'gateway', {
      commandNonce: nonce,
    });
    this.#send(session, { kind: 'command', command });
    return true;
  }

  /**
   * Hands a command signed elsewhere (an operator's tool, a test) to a connected agent as is.
   * The agent verifies it like any other and reports a refusal, which `onRejection` records.
   */
  deliver(tenantId: string, agentId: string, command: SignedCommand): boolean {
    const session = this.#connected.get(`${tenantId}/${agentId}`);
    if (session === undefined) return false;
    this.#send(session, { kind: 'command', command });
    return true;
  }

  /**
   * An offline release code for one agent (break glass when it cannot reach the server):
   * signed with the server key, single-use, valid for `ttlMs`. Show it to the incident lead.
   */
  async issueReleaseCode(
    tenantId: string,
    agentId: string,
    ttlMs = 24 * 3600_000,
  ): Promise<{ code: string; codeId: string; expiresAt: number }> {
    if ((await this.#options.registry.get(tenantId, agentId)) === undefined) {
      throw new Error(`no agent ${agentId} in tenant ${tenantId}`);
    }
    const codeId = randomBytes(8).toString('hex');
    const expiresAt = this.#now() + ttlMs;
    const code = createReleaseCode(
      { tenantId, agentId, codeId, expiresAt },
      (message) => new Uint8Array(sign(null, message, this.#options.serverKey.privateKey)),
    );
    return { code, codeId, expiresAt };
  }

  /**
   * Consumes a one-time token and records a new agent with its public key and host facts (the
   * WebSocket `enrol` frame, or `POST /api/v1/agents/enrol`). undefined: token bad, used or
   * expired.
   */
  async enrol(
    request: { readonly token: string; readonly publicKey: string; readonly facts: HostFacts },
    online = false,
  ): Promise<{ tenantId: string; agentId: string; serverPublicKey: string } | undefined> {
    const now = this.#now();
    const grant = await this.#options.tokens.consume(request.token, now);
    if (grant === undefined) return undefined;
    const agentId = `agent-${randomBytes(8).toString('hex')}`;
    await this.#options.registry.put({
      tenantId: grant.tenantId,
      agentId,
      publicKey: request.publicKey,
      enrolledAt: now,
      facts: request.facts,
      online,
      lastSeenAt: now,
      telemetrySeq: 0,
    });
    await this.#options.onEnrolled?.(grant.tenantId, agentId, request.facts);
    return { tenantId: grant.tenantId, agentId, serverPublicKey: this.serverPublicKey };
  }

  async close(): Promise<void> {
    for (const session of this.#connected.values()) session.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const session: Session = { socket, challenge: randomBytes(16).toString('hex') };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.#onFrame(session, (data as Buffer).toString('utf8')).catch(() => socket.terminate());
    });
    // After close() the store may be gone: the agent simply shows offline from its last state.
    socket.on('close', () => void this.#onClose(session).catch(() => undefined));
    socket.on('error', () => undefined);
    this.#send(session, { kind: 'challenge', nonce: session.challenge });
  }

  #send(session: Session, message: ServerMessage): void {
    session.socket.send(JSON.stringify(message));
  }

  #refuse(session: Session, code: string, message: string): void {
    this.#send(session, { kind: 'error', code, message });
    session.socket.close();
  }

  async #onFrame(session: Session, text: string): Promise<void> {
    const decoded = decodeAgentMessage(text);
    if (!decoded.ok) {
      this.#refuse(session, 'bad-frame', decoded.error);
      return;
    }
    const message = decoded.message;
    if (session.agentId === undefined && message.kind !== 'enrol' && message.kind !== 'hello') {
      this.#refuse(session, 'not-authenticated', 'answer the challenge first');
      return;
    }
    await this.#handle(session, message);
  }

  async #handle(session: Session, message: AgentMessage): Promise<void> {
    const { registry } = this.#options;
    const now = this.#now();
    switch (message.kind) {
      case 'enrol': {
        const enrolled = await this.enrol(message, true);
        if (enrolled === undefined) {
          this.#refuse(session, 'bad-token', 'enrolment token unknown, used or expired');
          return;
        }
        this.#send(session, {
          kind: 'enrolled',
          tenantId: enrolled.tenantId,
          agentId: enrolled.agentId,
          serverPublicKey: this.serverPublicKey,
        });
        await this.#authenticated(session, enrolled.tenantId, enrolled.agentId);
        return;
      }
      case 'hello': {
        const record = await registry.get(message.tenantId, message.agentId);
        const signature = decodeBase64url(message.signature);
        const publicKey = record === undefined ? undefined : decodeBase64url(record.publicKey);
        const valid =
          record !== undefined &&
          signature !== undefined &&
          publicKey !== undefined &&
          message.challenge === session.challenge &&
          verifyEd25519Raw(helloSigningBytes(message), signature, publicKey);
        if (!valid) {
          this.#refuse(session, 'bad-hello', 'unknown agent or hello signature invalid');
          return;
        }
        await registry.put({ ...record, online: true, lastSeenAt: now });
        await this.#authenticated(session, message.tenantId, message.agentId);
        return;
      }
      case 'heartbeat': {
        const record = await this.#record(session);
        if (record === undefined) return;
        await registry.put({ ...record, facts: message.facts, online: true, lastSeenAt: now });
        // Isolated, and now not, without a release from here: released on the host itself
        // (offline release code). The isolation it undid is reverted, so the record is true.
        if (record.facts.isolated && !message.facts.isolated)
          await this.#revertIsolations(record.tenantId, record.agentId);
        return;
      }
      case 'telemetry': {
        const record = await this.#record(session);
        if (record === undefined) return;
        // At-least-once from the agent, exactly-once into the pipeline: drop what we stored.
        if (message.seq > record.telemetrySeq) {
          await this.#options.onTelemetry?.(record.tenantId, record.agentId, message.events);
          await registry.put({ ...record, telemetrySeq: message.seq, lastSeenAt: now });
        }
        this.#send(session, { kind: 'telemetry-ack', seq: message.seq });
        return;
      }
      case 'result':
        await this.#onResult(session, message.result);
        return;
    }
  }

  async #record(session: Session) {
    if (session.tenantId === undefined || session.agentId === undefined) return undefined;
    return this.#options.registry.get(session.tenantId, session.agentId);
  }

  async #authenticated(session: Session, tenantId: string, agentId: string): Promise<void> {
    session.tenantId = tenantId;
    session.agentId = agentId;
    const key = `${tenantId}/${agentId}`;
    const previous = this.#connected.get(key);
    this.#connected.set(key, session);
    previous?.socket.terminate();
    this.#send(session, { kind: 'welcome', serverTime: this.#now() });
    const approved = await this.#options.queue.list(tenantId, { agentId, state: 'approved' });
    for (const action of approved.reverse()) await this.dispatch(tenantId, action.id);
  }

  async #onClose(session: Session): Promise<void> {
    if (session.tenantId === undefined || session.agentId === undefined) return;
    const key = `${session.tenantId}/${session.agentId}`;
    if (this.#connected.get(key) !== session) return;
    this.#connected.delete(key);
    const record = await this.#record(session);
    if (record !== undefined) await this.#options.registry.put({ ...record, online: false });
  }

  async #onResult(session: Session, result: unknown): Promise<void> {
    const record = await this.#record(session);
    if (record === undefined) return;
    const publicKey = decodeBase64url(record.publicKey) ?? new Uint8Array();
    const verified = verifyCommandResult(result, {
      agentPublicKey: publicKey,
      verifySignature: verifyEd25519Raw,
    });
    if (
      !verified.ok ||
      verified.result.tenantId !== record.tenantId ||
      verified.result.agentId !== record.agentId
    ) {
      this.#send(session, {
        kind: 'error',
        code: 'bad-result',
        message: verified.ok ? 'result names another agent' : verified.error,
      });
      return;
    }
    const body = verified.result;
    if (body.commandId !== undefined)
      this.#send(session, { kind: 'result-ack', commandId: body.commandId });
    const action =
      body.commandId === undefined
        ? undefined
        : await this.#options.queue.get(record.tenantId, body.commandId);
    if (
      action?.agentId !== record.agentId ||
      action.tenantId !== record.tenantId ||
      action.state !== 'sent'
    ) {
      if (body.status === 'rejected')
        this.#options.onRejection?.(record.tenantId, record.agentId, body);
      return;
    }
    const detail =
      body.status === 'rejected'
        ? `rejected by the agent: ${body.rejectionReason ?? ''} ${body.detail}`
        : body.detail;
    const to =
      body.status === 'applied'
        ? 'applied'
        : body.status === 'rolled-back'
          ? 'rolled-back'
          : 'failed';
    const done = await this.#options.queue.transition(
      record.tenantId,
      action.id,
      to,
      `agent:${record.agentId}`,
      { detail, result: body },
    );
    if (done.state === 'applied') {
      await this.#revertUndone(done);
      if (done.action.kind === 'isolate' || done.action.kind === 'release') {
        // Known now, not at the next heartbeat: the registry shows the isolation state at once.
        const latest = (await this.#record(session)) ?? record;
        await this.#options.registry.put({
          ...latest,
          facts: { ...latest.facts, isolated: done.action.kind === 'isolate' },
        });
      }
    }
    await this.#options.onResult?.(done, body);
  }

  async #revertIsolations(tenantId: string, agentId: string): Promise<void> {
    const applied = await this.#options.queue.list(tenantId, { agentId, state: 'applied' });
    for (const action of applied.filter((a) => a.action.kind === 'isolate')) {
      await this.#options.queue.transition(tenantId, action.id, 'reverted', `agent:${agentId}`, {
        detail:
          'isolation no longer in force on the host (released there, e.g. with an offline release code)',
      });
    }
  }

  /** A release undoes the applied isolation; an unblock undoes the matching block. */
  async #revertUndone(done: AgentAction): Promise<void> {
    const undoes = (earlier: AgentAction): boolean => {
      if (done.action.kind === 'release') return earlier.action.kind === 'isolate';
      if (done.action.kind === 'unblock' && earlier.action.kind === 'block')
        return earlier.action.target === done.action.target;
      return false;
    };
    const applied = await this.#options.queue.list(done.tenantId, {
      agentId: done.agentId,
      state: 'applied',
    });
    for (const earlier of applied) {
      if (earlier.id !== done.id && undoes(earlier)) {
        await this.#options.queue.transition(
          done.tenantId,
          earlier.id,
          'reverted',
          `agent:${done.agentId}`,
          { detail: `undone by ${done.id}` },
        );
      }
    }
  }
}
