/** `cordon user create --tenant T --email E --role R [--password-stdin]`. */
import type { Role } from '@cordon/core';
import { ROLES, isRole, newSecret } from '@cordon/core';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  readStdin,
  withAdminContext,
} from '../admin/admin-context.ts';

export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'Create a user, or grant an existing user a role in a tenant',
  help: [
    'Usage: cordon user create --email E --role R [--tenant T] [--password-stdin] [--json]',
    '',
    `Roles: ${ROLES.join(', ')}. Every role but platform_admin needs --tenant (id or name).`,
    'Without --password-stdin a password is generated and printed once.',
    '',
    'Options:',
    '  --tenant T          tenant id or name',
    '  --email E           the user’s email (sign-in name)',
    '  --role R            role in the tenant, or platform_admin',
    '  --name N            display name',
    '  --password-stdin    read the password from standard input',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.email) throw new UsageError('--email is required');
    if (!values.role || !isRole(values.role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const role: Role = values.role;
    if (role !== 'platform_admin' && !values.tenant)
      throw new UsageError(`role ${role} needs --tenant`);
    const generated = !values['password-stdin'];
    const password = generated
      ? newSecret().slice(0, 24)
      : (await readStdin(io)).replace(/\r?\n$/, '');
    const email = values.email;
    const result = await withAdminContext(values, io, async (c) => {
      const tenant = values.tenant ? await c.access.resolveTenant(values.tenant) : undefined;
      return c.access.createUser(c.actor, {
        email,
        password,
        role,
        ...(tenant ? { tenantId: tenant.id } : {}),
        ...(values.name ? { displayName: values.name } : {}),
      });
    });
    const shownPassword = generated && result.created ? password : undefined;
    if (values.json) {
      printJson(io, {
        id: result.user.id,
        email: result.user.email,
        role,
        created: result.created,
        ...(shownPassword ? { password: shownPassword } : {}),
      });
    } else {
      io.stdout.write(
        `${result.created ? 'created' : 'updated'} user ${result.user.email} (${result.user.id}) with role ${role}\n`,
      );
      if (shownPassword) io.stdout.write(`password (shown once): ${shownPassword}\n`);
    }
    return 0;
  },
};
