import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createReleaseCode,
  decodeBase32,
  decodeBase64url,
  encodeBase32,
  encodeBase64url,
  parseIpNetwork,
  signCommand,
  signCommandResult,
  verifyCommand,
  verifyCommandResult,
  verifyReleaseCode,
} from '../index.ts';
import type { CommandBody, VerifyBytes } from '../index.ts';

function keyPair(): { privateKey: KeyObject; raw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, raw: decodeBase64url(jwk.x!)! };
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
const other = keyPair();
const NOW = 1_800_000_000_000;
const body: CommandBody = {
  version: 1,
  tenantId: 'tenant-a',
  agentId: 'agent-1',
  commandId: 'cmd-1',
  nonce: 'n0nce-1',
  issuedAt: NOW - 1000,
  expiresAt: NOW + 60_000,
  action: { kind: 'block', target: '203.0.113.7' },
};
const options = {
  serverPublicKey: server.raw,
  verifySignature,
  tenantId: 'tenant-a',
  agentId: 'agent-1',
  now: NOW,
  seenNonces: new Set<string>(),
};
const reason = (envelope: unknown, overrides: Partial<typeof options> = {}) => {
  const verdict = verifyCommand(envelope, { ...options, ...overrides });
  return verdict.ok ? 'accepted' : verdict.rejection.reason;
};
const signed = (changes: Partial<CommandBody>, key = server.privateKey) =>
  signCommand({ ...body, ...changes }, signWith(key));

describe('verifyCommand', () => {
  it('accepts a well-signed command addressed to this agent', () => {
    const verdict = verifyCommand(JSON.parse(JSON.stringify(signed({}))), options);
    expect(verdict).toEqual({ ok: true, command: body });
  });

  it('rejects every forged, replayed, expired or misaddressed command with its reason', () => {
    const good = signed({});
    expect(reason({ body })).toBe('unsigned');
    expect(reason({ body, signature: '' })).toBe('unsigned');
    expect(reason({ ...good, signature: 'not-base64!' })).toBe('bad-signature');
    expect(reason(signed({}, other.privateKey))).toBe('bad-signature');
    // Tampering with any signed field after signing breaks the signature.
    expect(reason({ ...good, body: { ...body, agentId: 'agent-2' } })).toBe('bad-signature');
    expect(reason({ ...good, body: { ...body, action: { kind: 'release' } } })).toBe(
      'bad-signature',
    );
    expect(reason({ ...good, body: { ...body, extra: 1 } })).toBe('bad-signature');
    expect(reason(signed({ tenantId: 'tenant-b' }))).toBe('wrong-tenant');
    expect(reason(signed({ agentId: 'agent-2' }))).toBe('wrong-agent');
    expect(reason(signed({ issuedAt: NOW - 120_000, expiresAt: NOW - 1 }))).toBe('expired');
    expect(reason(signed({ expiresAt: NOW }))).toBe('expired');
    expect(reason(signed({ issuedAt: NOW + 60_000, expiresAt: NOW + 120_000 }))).toBe(
      'not-yet-valid',
    );
    expect(reason(good, { seenNonces: new Set(['n0nce-1']) })).toBe('replayed-nonce');
    expect(reason(signed({ expiresAt: NOW + 2 * 3600_000 }))).toBe('malformed');
    expect(reason(null)).toBe('malformed');
    expect(reason({ body: { ...body, action: { kind: 'format-disk' } }, signature: 'x' })).toBe(
      'malformed',
    );
    expect(reason(signed({ action: { kind: 'block', target: '10.0.0.1; rm -rf /' } }))).toBe(
      'malformed',
    );
    expect(
      reason(signed({ action: { kind: 'quarantine-file', path: '/tmp/../etc/shadow' } })),
    ).toBe('malformed');
  });

  it('survives hostile input without throwing', () => {
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i += 1) deep = { a: deep };
    const inputs: unknown[] = [undefined, 1, 'x', [], { body: deep, signature: 'a' }];
    inputs.push({ body: { ...body, action: deep }, signature: 'a' });
    for (const input of inputs) expect(reason(input)).toBe('malformed');
  });
});

describe('signed results', () => {
  it('verifies with the agent key and detects tampering', () => {
    const agent = keyPair();
    const result = signCommandResult(
      {
        version: 1,
        tenantId: 'tenant-a',
        agentId: 'agent-1',
        commandId: 'cmd-1',
        status: 'applied',
        completedAt: NOW,
        detail: 'isolated',
        output: { rules: 3 },
      },
      signWith(agent.privateKey),
    );
    const wire = JSON.parse(JSON.stringify(result));
    expect(verifyCommandResult(wire, { agentPublicKey: agent.raw, verifySignature }).ok).toBe(true);
    const tampered = { ...wire, body: { ...wire.body, status: 'failed' } };
    expect(verifyCommandResult(tampered, { agentPublicKey: agent.raw, verifySignature }).ok).toBe(
      false,
    );
    expect(verifyCommandResult(wire, { agentPublicKey: other.raw, verifySignature }).ok).toBe(
      false,
    );
  });
});

describe('release codes', () => {
  const claims = {
    tenantId: 'tenant-a',
    agentId: 'agent-1',
    codeId: '0123456789abcdef',
    expiresAt: NOW + 3600_000,
  };
  const verifyOptions = {
    tenantId: 'tenant-a',
    agentId: 'agent-1',
    serverPublicKey: server.raw,
    verifySignature,
    now: NOW,
    usedCodeIds: new Set<string>(),
  };

  it('accepts a code for this agent once, read back in any case and grouping', () => {
    const code = createReleaseCode(claims, signWith(server.privateKey));
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
    const spoken = code.toLowerCase().replaceAll('-', ' ');
    expect(verifyReleaseCode(spoken, verifyOptions)).toEqual({
      ok: true,
      codeId: claims.codeId,
      expiresAt: claims.expiresAt,
    });
    const used = { ...verifyOptions, usedCodeIds: new Set([claims.codeId]) };
    expect(verifyReleaseCode(code, used)).toEqual({ ok: false, reason: 'already-used' });
  });

  it('refuses codes for another agent, forged, altered or expired', () => {
    const code = createReleaseCode(claims, signWith(server.privateKey));
    const check = (text: string, overrides = {}) => {
      const verdict = verifyReleaseCode(text, { ...verifyOptions, ...overrides });
      return verdict.ok ? 'ok' : verdict.reason;
    };
    expect(check(code, { agentId: 'agent-2' })).toBe('bad-signature');
    expect(check(code, { tenantId: 'tenant-b' })).toBe('bad-signature');
    expect(check(createReleaseCode(claims, signWith(other.privateKey)))).toBe('bad-signature');
    const flipped = (code[5] === 'A' ? 'B' : 'A') + '';
    expect(check(code.slice(0, 5) + flipped + code.slice(6))).not.toBe('ok');
    expect(check(code, { now: claims.expiresAt })).toBe('expired');
    expect(check('hello')).toBe('malformed');
    expect(check('U'.repeat(124))).toBe('malformed');
  });
});

describe('encodings', () => {
  it('round-trips base32 and base64url for every length', () => {
    for (let length = 0; length < 40; length += 1) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(decodeBase32(encodeBase32(bytes))).toEqual(bytes);
      expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
      expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('parses and normalises IP networks strictly', () => {
    expect(parseIpNetwork('198.18.0.7/24')?.cidr).toBe('198.18.0.0/24');
    expect(parseIpNetwork('FD00:C0D0:0:0:0:0:0:1')?.cidr).toBe('fd00:c0d0::1');
    expect(parseIpNetwork('fd00:c0d0::1/64')?.cidr).toBe('fd00:c0d0::/64');
    expect(parseIpNetwork('::ffff:1.2.3.4')?.cidr).toBe('::ffff:102:304');
    expect(parseIpNetwork('2001:db8:0:0:1:0:0:1')?.cidr).toBe('2001:db8::1:0:0:1');
    expect(parseIpNetwork('0.0.0.0/0')?.cidr).toBe('0.0.0.0/0');
    for (const bad of [
      '1.2.3',
      '01.2.3.4',
      '1.2.3.4/33',
      '256.1.1.1',
      'fe80::1%eth0',
      '::1::2',
      '1.2.3.4 ',
      '1:2:3:4:5:6:7:8:9',
      '1.2.3.4/',
      'a.b.c.d',
      '1.2.3.4/08',
      '{ 1.2.3.4 }',
    ]) {
      expect(parseIpNetwork(bad), bad).toBeUndefined();
    }
  });
});
