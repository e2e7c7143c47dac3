/**
 * `npm run attack:catalogue [-- --input BUNDLE]`: regenerates the ATT&CK catalogue Cordon
 * ships (packages/core/src/attack/enterprise-attack.catalogue.json) from MITRE's Enterprise
 * ATT&CK STIX bundle. The bundle is not shipped; only the compact catalogue is committed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attackSourceLine,
  buildAttackCatalogue,
  formatAttackCatalogue,
} from '../src/attack/build-attack-catalogue.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const args = process.argv.slice(2);
const inputAt = args.indexOf('--input');
const input =
  inputAt >= 0 && args[inputAt + 1]
    ? resolve(args[inputAt + 1]!)
    : resolve(root, '../shared/data/attack/enterprise-attack.json');
const output = join(here, '../src/attack/enterprise-attack.catalogue.json');

if (!existsSync(input)) {
  console.error(
    `no ATT&CK bundle at ${input} (pass --input PATH to MITRE's enterprise-attack.json)`,
  );
  process.exit(1);
}
const sourceFile = join(dirname(input), 'SOURCE.txt');
const catalogue = buildAttackCatalogue(JSON.parse(readFileSync(input, 'utf8')), {
  source: attackSourceLine(existsSync(sourceFile) ? readFileSync(sourceFile, 'utf8') : undefined),
});
writeFileSync(output, formatAttackCatalogue(catalogue));
console.log(
  `wrote ${output}: ${catalogue.tactics.length} tactics, ${catalogue.techniques.length} techniques, ${catalogue.mitigations.length} mitigations (content ${catalogue.version})`,
);
