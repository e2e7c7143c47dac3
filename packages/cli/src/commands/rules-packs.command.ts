/**
 * `cordon rules update | list | enable | disable`: detection content on first start. `update`
 * downloads the pinned SigmaHQ release, checks its SHA-256 and/or its Ed25519 signature by a
 * configured key, unpacks it safely under the data
 * directory (with its licence and attribution) and counts the rules that load; `cordon serve`
 * loads installed packs at start. `enable` / `disable` turn a pack on or off for one tenant
 * (journaled, with a reason); `list` shows the packs and a tenant's choices.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { RulePackService, systemClock } from '@cordon/core';
import {
  installedRulePacks,
  installRulePack,
  RulePackError,
  rulePacksDir,
  SHIPPED_RULE_PACK,
  sigmaHqReleaseFrom,
} from '@cordon/server/rule-packs';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  resolveDataDir,
  withAdminContext,
} from '../admin/admin-context.ts';

export const rulesUpdateCommand: Command = {
  name: 'rules update',
  summary: 'Download, verify and install the pinned SigmaHQ rule release',
  help: [
    'Usage: cordon rules update [--url URL] [--sha256 HEX] [--public-key FILE [--signature-url URL]] [--release-version V] [--json]',
    '',
    'Options:',
    '  --url URL              release archive (.tar.gz; default the pinned SigmaHQ release, or CORDON_SIGMAHQ_URL)',
    '  --sha256 HEX           its SHA-256 (default the pinned one, or CORDON_SIGMAHQ_SHA256)',
    '  --public-key FILE      an Ed25519 public key (PEM) the archive must be signed with (or CORDON_RULES_PUBLIC_KEY)',
    '  --signature-url URL    where its signature is (default URL.sig, or CORDON_RULES_SIGNATURE_URL)',
    '  --release-version V    the version to record (default the pinned one, or CORDON_SIGMAHQ_VERSION)',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        url: { type: 'string' },
        sha256: { type: 'string' },
        'public-key': { type: 'string' },
        'signature-url': { type: 'string' },
        'release-version': { type: 'string' },
      },
      strict: true,
    });
    const keyFile = values['public-key'] ?? (io.env['CORDON_RULES_PUBLIC_KEY'] || undefined);
    let publicKeyPem: string | undefined;
    if (keyFile !== undefined) {
      try {
        publicKeyPem = await readFile(keyFile, 'utf8');
      } catch (error) {
        io.stderr.write(
          `cordon: rules update refused (bad_signature_input): cannot read the public key ${keyFile}: ${(error as Error).message}\n`,
        );
        return 1;
      }
    }
    const release = sigmaHqReleaseFrom(io.env, {
      ...(publicKeyPem === undefined ? {} : { publicKeyPem }),
      ...(values['signature-url'] === undefined ? {} : { signatureUrl: values['signature-url'] }),
      ...(values.url === undefined ? {} : { url: values.url }),
      ...(values.sha256 === undefined ? {} : { sha256: values.sha256 }),
      ...(values['release-version'] === undefined ? {} : { version: values['release-version'] }),
    });
    const packsDir = rulePacksDir(resolveDataDir(values['data-dir'], io));
    try {
      const manifest = await installRulePack({ packsDir, release });
      if (values.json) printJson(io, manifest);
      else
        io.stdout.write(
          `installed ${manifest.pack} ${manifest.version} (sha256 ${manifest.sha256}): ${manifest.rules.loaded} rules and ${manifest.rules.correlations} correlations load, ${manifest.rules.rejected} rejected; restart cordon serve to run them\n`,
        );
      return 0;
    } catch (error) {
      if (!(error instanceof RulePackError)) throw error;
      io.stderr.write(`cordon: rules update refused (${error.code}): ${error.message}\n`);
      return 1;
    }
  },
};

const tenantOptions = { ...adminOptions, tenant: { type: 'string' } } as const;

export const rulesListCommand: Command = {
  name: 'rules list',
  summary: 'List rule packs (and, with --tenant, which run for that tenant)',
  help: ['Usage: cordon rules list [--tenant ID] [--json]', '', 'Options:', adminOptionsHelp].join(
    '\n',
  ),
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: tenantOptions, strict: true });
    const installed = await installedRulePacks(
      rulePacksDir(resolveDataDir(values['data-dir'], io)),
    );
    const settings =
      values.tenant === undefined
        ? []
        : await withAdminContext(values, io, (c) =>
            new RulePackService({ store: c.store, clock: systemClock }).settings(
              c.actor,
              values.tenant!,
            ),
          );
    const rows = [
      { pack: SHIPPED_RULE_PACK, version: 'shipped', rules: undefined, installedAt: undefined },
      ...installed.map((p) => ({
        pack: p.pack,
        version: p.manifest.version,
        rules: p.manifest.rules.loaded,
        installedAt: p.manifest.installedAt,
      })),
    ].map((row) => {
      const setting = settings.find((s) => s.pack === row.pack);
      return { ...row, enabled: setting?.enabled ?? true, reason: setting?.reason };
    });
    if (values.json) printJson(io, rows);
    else
      for (const row of rows)
        io.stdout.write(
          `${row.pack}\t${row.version}\t${row.rules ?? '-'} rules\t${values.tenant === undefined ? '' : row.enabled ? 'enabled' : `disabled (${row.reason ?? ''})`}\n`,
        );
    return 0;
  },
};

function packChangeCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return {
    name: `rules ${verb}`,
    summary: `${enabled ? 'Run' : 'Stop running'} a rule pack for one tenant (journaled)`,
    help: [
      `Usage: cordon rules ${verb} PACK --tenant ID --reason TEXT [--json]`,
      '',
      'Options:',
      adminOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { ...tenantOptions, reason: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length !== 1) throw new UsageError(`rules ${verb} takes one PACK`);
      if (values.tenant === undefined) throw new UsageError(`rules ${verb} needs --tenant`);
      if (values.reason === undefined) throw new UsageError(`rules ${verb} needs --reason`);
      const installed = await installedRulePacks(
        rulePacksDir(resolveDataDir(values['data-dir'], io)),
      );
      const known = [SHIPPED_RULE_PACK, ...installed.map((p) => p.pack)];
      const setting = await withAdminContext(values, io, (c) =>
        new RulePackService({ store: c.store, clock: systemClock }).change(
          c.actor,
          values.tenant!,
          { pack: positionals[0]!, enabled, reason: values.reason! },
          known,
        ),
      );
      if (values.json) printJson(io, setting);
      else io.stdout.write(`${verb}d ${setting.pack} for tenant ${setting.tenantId}\n`);
      return 0;
    },
  };
}

export const rulesEnableCommand = packChangeCommand(true);
export const rulesDisableCommand = packChangeCommand(false);
