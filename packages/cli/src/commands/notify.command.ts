/**
 * `cordon notify channel add|list`, `cordon notify rule add|list`, `cordon notify outbox
 * [--state dead]` (the dead-letter list) and `cordon notify replay ID`: notifications over the API.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiOptionsHelp } from '../api/api-client.ts';
import { apiCommandOptions, commaList, printAnswer, withTenantApi } from '../api/api-command.ts';
import type { CommandIo } from '../command.ts';
import { adminOptions, adminOptionsHelp, withAdminContext } from '../admin/admin-context.ts';
import type { NotificationEvent, ResponseRole, Role, Store } from '@cordon/core';
import { NOTIFICATION_EVENTS, NotificationService, systemClock } from '@cordon/core';
import { loadOrCreateSecretBox } from '@cordon/storage';

const notifications = (c: { store: Store; dataDir: string }) =>
  new NotificationService({
    store: c.store,
    clock: systemClock,
    secrets: loadOrCreateSecretBox(c.dataDir),
  });

/** `list`: the API's answer, as JSON. */
const listJson = (io: CommandIo, tenant: string | undefined, what: string): Promise<number> =>
  withTenantApi(io, tenant, async ({ api, tenantPath }) => {
    const answer = await api.request('GET', `${tenantPath}/notifications/${what}`);
    printAnswer(io, true, answer, () => []);
  });

const csv = commaList;

export const notifyChannelCommand: Command = {
  name: 'notify channel',
  summary: 'Add (webhook URL or e-mail), disable, enable, remove or list notification channels',
  help: [
    'Usage: cordon notify channel add --tenant T --name NAME (--webhook URL | --email)',
    '       cordon notify channel disable|enable|remove CHANNEL_ID --tenant T',
    '       cordon notify channel list [--tenant T]',
    '',
    'add, disable, enable and remove act on the database directly, as the platform. A webhook’s',
    'secret is printed once, at add; it is stored sealed (AES-256-GCM, the key in the data',
    'directory) and never shown again. remove also removes the channel’s rules.',
    '',
    adminOptionsHelp,
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        name: { type: 'string' },
        webhook: { type: 'string' },
        email: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals[0] === 'list') return listJson(io, values.tenant, 'channels');
    const [action, channelId] = positionals;
    if (action === 'disable' || action === 'enable' || action === 'remove') {
      const tenantId = values.tenant;
      if (!channelId || !tenantId)
        throw new UsageError(`cordon notify channel ${action} CHANNEL_ID --tenant T`);
      await withAdminContext(values, io, async (c) => {
        const service = notifications(c);
        if (action === 'remove') await service.deleteChannel(c.actor, tenantId, channelId);
        else await service.setChannelEnabled(c.actor, tenantId, channelId, action === 'enable');
      });
      io.stdout.write(`${action === 'remove' ? 'removed' : `${action}d`} ${channelId}\n`);
      return 0;
    }
    const { name, webhook, tenant } = values;
    if (positionals[0] !== 'add' || !name || !tenant || (webhook === undefined) === !values.email)
      throw new UsageError(
        'cordon notify channel add --tenant T --name NAME (--webhook URL | --email)',
      );
    const { channel, generatedSecret } = await withAdminContext(values, io, (c) =>
      notifications(c).addChannel(c.actor, tenant, {
        kind: webhook ? 'webhook' : 'email',
        name,
        ...(webhook ? { target: webhook } : {}),
      }),
    );
    io.stdout.write(`${channel.id}${generatedSecret ? `\nsecret ${generatedSecret}` : ''}\n`);
    return 0;
  },
};

export const notifyRuleCommand: Command = {
  name: 'notify rule',
  summary: 'Route events or journal kinds to a channel and its recipients',
  help: [
    'Usage: cordon notify rule add --tenant T --channel ID [--events E,…] [--kinds K,…] [--roles R,…]',
    '         [--response-roles R,…] [--on-call] [--addresses A,…] [--tenant T]',
    '       cordon notify rule list [--tenant T]',
    '',
    'Events: incident_opened, severity_raised, approval_needed, sla_at_risk, sla_breached,',
    'regulatory_deadline_near, regulatory_deadline_missed, containment_applied, containment_failed.',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        channel: { type: 'string' },
        events: { type: 'string' },
        kinds: { type: 'string' },
        roles: { type: 'string' },
        'response-roles': { type: 'string' },
        'on-call': { type: 'boolean' },
        addresses: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals[0] === 'list') return listJson(io, values.tenant, 'rules');
    const { channel, tenant } = values;
    if (positionals[0] !== 'add' || !channel || !tenant)
      throw new UsageError('cordon notify rule add --tenant T --channel ID …');
    const events = csv(values.events);
    for (const e of events)
      if (!(NOTIFICATION_EVENTS as readonly string[]).includes(e))
        throw new UsageError(`unknown event ${e}`);
    const rule = await withAdminContext(values, io, (c) =>
      notifications(c).addRule(c.actor, tenant, {
        channelId: channel,
        spec: {
          events: events as NotificationEvent[],
          kinds: csv(values.kinds),
          roles: csv(values.roles) as Role[],
          responseRoles: csv(values['response-roles']) as ResponseRole[],
          onCall: values['on-call'] === true,
          addresses: csv(values.addresses),
        },
      }),
    );
    io.stdout.write(`${rule.id}\n`);
    return 0;
  },
};

export const notifyOutboxCommand: Command = {
  name: 'notify outbox',
  summary: 'List notifications and their delivery state (--state dead: the dead letters)',
  help: [
    'Usage: cordon notify outbox [--state pending|sending|delivered|dead] [--tenant T] [--json]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...apiCommandOptions, state: { type: 'string' } },
      strict: true,
    });
    if (
      values.state !== undefined &&
      !['pending', 'sending', 'delivered', 'dead'].includes(values.state)
    )
      throw new UsageError('--state takes pending, sending, delivered or dead');
    const query = values.state ? `?state=${values.state}` : '';
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const page = await api.request<{
        items: {
          id: string;
          state: string;
          attempts: number;
          event: string;
          recipient: string;
          lastError: string | null;
        }[];
      }>('GET', `${tenantPath}/notifications/outbox${query}`);
      printAnswer(io, values.json, page, (p) =>
        p.items.flatMap((o) => [
          `${o.id}  ${o.state.padEnd(9)} ${String(o.attempts).padStart(2)}  ${o.event}  ${o.recipient}`,
          ...(o.lastError ? [`    ${o.lastError}`] : []),
        ]),
      );
    });
  },
};

export const notifyReplayCommand: Command = {
  name: 'notify replay',
  summary: 'Send a dead-lettered notification again',
  help: [
    'Usage: cordon notify replay ID --tenant T   (the database directly, as the platform)',
    '',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...adminOptions, tenant: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const id = positionals[0];
    const tenant = values.tenant;
    if (!id || !tenant) throw new UsageError('cordon notify replay ID --tenant T');
    await withAdminContext(values, io, (c) => notifications(c).replay(c.actor, tenant, id));
    io.stdout.write(`queued ${id}\n`);
    return 0;
  },
};

export const notifyCommands: readonly Command[] = [
  notifyChannelCommand,
  notifyRuleCommand,
  notifyOutboxCommand,
  notifyReplayCommand,
];
