/** `cordon tenant create NAME` and `cordon tenant list`. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  withAdminContext,
} from '../admin/admin-context.ts';

export const tenantCreateCommand: Command = {
  name: 'tenant create',
  summary: 'Create a tenant (a client organisation)',
  help: ['Usage: cordon tenant create NAME [--json]', '', 'Options:', adminOptionsHelp].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: adminOptions,
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1 || !positionals[0])
      throw new UsageError('tenant create takes exactly one NAME');
    const name = positionals[0];
    const tenant = await withAdminContext(values, io, (c) => c.access.createTenant(c.actor, name));
    if (values.json) printJson(io, { id: tenant.id, name: tenant.name });
    else io.stdout.write(`created tenant ${tenant.name} (${tenant.id})\n`);
    return 0;
  },
};

export const tenantListCommand: Command = {
  name: 'tenant list',
  summary: 'List tenants',
  help: ['Usage: cordon tenant list [--json]', '', 'Options:', adminOptionsHelp].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: adminOptions, strict: true });
    const tenants = await withAdminContext(values, io, (c) => c.access.listTenants(c.actor));
    if (values.json)
      printJson(
        io,
        tenants.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: new Date(t.createdAt).toISOString(),
        })),
      );
    else for (const t of tenants) io.stdout.write(`${t.id}  ${t.name}\n`);
    return 0;
  },
};
