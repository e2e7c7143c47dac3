/**
 * Fuzzing what crosses the agent channel: frames decoded by the server (`decodeAgentMessage`)
 * and by the agent (`decodeServerMessage`), signed commands (`verifyCommand`) and signed
 * results (`verifyCommandResult`). Properties:
 *
 * - decoding never throws: a frame is a message or a stated error;
 * - a mutated signed command or result verifies only if what it says is what was signed —
 *   its canonical body equals the original's. No mutation of the bytes on the wire can make
 *   an agent run something the server did not sign, or the server believe a result the agent
 *   did not send.
 */
import {
  canonicalJson,
  decodeAgentMessage,
  decodeBase64url,
  decodeServerMessage,
  encodeBase64url,
  signCommand,
  signCommandResult,
  verifyCommand,
  verifyCommandResult,
} from '@cordon/protocol';
import type { CommandBody, CommandResultBody, VerifyBytes } from '@cordon/protocol';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fuzz, text, utf8 } from './fuzz-kit.ts';

function keyPair(): { privateKey: KeyObject; raw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: decodeBase64url(publicKey.export({ format: 'jwk' }).x!)! };
}
const signWith = (key: KeyObject) => (message: Uint8Array) =>
  new Uint8Array(sign(null, message, key));
const verifySignature: VerifyBytes = (message, signature, publicKey) =>
  verify(
    null,
    message,
    createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(publicKey) },
      format: 'jwk',
    }),
    signature,
  );

const server = keyPair();
const agent = keyPair();
const NOW = 1_800_000_000_000;

const FACTS = {
  hostname: 'ws-1',
  os: { platform: 'linux', release: '6.1.0' },
  addresses: { v4: ['198.18.0.10'], v6: ['fd00:c0d0::a'] },
  agentVersion: '0.1.0',
  isolated: false,
};

const bodies: CommandBody[] = [
  { kind: 'block', target: '203.0.113.7' },
  { kind: 'isolate', allow: [] },
  { kind: 'kill-process', pid: 4242 },
  { kind: 'quarantine-file', path: '/tmp/dropper.bin' },
  { kind: 'disable-account', user: 'alice' },
  { kind: 'ping' },
].map((action, i) => ({
  version: 1,
  tenantId: 'tenant-a',
  agentId: 'agent-1',
  commandId: `cmd-${i}`,
  nonce: `n0nce-${i}`,
  issuedAt: NOW - 1000,
  expiresAt: NOW + 60_000,
  action: action as CommandBody['action'],
}));

const COMMAND_DICTIONARY = [
  '"kind":"isolate"',
  '"kind":"release"',
  '"agentId":"agent-2"',
  '"tenantId":"tenant-b"',
  '"expiresAt":9007199254740991',
  '"__proto__":',
  '"allow":[{"cidr":"0.0.0.0/0"}]',
  '\\u0000',
  ',',
  '{',
  '}',
  '"',
  '1e400',
  '-0',
];

describe('fuzzing the agent channel (issue 13: keep them closed)', () => {
  it('never runs a command whose signed content was changed', async () => {
    const envelopes = bodies.map((body) => signCommand(body, signWith(server.privateKey)));
    const originals = new Set(envelopes.map((e) => canonicalJson(e.body)));
    let accepted = 0;
    await fuzz({
      seed: 0xc0de,
      cases: 4000,
      samples: envelopes.map((e) => utf8(JSON.stringify(e))),
      mutation: { dictionary: COMMAND_DICTIONARY, maxBytes: 16 * 1024 },
      target: (input) => {
        let envelope: unknown;
        try {
          envelope = JSON.parse(text(input));
        } catch {
          return 0;
        }
        const verdict = verifyCommand(envelope, {
          serverPublicKey: server.raw,
          verifySignature,
          tenantId: 'tenant-a',
          agentId: 'agent-1',
          now: NOW,
          seenNonces: new Set<string>(),
        });
        if (verdict.ok) {
          accepted++;
          expect(originals.has(canonicalJson(verdict.command))).toBe(true);
        } else {
          expect(verdict.rejection.detail.length).toBeGreaterThan(0);
        }
        return 0;
      },
    });
    // The unmutated samples (and mutations that leave the content as signed) still pass.
    expect(accepted).toBeGreaterThanOrEqual(bodies.length);
  });

  it('never believes a result whose signed content was changed', async () => {
    const results = bodies.map((body): CommandResultBody => ({
      version: 1,
      tenantId: body.tenantId,
      agentId: body.agentId,
      commandId: body.commandId,
      status: 'applied',
      completedAt: NOW,
      detail: 'applied and verified',
      output: { killed: [{ pid: 4242, name: 'x' }] },
    }));
    const envelopes = results.map((body) => signCommandResult(body, signWith(agent.privateKey)));
    const originals = new Set(envelopes.map((e) => canonicalJson(e.body)));
    await fuzz({
      seed: 0xbeef,
      cases: 3000,
      samples: envelopes.map((e) => utf8(JSON.stringify(e))),
      mutation: {
        dictionary: ['"status":"failed"', '"commandId":"cmd-9"', '"agentId":"agent-2"', ','],
        maxBytes: 16 * 1024,
      },
      target: (input) => {
        let envelope: unknown;
        try {
          envelope = JSON.parse(text(input));
        } catch {
          return 0;
        }
        const verdict = verifyCommandResult(envelope, {
          agentPublicKey: agent.raw,
          verifySignature,
        });
        if (verdict.ok) expect(originals.has(canonicalJson(verdict.result))).toBe(true);
        return 0;
      },
    });
  });

  it('decodes any frame to a message or a stated error, both ways', async () => {
    const agentFrames = [
      { kind: 'hello', tenantId: 't', agentId: 'a', challenge: 'c', signature: 'sig' },
      { kind: 'heartbeat', sentAt: NOW, facts: FACTS },
      { kind: 'telemetry', seq: 1, events: [{ message: 'x' }, { a: { b: [1, 2] } }] },
      { kind: 'enrol', token: 'ce1.x', publicKey: 'A'.repeat(43), facts: FACTS },
    ];
    const serverFrames = [
      { kind: 'challenge', nonce: 'n1' },
      { kind: 'welcome', serverTime: NOW },
      { kind: 'command', command: envelopesFor() },
      { kind: 'error', code: 'x', message: 'y' },
    ];
    for (const [decode, frames, seed] of [
      [decodeAgentMessage, agentFrames, 0xa9e7],
      [decodeServerMessage, serverFrames, 0x5e7e],
    ] as const) {
      await fuzz({
        seed,
        cases: 3000,
        samples: frames.map((f) => utf8(JSON.stringify(f))),
        mutation: {
          dictionary: ['"kind":', '[', '{', '"facts":', '1e999', '"'],
          maxBytes: 64 * 1024,
        },
        target: (input) => {
          const decoded = (decode as (t: string) => { ok: boolean; error?: string })(text(input));
          if (!decoded.ok) expect(decoded.error?.length).toBeGreaterThan(0);
          return 0;
        },
      });
    }
  });
});

function envelopesFor(): unknown {
  return signCommand(bodies[0]!, signWith(server.privateKey));
}
