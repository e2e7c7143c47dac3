/**
 * The shipped playbooks are valid CACAO 2.0: against the official JSON schemas (test data in
 * ../shared/data, never needed at run time; draft 2020-12 because they use
 * unevaluatedProperties) and against Cordon's own validator, which the server uses.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { parsePlaybookText, validatePlaybook } from '@cordon/core';
import { describe, expect, it } from 'vitest';
import { SHIPPED_PLAYBOOK_DIR } from '../src/index.ts';

const SCHEMA_DIR = fileURLToPath(
  new URL('../../../../shared/data/standards/cacao-2.0/schemas/', import.meta.url),
);
const shipped = readdirSync(SHIPPED_PLAYBOOK_DIR).filter((f) => f.endsWith('.json'));
const read = (file: string): unknown =>
  JSON.parse(readFileSync(join(SHIPPED_PLAYBOOK_DIR, file), 'utf8'));

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? schemaFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

function officialValidator() {
  // The schemas say draft-07 but use 2019-09 keywords; they are read as 2020-12.
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  for (const file of schemaFiles(SCHEMA_DIR)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    ajv.addSchema(schema, schema['$id'] as string);
  }
  const playbookId = (
    JSON.parse(readFileSync(join(SCHEMA_DIR, 'playbook.json'), 'utf8')) as { $id: string }
  ).$id;
  return ajv.getSchema(playbookId)!;
}

describe('shipped playbooks', () => {
  it('are six: one per response the issue names', () => {
    expect(shipped.sort()).toEqual([
      'c2-beaconing.json',
      'compromised-credentials.json',
      'malware-workstation.json',
      'ransomware.json',
      'suspicious-powershell.json',
      'web-server-compromise.json',
    ]);
  });

  it.skipIf(!existsSync(SCHEMA_DIR))('validate against the official CACAO 2.0 schemas', () => {
    const validate = officialValidator();
    for (const file of shipped) {
      const ok = validate(read(file));
      expect(validate.errors ?? [], `${file} (${relative(process.cwd(), SCHEMA_DIR)})`).toEqual([]);
      expect(ok).toBe(true);
    }
  });
  if (!existsSync(SCHEMA_DIR))
    console.warn(`skipping the CACAO schema check: ${SCHEMA_DIR} is absent`);

  it.skipIf(!existsSync(SCHEMA_DIR))(
    'the official schemas do refuse a broken playbook (the check can fail)',
    () => {
      const validate = officialValidator();
      const broken = structuredClone(read('ransomware.json')) as {
        workflow: Record<string, { type: string }>;
      };
      const [first] = Object.keys(broken.workflow);
      broken.workflow[first!]!.type = 'teleport';
      expect(validate(broken)).toBe(false);
      expect(validate({ ...(read('ransomware.json') as object), spec_version: 'cacao-1.0' })).toBe(
        false,
      );
    },
  );

  it("pass Cordon's validator, and each uses manual steps with phases, agent actions and a condition", () => {
    let parallel = 0;
    let approvals = 0;
    for (const file of shipped) {
      const parsed = parsePlaybookText(readFileSync(join(SHIPPED_PLAYBOOK_DIR, file), 'utf8'));
      expect(parsed.ok).toBe(true);
      const result = validatePlaybook(parsed.ok ? parsed.value : undefined);
      expect(result.ok ? [] : result.problems, file).toEqual([]);
      const text = readFileSync(join(SHIPPED_PLAYBOOK_DIR, file), 'utf8');
      expect(text, file).toContain('"type": "manual"');
      expect(text, file).toContain('"phase": ');
      expect(text, file).toContain('"type": "x-cordon-agent-action"');
      expect(text, file).toContain('"type": "if-condition"');
      if (text.includes('"type": "parallel"')) parallel += 1;
      if (text.includes('"type": "x-cordon-approval"')) approvals += 1;
    }
    expect(parallel).toBeGreaterThan(0);
    expect(approvals).toBeGreaterThan(0);
  });
});
