/**
 * The agent gateway: agents connect here over WebSocket (TLS is the gateway listener's), prove
 * who they are (challenge signed with the agent key, or a one-time enrolment token), then send
 * heartbeats, telemetry and signed results; the gateway sends commands signed with the server
 * key. Everything it knows is in the store (agents, actions, tokens): there is no second set
 * of records to drift from it. Before a peer has authenticated it gets a small budget
 * (`PreAuthAdmission`); after, its frames are handled one at a time, in order, with
 * backpressure on the socket. `enrolled` is only ever sent in answer to an `enrol`.
 */
import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { identityOf, sameIdentity } from '@cordon/core';
import type { AgentRecord, Store } from '@cordon/core';
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
import { reportIdentity } from './agent-identity.ts';
import {
  MAX_AUTHENTICATED_FRAME_BYTES,
  boundedTelemetry,
  hostFactsProblem,
} from './agent-message-limits.ts';
import type { ActionQueue } from './action-queue.ts';
import { enrolmentSecretHash } from './enrolment-tokens.ts';
import { DEFAULT_PRE_AUTH_LIMITS, PreAuthAdmission } from './pre-auth-admission.ts';
import type { PreAuthLimits, PreAuthTicket } from './pre-auth-admission.ts';

export const AGENT_GATEWAY_PATH = '/api/v1/agents/connect';

/** Frames waiting for their turn on one connection before the socket is paused. */
const MAX_FRAME_BACKLOG = 8;

export interface AgentGatewayOptions {
  readonly store: Store;
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
  /** Something an agent sent that was dropped or refused (logged; never the agent's fault alone). */
  readonly onRefused?: (message: string, context: Record<string, unknown>) => void;
  readonly now?: () => number;
  /** How long a sent command stays valid; default 5 minutes. */
  readonly commandTtlMs?: number;
  readonly path?: string;
  readonly preAuth?: Partial<PreAuthLimits>;
}

interface Session {
  readonly socket: WebSocket;
  readonly challenge: string;
  readonly ticket: PreAuthTicket;
  /** new → authenticating (its one frame is being handled) → authenticated. */
  stage: 'new' | 'authenticating' | 'authenticated';
  tenantId?: string;
  agentId?: string;
  backlog: number;
  chain: Promise<void>;
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
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_AUTHENTICATED_FRAME_BYTES,
    // A compressed frame is a decompression bomb waiting to happen; agents never ask for it.
    perMessageDeflate: false,
  });
  readonly #admission: PreAuthAdmission;
  readonly #connected = new Map<string, Session>();
  readonly #now: () => number;
  readonly serverPublicKey: string;

  constructor(options: AgentGatewayOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#admission = new PreAuthAdmission({ ...DEFAULT_PRE_AUTH_LIMITS, ...options.preAuth });
    this.serverPublicKey = options.serverKey.publicKey.export({ format: 'jwk' }).x ?? '';
  }

  /** Takes over WebSocket upgrades on the gateway path of an HTTP(S) server. */
  attach(server: Server): void {
    const path = this.#options.path ?? AGENT_GATEWAY_PATH;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://x').pathname !== path) return;
      const ticket = this.#admission.admit(socket, request.socket.remoteAddress ?? '');
      if (ticket === undefined) {
        socket.end(
          'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
      this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, ticket));
    });
  }

  /** Connections that have not authenticated yet (bounded by `preAuth`). */
  get unauthenticatedConnections(): number {
    return this.#admission.pending;
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
    if ((await this.#agent(tenantId, agentId)) === undefined) {
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
   * Consumes a one-time token and records a new agent with its public key, its identity (the
   * host name and addresses it enrols with) and host facts, in one transaction with the
   * journal entry (the WebSocket `enrol` frame, or `POST /api/v1/agents/enrol`). undefined:
   * token bad, used or expired.
   */
  async enrol(
    request: { readonly token: string; readonly publicKey: string; readonly facts: HostFacts },
    online = false,
  ): Promise<{ tenantId: string; agentId: string; serverPublicKey: string } | undefined> {
    const now = this.#now();
    const secretHash = enrolmentSecretHash(request.token);
    if (secretHash === undefined) return undefined;
    const agentId = `agent-${randomBytes(8).toString('hex')}`;
    const identity = identityOf(request.facts);
    const tenantId = await this.#options.store.transaction(async (uow) => {
      const grant = await uow.enrolmentTokens.consume(secretHash, now);
      if (grant === undefined) return undefined;
      const scope = uow.forTenant(grant.tenantId);
      await scope.containment.agents.put({
        tenantId: grant.tenantId,
        agentId,
        publicKey: request.publicKey,
        enrolledAt: now,
        identity,
        facts: request.facts,
        online,
        lastSeenAt: now,
        telemetrySeq: 0,
      });
      await uow.enrolmentTokens.recordAgent(grant.id, agentId);
      await scope.journal.append({
        actor: `agent:${agentId}`,
        kind: 'agent.enrolled',
        payload: { agentId, hostname: identity.hostname, addresses: identity.addresses },
      });
      return grant.tenantId;
    });
    if (tenantId === undefined) return undefined;
    return { tenantId, agentId, serverPublicKey: this.serverPublicKey };
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket, ticket: PreAuthTicket): void {
    const session: Session = {
      socket,
      ticket,
      challenge: randomBytes(16).toString('hex'),
      stage: 'new',
      backlog: 0,
      chain: Promise.resolve(),
    };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.#enqueue(session, (data as Buffer).toString('utf8'));
    });
    // After close() the store may be gone: the agent simply shows offline from its last state.
    socket.on('close', () => void this.#onClose(session).catch(() => undefined));
    socket.on('error', () => undefined);
    this.#send(session, { kind: 'challenge', nonce: session.challenge });
  }

  /**
   * Frames of one connection are handled in order, one at a time (a heartbeat and a telemetry
   * batch must not both read and write the agent's record at once); a peer that sends faster
   * than they are handled is paused rather than buffered without end.
   */
  #enqueue(session: Session, text: string): void {
    // Before welcome the protocol has one frame (enrol or hello): a second while it is being
    // handled is refused at once, not queued behind it.
    if (session.stage !== 'authenticated' && session.backlog > 0) {
      this.#refuse(session, 'not-authenticated', 'one frame before welcome');
      return;
    }
    session.backlog += 1;
    if (session.backlog > MAX_FRAME_BACKLOG) session.socket.pause();
    session.chain = session.chain
      .then(() => this.#onFrame(session, text))
      .catch(() => session.socket.terminate())
      .finally(() => {
        session.backlog -= 1;
        if (session.backlog <= MAX_FRAME_BACKLOG / 2 && session.socket.isPaused)
          session.socket.resume();
      });
  }

  #send(session: Session, message: ServerMessage): void {
    session.socket.send(JSON.stringify(message));
  }

  #refuse(session: Session, code: string, message: string): void {
    this.#send(session, { kind: 'error', code, message });
    session.socket.close();
  }

  async #onFrame(session: Session, text: string): Promise<void> {
    // Refused already (a second frame before welcome): anything still queued is dropped.
    if (session.stage === 'authenticating') return;
    const decoded = decodeAgentMessage(text);
    if (!decoded.ok) {
      this.#refuse(session, 'bad-frame', decoded.error);
      return;
    }
    const message = decoded.message;
    if (session.stage === 'new') {
      session.stage = 'authenticating';
      if (message.kind !== 'enrol' && message.kind !== 'hello') {
        this.#refuse(session, 'not-authenticated', 'answer the challenge first');
        return;
      }
      if (message.kind === 'enrol') await this.#onEnrol(session, message);
      else await this.#onHello(session, message);
      return;
    }
    await this.#handle(session, message);
  }

  async #onEnrol(session: Session, message: AgentMessage & { kind: 'enrol' }): Promise<void> {
    const problem = hostFactsProblem(message.facts);
    if (problem !== undefined) {
      this.#refuse(session, 'bad-facts', problem);
      return;
    }
    const enrolled = await this.enrol(message, true);
    if (enrolled === undefined) {
      this.#refuse(session, 'bad-token', 'enrolment token unknown, used or expired');
      return;
    }
    // The only place `enrolled` is sent: in answer to this connection's own `enrol`.
    this.#send(session, {
      kind: 'enrolled',
      tenantId: enrolled.tenantId,
      agentId: enrolled.agentId,
      serverPublicKey: this.serverPublicKey,
    });
    await this.#authenticated(session, enrolled.tenantId, enrolled.agentId);
  }

  async #onHello(session: Session, message: AgentMessage & { kind: 'hello' }): Promise<void> {
    const record = await this.#agent(message.tenantId, message.agentId);
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
    await this.#putAgent({ ...record, online: true, lastSeenAt: this.#now() });
    await this.#authenticated(session, message.tenantId, message.agentId);
  }

  async #handle(session: Session, message: AgentMessage): Promise<void> {
    const now = this.#now();
    switch (message.kind) {
      case 'enrol':
      case 'hello':
        this.#send(session, {
          kind: 'error',
          code: 'already-authenticated',
          message: `${message.kind} after welcome`,
        });
        return;
      case 'heartbeat': {
        const record = await this.#record(session);
        if (record === undefined) return;
        const problem = hostFactsProblem(message.facts);
        if (problem !== undefined) {
          this.#send(session, { kind: 'error', code: 'bad-facts', message: problem });
          return;
        }
        await this.#putAgent({ ...record, facts: message.facts, online: true, lastSeenAt: now });
        // Another name or address than the one it enrolled with: filed for an incident lead,
        // never taken over (targeting goes by `identity`, which this does not touch).
        if (
          !sameIdentity(record.identity, identityOf(message.facts)) &&
          !(await reportIdentity(this.#options.store, record, identityOf(message.facts), now))
        )
          this.#options.onRefused?.('identity claims over the daily limit not filed', {
            tenantId: record.tenantId,
            agentId: record.agentId,
          });
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
          const { kept, dropped } = boundedTelemetry(message.events);
          if (dropped > 0)
            this.#options.onRefused?.('telemetry events over the size limit dropped', {
              tenantId: record.tenantId,
              agentId: record.agentId,
              seq: message.seq,
              dropped,
            });
          if (kept.length > 0)
            await this.#options.onTelemetry?.(record.tenantId, record.agentId, kept);
          await this.#putAgent({ ...record, telemetrySeq: message.seq, lastSeenAt: now });
        }
        this.#send(session, { kind: 'telemetry-ack', seq: message.seq });
        return;
      }
      case 'result':
        await this.#onResult(session, message.result);
        return;
    }
  }

  #agent(tenantId: string, agentId: string): Promise<AgentRecord | undefined> {
    return this.#options.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.get(agentId),
    );
  }

  #putAgent(record: AgentRecord): Promise<void> {
    return this.#options.store.transaction(async (uow) =>
      uow.forTenant(record.tenantId).containment.agents.put(record),
    );
  }

  async #record(session: Session): Promise<AgentRecord | undefined> {
    if (session.tenantId === undefined || session.agentId === undefined) return undefined;
    return this.#agent(session.tenantId, session.agentId);
  }

  async #authenticated(session: Session, tenantId: string, agentId: string): Promise<void> {
    session.tenantId = tenantId;
    session.agentId = agentId;
    session.stage = 'authenticated';
    session.ticket.authenticated();
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
    if (record !== undefined) await this.#putAgent({ ...record, online: false });
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
        await this.#putAgent({
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
