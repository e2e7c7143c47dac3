/**
 * The OASIS STIX 2.1 JSON schemas shipped in ../shared/data (test data, never needed at run
 * time), compiled with Ajv (draft 2020-12, formats checked): every schema registered under its
 * own `$id`, so their relative `$ref`s resolve locally and nothing is fetched.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const STIX_SCHEMA_DIR = fileURLToPath(
  new URL('../../../../../shared/data/standards/stix-2.1/schemas/', import.meta.url),
);
export const stixSchemasPresent = existsSync(STIX_SCHEMA_DIR);

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? schemaFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

export interface StixValidators {
  /** The validator of an object's type (sdos/, sros/, observables/), or of `bundle`. */
  forType(type: string): ValidateFunction;
}

export function stixValidators(): StixValidators {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  const byType = new Map<string, string>();
  for (const file of schemaFiles(STIX_SCHEMA_DIR)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string; title?: string };
    ajv.addSchema(schema, schema.$id);
    const folder = file.split('/').at(-2)!;
    if (['sdos', 'sros', 'observables'].includes(folder) || schema.title === 'bundle')
      byType.set(file.split('/').at(-1)!.replace('.json', ''), schema.$id);
  }
  return {
    forType: (type) => {
      const id = byType.get(type);
      if (!id) throw new Error(`no shipped STIX schema for type ${type}`);
      return ajv.getSchema(id)!;
    },
  };
}
