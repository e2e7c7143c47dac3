/**
 * `cordon notify channel add|list`, `cordon notify rule add|list`, `cordon notify outbox
 * [--state dead]` (the dead-letter list) and `cordon notify replay ID`: notifications over the API.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiClient, apiOptionsHelp } from '../api/api-client.ts';

const csv = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export const notifyChannelCommand: Command = {
  name: 'notify channel',
  summary: 'Add (webhook URL or e-mail) or list notification channels',
  help: [
    'Usage: cordon notify channel add --name NAME (--webhook URL | --email) [--tenant T]',
    '       cordon notify channel list [--tenant T]',
    '',
    "A webhook's signing secret is printed once, when it is added.",
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        webhook: { type: 'string' },
        email: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const path = `/api/v1/tenants/${tenantId}/notifications/channels`;
    if (positionals[0] === 'list') {
      io.stdout.write(`${JSON.stringify(await api.request('GET', path), null, 2)}\n`);
      return 0;
    }
    if (
      positionals[0] !== 'add' ||
      !values.name ||
      (values.webhook === undefined) === !values.email
    )
      throw new UsageError('cordon notify channel add --name NAME (--webhook URL | --email)');
    const channel = await api.request<{ id: string; secret: string | null }>('POST', path, {
      kind: values.webhook ? 'webhook' : 'email',
      name: values.name,
      ...(values.webhook ? { target: values.webhook } : {}),
    });
    io.stdout.write(`${channel.id}${channel.secret ? `\nsecret ${channel.secret}` : ''}\n`);
    return 0;
  },
};

export const notifyRuleCommand: Command = {
  name: 'notify rule',
  summary: 'Route events or journal kinds to a channel and its recipients',
  help: [
    'Usage: cordon notify rule add --channel ID [--events E,…] [--kinds K,…] [--roles R,…]',
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
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const path = `/api/v1/tenants/${tenantId}/notifications/rules`;
    if (positionals[0] === 'list') {
      io.stdout.write(`${JSON.stringify(await api.request('GET', path), null, 2)}\n`);
      return 0;
    }
    if (positionals[0] !== 'add' || !values.channel)
      throw new UsageError('cordon notify rule add --channel ID …');
    const rule = await api.request<{ id: string }>('POST', path, {
      channelId: values.channel,
      events: csv(values.events),
      kinds: csv(values.kinds),
      roles: csv(values.roles),
      responseRoles: csv(values['response-roles']),
      onCall: values['on-call'] === true,
      addresses: csv(values.addresses),
    });
    io.stdout.write(`${rule.id}\n`);
    return 0;
  },
};

export const notifyOutboxCommand: Command = {
  name: 'notify outbox',
  summary: 'List notifications and their delivery state (--state dead: the dead letters)',
  help: [
    'Usage: cordon notify outbox [--state pending|sending|delivered|dead] [--tenant T]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' }, state: { type: 'string' } },
      strict: true,
    });
    if (
      values.state !== undefined &&
      !['pending', 'sending', 'delivered', 'dead'].includes(values.state)
    )
      throw new UsageError('--state takes pending, sending, delivered or dead');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const page = await api.request<{
      items: {
        id: string;
        state: string;
        attempts: number;
        event: string;
        recipient: string;
        lastError: string | null;
      }[];
    }>(
      'GET',
      `/api/v1/tenants/${tenantId}/notifications/outbox${values.state ? `?state=${values.state}` : ''}`,
    );
    for (const o of page.items)
      io.stdout.write(
        `${o.id}  ${o.state.padEnd(9)} ${String(o.attempts).padStart(2)}  ${o.event}  ${o.recipient}${o.lastError ? `\n    ${o.lastError}` : ''}\n`,
      );
    return 0;
  },
};

export const notifyReplayCommand: Command = {
  name: 'notify replay',
  summary: 'Send a dead-lettered notification again',
  help: ['Usage: cordon notify replay ID [--tenant T]', '', apiOptionsHelp].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const id = positionals[0];
    if (!id) throw new UsageError('cordon notify replay ID');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    await api.request(
      'POST',
      `/api/v1/tenants/${tenantId}/notifications/outbox/${encodeURIComponent(id)}/replay`,
    );
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
