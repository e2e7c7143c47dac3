/** What enrolment taught the agent, persisted in `enrolment.json` in its state directory. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.ts';

export interface Enrolment {
  readonly tenantId: string;
  readonly agentId: string;
  /** The server's raw Ed25519 public key, base64url: it verifies every command. */
  readonly serverPublicKey: string;
}

export function enrolmentPath(stateDir: string): string {
  return join(stateDir, 'enrolment.json');
}

export async function loadEnrolment(stateDir: string): Promise<Enrolment | undefined> {
  const text = await readFile(enrolmentPath(stateDir), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Enrolment);
}

export async function saveEnrolment(stateDir: string, enrolment: Enrolment): Promise<void> {
  await writeFileAtomic(enrolmentPath(stateDir), `${JSON.stringify(enrolment, null, 2)}\n`);
}
