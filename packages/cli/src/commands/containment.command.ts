/**
 * The containment workflow beyond single actions, through the API (CORDON_SERVER /
 * CORDON_TOKEN): enrolment tokens and the agent list, agents' reported identity changes and
 * their decision, the action list, approving or denying a held action (incident leads), and
 * offline release codes (break glass, shown once).
 */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';
import type { ApiClient } from '../api/api-client.ts';

interface AgentView {
  readonly agentId: string;
  readonly hostname: string;
  readonly online: boolean;
  readonly isolated: boolean;
  readonly lastSeenAt: string;
  readonly addresses: { readonly v4: readonly string[]; readonly v6: readonly string[] };
}

interface ActionView {
  readonly id: string;
  readonly agentId: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly incidentId: string | null;
  readonly createdAt: string;
  readonly detail: string | null;
  readonly action: { readonly kind: string };
  readonly requiredApprovals: number;
  readonly approvals: readonly { readonly by: string }[];
}

async function withApi(
  io: CommandIo,
  tenant: string | undefined,
  work: (api: ApiClient, tenantId: string) => Promise<number>,
): Promise<number> {
  const api = apiClient(io);
  try {
    return await work(api, await api.tenantId(tenant));
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr.write(`cordon: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}

const common = { tenant: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

export const agentTokenCommand: Command = {
  name: 'agent token',
  summary: 'Issue a one-time enrolment token for `cordon agent enroll` (incident lead)',
  help: [
    'Usage: cordon agent token [--ttl MINUTES] [--tenant T] [--json]',
    '',
    "The token carries the agent gateway certificate's SHA-256, which the agent pins.",
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...common, ttl: { type: 'string', default: '60' } },
      strict: true,
    });
    const ttlMinutes = Number(values.ttl);
    if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1)
      throw new UsageError('--ttl must be minutes');
    return withApi(io, values.tenant, async (api, tenantId) => {
      const issued = await api.request<{ token: string; expiresAt: string }>(
        'POST',
        `/api/v1/tenants/${tenantId}/agents/enrolment-tokens`,
        { ttlMinutes },
      );
      io.stdout.write(
        values.json
          ? `${JSON.stringify(issued, null, 2)}\n`
          : `${issued.token}\n(one use, valid until ${issued.expiresAt})\n`,
      );
      return 0;
    });
  },
};

export const agentListCommand: Command = {
  name: 'agent list',
  summary: 'List enrolled agents: online, isolated, last seen',
  help: ['Usage: cordon agent list [--tenant T] [--json]', '', apiOptionsHelp].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: common, strict: true });
    return withApi(io, values.tenant, async (api, tenantId) => {
      // The list comes a page at a time (by hostname): follow the cursor to the end.
      const items: AgentView[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page: { items: AgentView[]; nextCursor: string | null } = await api.request(
          'GET',
          `/api/v1/tenants/${tenantId}/agents?limit=1000${query}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      if (values.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      else
        for (const a of items)
          io.stdout.write(
            `${a.agentId}  ${a.hostname.padEnd(20)} ${(a.online ? 'online' : 'offline').padEnd(8)} ${(a.isolated ? 'ISOLATED' : '-').padEnd(9)} ${a.lastSeenAt}  ${[...a.addresses.v4, ...a.addresses.v6].join(' ')}\n`,
          );
      return 0;
    });
  },
};

export const actionListCommand: Command = {
  name: 'action list',
  summary: 'List containment actions and their states',
  help: [
    'Usage: cordon action list [--host AGENT_ID] [--incident I] [--state S] [--tenant T] [--json]',
    '',
    'S: requested (awaiting approval), approved, sent, applied, failed, rolled-back, reverted',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...common,
        host: { type: 'string' },
        incident: { type: 'string' },
        state: { type: 'string' },
      },
      strict: true,
    });
    const query = new URLSearchParams({
      ...(values.host === undefined ? {} : { agentId: values.host }),
      ...(values.incident === undefined ? {} : { incidentId: values.incident }),
      ...(values.state === undefined ? {} : { state: values.state }),
    }).toString();
    return withApi(io, values.tenant, async (api, tenantId) => {
      const { items } = await api.request<{ items: ActionView[] }>(
        'GET',
        `/api/v1/tenants/${tenantId}/actions${query === '' ? '' : `?${query}`}`,
      );
      if (values.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      else
        for (const a of items)
          io.stdout.write(
            `${a.id}  ${a.createdAt}  ${a.action.kind.padEnd(15)} ${a.agentId}  ${a.state.padEnd(11)} by ${a.requestedBy}${a.detail ? ` — ${a.detail}` : ''}\n`,
          );
      return 0;
    });
  },
};

function decisionCommand(verb: 'approve' | 'deny'): Command {
  return {
    name: `action ${verb}`,
    summary:
      verb === 'approve'
        ? 'Approve a held containment action (incident lead); it is sent at once'
        : 'Deny a held containment action (incident lead), with the reason',
    help: [
      `Usage: cordon action ${verb} ACTION_ID${verb === 'deny' ? ' --reason TEXT' : ''} [--tenant T] [--json]`,
      '',
      apiOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { ...common, reason: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const id = positionals[0];
      if (id === undefined) throw new UsageError('ACTION_ID is required');
      if (verb === 'deny' && (values.reason === undefined || values.reason === ''))
        throw new UsageError('--reason is required');
      return withApi(io, values.tenant, async (api, tenantId) => {
        const view = await api.request<ActionView>(
          'POST',
          `/api/v1/tenants/${tenantId}/actions/${id}/${verb}`,
          verb === 'deny' ? { reason: values.reason } : {},
        );
        io.stdout.write(
          values.json
            ? `${JSON.stringify(view, null, 2)}\n`
            : `${view.action.kind} on ${view.agentId}: ${view.state}${approvalsText(view)}${view.detail ? ` — ${view.detail}` : ''}\n`,
        );
        return 0;
      });
    },
  };
}

/** "(1 of 2 approvals)" while a two-person action still waits for its second approver. */
const approvalsText = (view: ActionView): string =>
  view.state === 'requested' && view.approvals.length > 0
    ? ` (${view.approvals.length} of ${view.requiredApprovals} approvals)`
    : '';

export const actionApproveCommand = decisionCommand('approve');
export const actionDenyCommand = decisionCommand('deny');

export const agentReleaseCodeCommand: Command = {
  name: 'agent release-code',
  summary: 'Issue an offline release code for an isolated host (incident lead; shown once)',
  help: [
    'Usage: cordon agent release-code --agent AGENT_ID [--incident I] [--ttl MINUTES] [--tenant T]',
    '',
    'Read the code to whoever is at the host: `cordon agent release --code C` releases the',
    'isolation there without the server. Single use, this agent only.',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...common,
        agent: { type: 'string' },
        incident: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    });
    if (values.agent === undefined) throw new UsageError('--agent AGENT_ID is required');
    const ttlMinutes = values.ttl === undefined ? undefined : Number(values.ttl);
    if (ttlMinutes !== undefined && (!Number.isInteger(ttlMinutes) || ttlMinutes < 1))
      throw new UsageError('--ttl must be minutes');
    return withApi(io, values.tenant, async (api, tenantId) => {
      const issued = await api.request<{ code: string; codeId: string; expiresAt: string }>(
        'POST',
        `/api/v1/tenants/${tenantId}/agents/${values.agent}/release-codes`,
        {
          ...(values.incident === undefined ? {} : { incidentId: values.incident }),
          ...(ttlMinutes === undefined ? {} : { ttlMinutes }),
        },
      );
      io.stdout.write(
        values.json
          ? `${JSON.stringify(issued, null, 2)}\n`
          : `${issued.code}\n(code ${issued.codeId}, single use, valid until ${issued.expiresAt}; not shown again)\n`,
      );
      return 0;
    });
  },
};

interface IdentityChangeView {
  readonly id: string;
  readonly agentId: string;
  readonly state: string;
  readonly reportedAt: string;
  readonly from: { readonly hostname: string; readonly addresses: AgentView['addresses'] };
  readonly to: { readonly hostname: string; readonly addresses: AgentView['addresses'] };
}

const identityText = (i: IdentityChangeView['to']): string =>
  `${i.hostname} [${[...i.addresses.v4, ...i.addresses.v6].join(', ')}]`;

export const agentIdentityListCommand: Command = {
  name: 'agent identity list',
  summary: "Identity changes agents reported (host name, addresses), pending a lead's decision",
  help: [
    'Usage: cordon agent identity list [--all] [--agent AGENT_ID] [--tenant T] [--json]',
    '',
    'An agent is targeted by the identity it enrolled with; a heartbeat naming another host',
    'or other addresses files a change here. Without --all: pending ones only.',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...common, all: { type: 'boolean', default: false }, agent: { type: 'string' } },
      strict: true,
    });
    const query = new URLSearchParams({
      ...(values.all ? {} : { state: 'pending' }),
      ...(values.agent === undefined ? {} : { agentId: values.agent }),
    });
    return withApi(io, values.tenant, async (api, tenantId) => {
      const { items } = await api.request<{ items: IdentityChangeView[] }>(
        'GET',
        `/api/v1/tenants/${tenantId}/agent-identity-changes?${query.toString()}`,
      );
      if (values.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      else
        for (const c of items)
          io.stdout.write(
            `${c.id}  ${c.state.padEnd(10)} ${c.agentId}  ${identityText(c.from)} → ${identityText(c.to)}  ${c.reportedAt}\n`,
          );
      return 0;
    });
  },
};

function identityDecisionCommand(decision: 'approve' | 'deny'): Command {
  return {
    name: `agent identity ${decision}`,
    summary:
      decision === 'approve'
        ? 'Let an agent answer to the identity it reported (incident lead)'
        : 'Refuse an identity change an agent reported (incident lead)',
    help: [
      `Usage: cordon agent identity ${decision} CHANGE_ID [--reason TEXT] [--tenant T] [--json]`,
      '',
      apiOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { ...common, reason: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [changeId] = positionals;
      if (changeId === undefined || positionals.length > 1)
        throw new UsageError(`one CHANGE_ID is required (cordon agent identity list)`);
      return withApi(io, values.tenant, async (api, tenantId) => {
        const decided = await api.request<IdentityChangeView>(
          'POST',
          `/api/v1/tenants/${tenantId}/agent-identity-changes/${changeId}/decision`,
          {
            decision: decision === 'approve' ? 'approved' : 'denied',
            ...(values.reason === undefined ? {} : { reason: values.reason }),
          },
        );
        io.stdout.write(
          values.json
            ? `${JSON.stringify(decided, null, 2)}\n`
            : `${decided.id} ${decided.state}: ${decided.agentId} answers to ${identityText(decision === 'approve' ? decided.to : decided.from)}\n`,
        );
        return 0;
      });
    },
  };
}

export const agentIdentityApproveCommand = identityDecisionCommand('approve');
export const agentIdentityDenyCommand = identityDecisionCommand('deny');

export const containmentCommands: readonly Command[] = [
  agentIdentityListCommand,
  agentIdentityApproveCommand,
  agentIdentityDenyCommand,
  agentTokenCommand,
  agentListCommand,
  agentReleaseCodeCommand,
  actionListCommand,
  actionApproveCommand,
  actionDenyCommand,
];
