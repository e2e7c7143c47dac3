/** `cordon token create --tenant T --role R` and `cordon token revoke`. */
import { ROLES, isRole } from '@cordon/core';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  withAdminContext,
} from '../admin/admin-context.ts';

export const tokenCreateCommand: Command = {
  name: 'token create',
  summary: 'Create an API token scoped to one tenant and one role',
  help: [
    'Usage: cordon token create --tenant T --role R [--name N] [--json]',
    '',
    'The token is printed once; only its hash is stored.',
    '',
    'Options:',
    '  --tenant T  tenant id or name',
    `  --role R    ${ROLES.filter((r) => r !== 'platform_admin').join(', ')}`,
    '  --name N    a label for the token',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
      },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('--tenant is required');
    if (!values.role || !isRole(values.role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const role = values.role;
    const tenantRef = values.tenant;
    const { token, record } = await withAdminContext(values, io, async (c) => {
      const tenant = await c.access.resolveTenant(tenantRef);
      return c.access.createToken(c.actor, {
        tenantId: tenant.id,
        role,
        ...(values.name ? { name: values.name } : {}),
      });
    });
    if (values.json)
      printJson(io, { token, id: record.id, tenantId: record.tenantId, role: record.role });
    else io.stdout.write(`token (shown once): ${token}\nid: ${record.id}\n`);
    return 0;
  },
};

export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  summary: 'Revoke an API token',
  help: ['Usage: cordon token revoke --tenant T TOKEN_ID', '', 'Options:', adminOptionsHelp].join(
    '\n',
  ),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...adminOptions, tenant: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (!values.tenant || positionals.length !== 1 || !positionals[0])
      throw new UsageError('give --tenant and one TOKEN_ID');
    const tenantRef = values.tenant;
    const tokenId = positionals[0];
    await withAdminContext(values, io, async (c) =>
      c.access.revokeToken(c.actor, (await c.access.resolveTenant(tenantRef)).id, tokenId),
    );
    if (values.json) printJson(io, { revoked: tokenId });
    else io.stdout.write(`revoked ${tokenId}\n`);
    return 0;
  },
};
