/**
 * The router: reads each tenant's journal after its stored position, matches every entry
 * against the tenant's rules and puts one outbox item per (channel, entry, recipient), all in
 * one transaction with the new position. An entry read twice (two processes, a crash before
 * the commit) adds nothing: the outbox holds each (channel, entry, recipient) once.
 */
import type { JournalEntry } from '../journal/journal-entry.ts';
import { newId } from '../ports/id-generator.ts';
import type { TenantScope } from '../ports/store.ts';
import type {
  NotificationChannel,
  NotificationRecipient,
  NotificationRule,
  OutboxItem,
} from './notification-channel.ts';
import type { NotificationEvent } from './notification-event.ts';
import {
  EVENT_KINDS,
  NOTIFICATION_EVENTS,
  isOwnKind,
  severityBefore,
  severityRank,
  severitySet,
} from './notification-event.ts';
import { notificationMessage } from './notification-message.ts';

/** Entries read per tenant per pass. */
export const ROUTE_BATCH = 200;

/** Routes the next batch of `scope`'s journal; returns how many items it queued. */
export async function routeJournal(scope: TenantScope, now: number): Promise<number> {
  const n = scope.notifications;
  const rules = await n.rules.list();
  if (rules.length === 0) return 0;
  const after = await n.cursor.get();
  const entries = await scope.journal.list({ afterSeq: after }, ROUTE_BATCH);
  if (entries.length === 0) return 0;
  const channels = new Map((await n.channels.list()).map((c) => [c.id, c]));
  let queued = 0;
  for (const entry of entries) {
    if (isOwnKind(entry.kind)) continue;
    for (const rule of rules) {
      const channel = channels.get(rule.channelId);
      if (!channel?.enabled || entry.at < rule.createdAt) continue;
      const event = await matchEvent(scope, rule, entry);
      if (event) queued += await enqueue({ scope, rule, channel, entry, event, now });
    }
  }
  await n.cursor.set(entries.at(-1)!.seq);
  return queued;
}

async function matchEvent(
  scope: TenantScope,
  rule: NotificationRule,
  entry: JournalEntry,
): Promise<string | null> {
  for (const event of NOTIFICATION_EVENTS) {
    if (!rule.spec.events.includes(event) || !EVENT_KINDS[event].includes(entry.kind)) continue;
    if (await holds(scope, event, entry)) return event;
  }
  return rule.spec.kinds.includes(entry.kind) ? entry.kind : null;
}

/** The conditions beyond the kind: a severity that went up, an action still awaiting approval. */
async function holds(
  scope: TenantScope,
  event: NotificationEvent,
  entry: JournalEntry,
): Promise<boolean> {
  if (event === 'severity_raised') {
    const set = severitySet(entry);
    if (set === undefined || !entry.incidentId) return false;
    const earlier = await scope.journal.list({ incidentId: entry.incidentId }, 1000);
    return severityRank(set) > severityRank(severityBefore(entry, earlier));
  }
  if (event === 'approval_needed') {
    const actionId = (entry.payload as { actionId?: unknown } | null)?.actionId;
    if (typeof actionId !== 'string') return false;
    return (await scope.containment.actions.get(actionId))?.state === 'requested';
  }
  return true;
}

async function enqueue(input: {
  readonly scope: TenantScope;
  readonly rule: NotificationRule;
  readonly channel: NotificationChannel;
  readonly entry: JournalEntry;
  readonly event: string;
  readonly now: number;
}): Promise<number> {
  const { scope, rule, channel, entry, event, now } = input;
  const recipients = await recipientsOf(scope, rule, entry.at);
  const incident = entry.incidentId ? await scope.incidents.get(entry.incidentId) : undefined;
  const targets =
    channel.kind === 'webhook'
      ? [channel.target ?? '']
      : [...new Set(recipients.flatMap((r) => (r.email ? [r.email] : [])))];
  let queued = 0;
  for (const recipient of targets) {
    const id = newId();
    const item: OutboxItem = {
      id,
      tenantId: scope.tenantId,
      channelId: channel.id,
      ruleId: rule.id,
      journalSeq: entry.seq,
      event,
      recipient,
      message: notificationMessage({ id, event, entry, incident, recipients }),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      lastError: null,
      createdAt: now,
      deliveredAt: null,
    };
    if (await scope.notifications.outbox.insert(item)) queued++;
  }
  return queued;
}

/** Who a rule tells about an entry made at `at`. */
export async function recipientsOf(
  scope: TenantScope,
  rule: NotificationRule,
  at: number,
): Promise<NotificationRecipient[]> {
  const { spec } = rule;
  const found: NotificationRecipient[] = [];
  if (spec.roles.length > 0)
    for (const m of await scope.memberships.list())
      if (spec.roles.includes(m.role))
        found.push({ name: m.displayName, email: m.email, via: `role:${m.role}` });
  const assignments =
    spec.responseRoles.length > 0 || spec.onCall ? await scope.preparation.roles.list() : [];
  for (const a of assignments)
    if (spec.responseRoles.includes(a.role))
      found.push({ name: a.primary.name, email: a.primary.email, via: `response-role:${a.role}` });
  if (spec.onCall) {
    const shift = (await scope.preparation.onCall.overlapping(at, at + 1, 'primary'))[0];
    const person = shift?.person ?? assignments.find((a) => a.role === 'mssp_on_call')?.primary;
    if (person)
      found.push({
        name: person.name,
        email: person.email,
        via: shift ? `on-call:${shift.id}` : 'on-call:role',
      });
  }
  for (const email of spec.addresses) found.push({ name: null, email, via: 'address' });
  return found;
}
