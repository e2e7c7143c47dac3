/**
 * What enrolment taught the agent, persisted in `enrolment.json` in its state directory: the
 * identity the server gave it and the server key every command is verified with. The key is
 * the agent's trust anchor, so it is written once (an exclusive create: an existing file is
 * never overwritten by enrolment) and replaced only by `replaceServerKey`, which the runtime
 * calls for a `rotate-server-key` command signed with the current key. A file that is there
 * but unreadable or malformed stops the agent: treating it as "not enrolled" would let any
 * peer holding the pinned certificate enrol it again with a key of its choosing.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ED25519_PUBLIC_KEY_PATTERN } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';

export interface Enrolment {
  readonly tenantId: string;
  readonly agentId: string;
  /** The server's raw Ed25519 public key, base64url: it verifies every command. */
  readonly serverPublicKey: string;
}

const ID_TEXT = /^[A-Za-z0-9._:-]{1,128}$/;

export function enrolmentPath(stateDir: string): string {
  return join(stateDir, 'enrolment.json');
}

export async function loadEnrolment(stateDir: string): Promise<Enrolment | undefined> {
  const path = enrolmentPath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AgentError('invalid-config', `cannot read ${path}`, { cause: error });
  }
  let value: Partial<Record<keyof Enrolment, unknown>>;
  try {
    value = JSON.parse(text) as typeof value;
  } catch (error) {
    throw new AgentError('invalid-config', `${path} is not JSON`, { cause: error });
  }
  const { tenantId, agentId, serverPublicKey } = value ?? {};
  if (
    typeof tenantId !== 'string' ||
    !ID_TEXT.test(tenantId) ||
    typeof agentId !== 'string' ||
    !ID_TEXT.test(agentId) ||
    typeof serverPublicKey !== 'string' ||
    !ED25519_PUBLIC_KEY_PATTERN.test(serverPublicKey)
  ) {
    throw new AgentError('invalid-config', `${path} does not hold a valid enrolment`);
  }
  return { tenantId, agentId, serverPublicKey };
}

function serialise(enrolment: Enrolment): string {
  const { tenantId, agentId, serverPublicKey } = enrolment;
  return `${JSON.stringify({ tenantId, agentId, serverPublicKey }, null, 2)}\n`;
}

/**
 * Stores the first enrolment. Written beside the target and hard-linked into place, which
 * fails if `enrolment.json` exists: a second enrolment can never replace the server key.
 */
export async function saveEnrolment(stateDir: string, enrolment: Enrolment): Promise<void> {
  const path = enrolmentPath(stateDir);
  const temporary = join(stateDir, `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(serialise(enrolment));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AgentError(
        'invalid-parameter',
        `already enrolled: ${path} exists, not replacing it`,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  const directory = await open(stateDir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * Replaces the server key, atomically (the old file or the new, never half). Only for a
 * rotation the current key signed; the identity is kept from what is on disk.
 */
export async function replaceServerKey(
  stateDir: string,
  current: Enrolment,
  serverPublicKey: string,
): Promise<Enrolment> {
  if (!ED25519_PUBLIC_KEY_PATTERN.test(serverPublicKey))
    throw new AgentError('invalid-parameter', 'new server key is not a base64url Ed25519 key');
  const onDisk = await loadEnrolment(stateDir);
  if (onDisk?.serverPublicKey !== current.serverPublicKey)
    throw new AgentError('invalid-config', 'enrolment on disk does not hold the current key');
  const next: Enrolment = { ...onDisk, serverPublicKey };
  await writeFileAtomic(enrolmentPath(stateDir), serialise(next));
  return next;
}
